"""Encodings and unreadable files end to end through ``zonedb ingest`` on real SQLite files:
every supported encoding is detected, decoded and recorded; refused files are named and leave
every table exactly as it was."""

from __future__ import annotations

import codecs
import gzip
import io
import sqlite3
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.reliability_util import run, snapshot, table_counts
from zonedb.cli import app

runner = CliRunner()

SIMPLIFIED = (
    "本报讯 今年前三季度，高平经济技术开发区完成地区生产总值 123.4 亿元，同比增长 6.5%；\n"
    "新签约项目 18 个，总投资 56.7 亿元。园区实现规上工业增加值 45.6 亿元。\n"
)
TRADITIONAL = (
    "本報訊 今年前三季度，高平經濟技術開發區完成地區生產總值 123.4 億元，同比增長 6.5%；\n"
    "新簽約項目 18 個，總投資 56.7 億元。園區實現規上工業增加值 45.6 億元。\n"
)


def ingest(path: Path, db: Path, *extra: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["ingest", str(path), "--db", str(db), "--published", "2024-09-10", *extra])


def stored(db: Path) -> list[tuple[str, str, str]]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT name, encoding, text FROM document ORDER BY id").fetchall()


@pytest.mark.parametrize(("label", "raw", "encoding", "text"), [
    ("utf8", SIMPLIFIED.encode("utf-8"), "utf-8", SIMPLIFIED),
    ("utf8-bom", codecs.BOM_UTF8 + SIMPLIFIED.encode("utf-8"), "utf-8-sig", SIMPLIFIED),
    ("gb18030", SIMPLIFIED.encode("gb18030"), "gb18030", SIMPLIFIED),
    ("gbk", SIMPLIFIED.encode("gbk"), "gb18030", SIMPLIFIED),  # GBK is a subset of GB18030
    ("big5", TRADITIONAL.encode("big5"), "big5", TRADITIONAL),
    ("utf16-bom-le", SIMPLIFIED.encode("utf-16"), "utf-16", SIMPLIFIED),
    ("utf16-bom-be", codecs.BOM_UTF16_BE + SIMPLIFIED.encode("utf-16-be"), "utf-16", SIMPLIFIED),
    ("utf16-le", SIMPLIFIED.encode("utf-16-le"), "utf-16-le", SIMPLIFIED),
    ("utf16-be", SIMPLIFIED.encode("utf-16-be"), "utf-16-be", SIMPLIFIED),
    ("crlf-gb18030", SIMPLIFIED.replace("\n", "\r\n").encode("gb18030"), "gb18030", SIMPLIFIED),
])
def test_encoding_is_detected_decoded_and_stored(tmp_path: Path, label: str, raw: bytes, encoding: str,
                                                 text: str) -> None:
    path = tmp_path / f"{label}.txt"
    path.write_bytes(raw)
    db = tmp_path / "enc.sqlite"
    result = ingest(path, db)
    assert result.exit_code == 0, result.output
    assert stored(db) == [(path.name, encoding, text)]
    with sqlite3.connect(db) as conn:
        values = {v for (v,) in conn.execute("SELECT value_exact FROM observation")}
        # The figures come out of every encoding alike (the zone list is in simplified script).
        if text == SIMPLIFIED:
            assert {"12340000000", "5670000000", "6.5"} <= values
        # Offsets are into the decoded text, whatever the bytes were.
        for body, start, end, printed in conn.execute(
                "SELECT a.body, o.span_start, o.span_end, o.printed FROM observation o "
                "JOIN article a ON a.id = o.article_id"):
            assert body[start:end] == printed


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buf.getvalue()


_UTF8 = SIMPLIFIED.encode("utf-8")

REFUSED = {
    "binary-nuls.txt": bytes(range(256)) * 40,
    "binary-no-nuls.txt": bytes(b for b in range(1, 256) if b not in b"\t\n\r\f\v ") * 40,
    "png-image.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 20,
    "gzip-archive.txt": gzip.compress(_UTF8 * 5),
    "elf-program": b"\x7fELF\x02\x01\x01\x00" + bytes(8) + bytes(range(256)) * 10,
    "truncated-utf8.txt": _UTF8[:-1].rstrip(b"\n")[:-1],  # ends inside a 3-byte character
    "truncated-utf16.txt": SIMPLIFIED.encode("utf-16")[:-1],
    "bad-bom.txt": codecs.BOM_UTF8 + SIMPLIFIED.encode("gb18030"),
    "plain-zip.docx": _zip({"a.txt": _UTF8}),
    "corrupt.docx": b"PK\x03\x04" + bytes(range(256)),
    "truncated.pdf": b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type",
}


def test_refused_files_are_named_and_change_nothing(tmp_path: Path) -> None:
    db = tmp_path / "ref.sqlite"
    good = tmp_path / "good.txt"
    good.write_bytes(SIMPLIFIED.encode("utf-8"))
    assert ingest(good, db).exit_code == 0
    before = snapshot(db)
    assert table_counts(db)["observation"] > 0
    for name, data in REFUSED.items():
        path = tmp_path / name
        path.write_bytes(data)
        result = ingest(path, db)
        assert result.exit_code == 1, (name, result.output)
        assert f"error: {name}: " in result.stderr, (name, result.stderr)
        assert "failed 1" in result.stderr
        assert "Traceback" not in result.output
        assert snapshot(db) == before, name


def test_truncated_utf8_message_says_so(tmp_path: Path) -> None:
    db = tmp_path / "t.sqlite"
    path = tmp_path / "cut.txt"
    path.write_bytes(REFUSED["truncated-utf8.txt"])
    result = ingest(path, db)
    assert result.exit_code == 1
    assert "cut.txt: truncated UTF-8" in result.stderr


@pytest.mark.parametrize("raw", [b"", b"   \n\r\n\t ", codecs.BOM_UTF8, codecs.BOM_UTF8 + b"\n \n",
                                 "\u3000\n".encode("utf-16")])
def test_empty_file_is_skipped_with_a_warning(tmp_path: Path, raw: bytes) -> None:
    db = tmp_path / "e.sqlite"
    good = tmp_path / "good.txt"
    good.write_bytes(SIMPLIFIED.encode("utf-8"))
    assert ingest(good, db).exit_code == 0
    before = snapshot(db)
    path = tmp_path / "blank.txt"
    path.write_bytes(raw)
    result = ingest(path, db)
    assert result.exit_code == 0, result.output
    assert "warning: blank.txt: empty file" in result.stderr
    assert "empty 1" in result.stderr
    assert snapshot(db) == before


def test_mixed_folder_in_a_real_process(tmp_path: Path) -> None:
    """A folder with every encoding, refused and empty files: the good ones go in, each bad
    one is named on stderr, the exit code is 1, and a rerun adds nothing."""
    folder = tmp_path / "mixed"
    folder.mkdir()
    encoded = {
        "a-utf8.txt": SIMPLIFIED.encode("utf-8"),
        "b-gb18030.txt": SIMPLIFIED.replace("18 个", "19 个").encode("gb18030"),
        "c-big5.txt": TRADITIONAL.encode("big5"),
        "d-utf16.txt": SIMPLIFIED.replace("18 个", "20 个").encode("utf-16"),
    }
    for name, data in {**encoded, **REFUSED, "empty.txt": b""}.items():
        (folder / name).write_bytes(data)
    db = tmp_path / "mixed.sqlite"
    result = run("ingest", str(folder), "--db", str(db), "--published", "2024-09-10")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    for name in REFUSED:
        assert f"error: {name}: " in result.stderr
    assert "warning: empty.txt: empty file" in result.stderr
    assert f"documents {len(encoded)}," in result.stderr
    assert f"failed {len(REFUSED)}" in result.stderr
    with sqlite3.connect(db) as conn:
        assert dict(conn.execute("SELECT name, encoding FROM document")) == {
            "a-utf8.txt": "utf-8", "b-gb18030.txt": "gb18030", "c-big5.txt": "big5", "d-utf16.txt": "utf-16"}
    before = snapshot(db)
    again = run("ingest", str(folder), "--db", str(db), "--published", "2024-09-10")
    assert again.returncode == 1
    assert f"skipped {len(encoded)}," in again.stderr
    assert snapshot(db) == before
