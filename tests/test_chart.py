"""Charts: units and ticks, the SVG itself, the command, and a headless-browser rendering check."""

from __future__ import annotations

import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
import zlib
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.test_facts import ISSUE, write
from zonedb.chart import FONT_FAMILY, Point, display_unit, nice_ticks, render_html, render_svg
from zonedb.cli import app

runner = CliRunner()
SVG = "{http://www.w3.org/2000/svg}"


def test_money_reads_in_yi_or_wan_yuan() -> None:
    assert display_unit("元", [Decimal("5260000000"), Decimal("4840000000")]) == (Decimal(10) ** 8, "亿元")
    assert display_unit("元", [Decimal("18600000")]) == (Decimal(10) ** 4, "万元")
    assert display_unit("元", [Decimal("900")]) == (Decimal(1), "元")
    assert display_unit("%", [Decimal("12.4")]) == (Decimal(1), "%")


def test_nice_ticks_cover_the_range() -> None:
    assert nice_ticks(0, 52.6) == [0, 20, 40, 60]
    assert nice_ticks(0, 9.6) == [0, 2, 4, 6, 8, 10]
    assert nice_ticks(0, 0) == [0, 0.2, 0.4, 0.6, 0.8, 1.0]


def test_svg_has_chinese_labels_units_and_cjk_fonts() -> None:
    points = [Point("2023年", Decimal("4840000000")), Point("2024年", Decimal("5260000000"), "conflict", 2)]
    svg = render_svg(points, title="高平经济技术开发区 · 总投资", unit="元")
    root = ET.fromstring(svg)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "高平经济技术开发区 · 总投资" in texts
    assert "数值（亿元）" in texts and "时期" in texts
    assert texts.count("2023年") == 1 and "48.4" in texts and "52.6" in texts
    for font in ("Noto Sans CJK SC", "WenQuanYi", "SimHei", "sans-serif"):
        assert font in root.get("font-family", "")
    circles = list(root.iter(f"{SVG}circle"))
    assert [c.get("fill") for c in circles[:2]] == ["#1e6fb8", "#c0392b"]  # the conflict is red
    assert root.find(f"{SVG}path") is not None
    html = render_html(svg, title="总投资")
    assert html.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in html and svg in html
    assert FONT_FAMILY in html


def make_db(tmp_path: Path) -> Path:
    db = tmp_path / "c.sqlite"
    papers = tmp_path / "papers"
    write(papers, "paper-20240910.txt", ISSUE)
    write(papers, "paper-20250910.txt", ISSUE.replace("52.6 亿元", "61.3 亿元"))
    assert runner.invoke(app, ["ingest", str(papers), "--db", str(db), "-q"]).exit_code == 0
    return db


def test_chart_command_writes_svg_and_html(tmp_path: Path) -> None:
    db = make_db(tmp_path)
    out = tmp_path / "g.svg"
    result = runner.invoke(app, ["chart", "--zone", "高平经开区", "--metric", "总投资", "-o", str(out), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "2 period(s)" in result.stderr
    root = ET.fromstring(out.read_text(encoding="utf-8"))
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "2024年" in texts and "2025年" in texts and "52.6" in texts and "61.3" in texts
    assert "数值（亿元）" in texts and "高平经济技术开发区 · 总投资" in texts
    html = tmp_path / "g.html"
    assert runner.invoke(app, ["chart", "--zone", "高平经开区", "--metric", "总投资", "-o", str(html),
                               "--db", str(db)]).exit_code == 0
    assert "<svg" in html.read_text(encoding="utf-8")
    bad = runner.invoke(app, ["chart", "--zone", "高平经开区", "--metric", "总投资", "-o", str(tmp_path / "g.png"),
                              "--db", str(db)])
    assert bad.exit_code == 2
    missing = runner.invoke(app, ["chart", "--zone", "不存在区", "--metric", "总投资", "-o", str(out), "--db", str(db)])
    assert missing.exit_code == 1 and "no facts" in missing.stderr


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Decode an 8-bit RGB/RGBA, non-interlaced PNG into rows of raw pixel bytes."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    height = channels = 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color, _c, _f, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and color in (2, 6) and interlace == 0
            channels = 3 if color == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows: list[bytes] = []
    prev = bytearray(stride)
    for y in range(height):
        ftype = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = prev[i]
            c = prev[i - channels] if i >= channels else 0
            if ftype == 1:
                line[i] = (line[i] + a) & 0xFF
            elif ftype == 2:
                line[i] = (line[i] + b) & 0xFF
            elif ftype == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif ftype == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        rows.append(bytes(line))
        prev = line
    return width, channels, rows


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def test_html_chart_renders_in_headless_chromium(tmp_path: Path) -> None:
    browser = chromium()
    if browser is None:
        pytest.skip("chromium is not installed (apt-get install chromium fonts-noto-cjk); rendering not checked")
    db = make_db(tmp_path)
    html = tmp_path / "g.html"
    assert runner.invoke(app, ["chart", "--zone", "高平经开区", "--metric", "总投资", "-o", str(html),
                               "--db", str(db)]).exit_code == 0
    shot = tmp_path / "out.png"
    cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={shot}", "--window-size=800,600",
           html.as_uri()]
    subprocess.run(cmd, capture_output=True, timeout=120, check=False)
    assert shot.exists(), "chromium wrote no screenshot"
    width, channels, rows = png_pixels(shot.read_bytes())
    assert width == 800 and len(rows) == 600
    dark = sum(1 for row in rows for i in range(0, len(row), channels) if min(row[i:i + 3]) < 160)
    blue = sum(1 for row in rows for i in range(0, len(row), channels)
               if row[i + 2] > 150 and row[i] < 80)  # the series line and its points
    assert dark > 2000, f"only {dark} dark pixels: the chart looks blank"
    assert blue > 200, f"only {blue} blue pixels: no series line drawn"
