"""Real inputs end to end through the CLI: PDF, HTML and .docx give the same rows as plain text.

Every input is built here from texts written for these tests (the figures are illustrative):
a two-column PDF page drawn with reportlab's built-in CID font ``STSong-Light``, a saved news
page with its date in the metadata, a Word report with a statistics table, and broken files
(no text layer, password, truncated) in a folder with good ones.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import NewDb, dict_rows, rows, scalar
from zonedb.cli import app

REPO = Path(__file__).resolve().parents[1]

runner = CliRunner()

# --- texts -------------------------------------------------------------------------------

PDF_HEADLINE = "晋城经开区上半年经济运行稳中向好"
PDF_LEFT = (
    "本报讯 今年上半年，晋城经济技术开发区完成规上工业增加值48.6亿元，同比增长9.3%。"
    "固定资产投资完成32.1亿元，同比增长12.7%。"
)
PDF_RIGHT = "园区新签约项目15个，总投资86.5亿元；实现外贸进出口总额7.8亿元，增长21.4%。"

# Two pages, one article: it starts on page 1 and its last paragraph is on page 2.
P1_HEADLINE = "大同经开区前三季度主要指标较快增长"
P1_LEFT = "本报讯 前三季度，大同经济技术开发区实现地区生产总值156.2亿元，同比增长7.5%。"
P1_RIGHT = "规模以上工业增加值增长10.4%，工业投资完成41.3亿元。"
P2_LEFT = "园区税收收入完成6.4亿元，同比增长5.6%。"
P2_RIGHT = "新增规上工业企业9家，高新技术企业总数达到58家。"

HTML_TITLE = "太原经开区一季度实现开门红"
HTML_PARAGRAPHS = (
    "一季度，太原经济技术开发区完成营业收入268.4亿元，同比增长11.2%。",
    "园区实际使用外资1.6亿美元，新开工项目23个，总投资105.7亿元。",
)
HTML_PUBLISHED = "2024-04-18"

DOCX_HEADING = "晋中经开区2024年经济运行情况"
DOCX_PARAGRAPH = "2024年，晋中经济技术开发区新增规上工业企业12家，实现税收收入18.9亿元。"
DOCX_TABLE = (
    ("指标", "2023年", "2024年"),
    ("地区生产总值（亿元）", "186.4", "201.7"),
    ("固定资产投资增速（%）", "8.5", "10.2"),
)
# The same content as a person would type it.
DOCX_AS_TEXT = (
    f"{DOCX_HEADING}\n{DOCX_PARAGRAPH}\n"
    "2023年地区生产总值186.4亿元，2024年地区生产总值201.7亿元。\n"
    "2023年固定资产投资增速8.5%，2024年固定资产投资增速10.2%。\n"
)

# --- builders ----------------------------------------------------------------------------


def _font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


def _draw_page(c, headline: str, left: str, right: str) -> None:  # type: ignore[no-untyped-def]
    """A headline over two columns whose lines alternate in the content stream."""
    font = _font()
    if headline:
        c.setFont(font, 18)
        c.drawString(60, 780, headline)
    c.setFont(font, 11)
    lines_l = [left[i : i + 20] for i in range(0, len(left), 20)]
    lines_r = [right[i : i + 20] for i in range(0, len(right), 20)]
    y = 740.0
    for i in range(max(len(lines_l), len(lines_r))):
        if i < len(lines_r):
            c.drawString(320, y, lines_r[i])
        if i < len(lines_l):
            c.drawString(60, y, lines_l[i])
        y -= 16


def make_pdf(path: Path, pages: list[tuple[str, str, str]], **kw: object) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4, **kw)
    for headline, left, right in pages:
        _draw_page(c, headline, left, right)
        c.showPage()
    c.save()
    return path


def make_scanned_pdf(path: Path) -> Path:
    """A page that is only a picture: a filled shape, no text operators."""
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    c.rect(80, 300, 420, 400, fill=1)
    c.showPage()
    c.save()
    return path


def make_html(path: Path) -> Path:
    paragraphs = "".join(f"<p>{p}</p>\n" for p in HTML_PARAGRAPHS)
    html = f"""<!DOCTYPE html>
<html lang="zh-CN"><head>
<meta charset="utf-8">
<title>{HTML_TITLE}_太原新闻网</title>
<meta property="og:title" content="{HTML_TITLE}">
<meta property="article:published_time" content="{HTML_PUBLISHED}T09:30:00+08:00">
<link rel="canonical" href="https://news.example.cn/ty/2024/0418/1.html">
<script>var pv = 0;</script>
</head><body>
<nav><a href="/">首页</a> <a href="/news">新闻中心</a> <a href="/gov">政务公开</a></nav>
<article>
<h1>{HTML_TITLE}</h1>
{paragraphs}</article>
<footer>版权所有 太原新闻网 联系电话 0351-1234567</footer>
</body></html>
"""
    path.write_text(html, encoding="utf-8")
    return path


def make_docx(path: Path) -> Path:
    from docx import Document

    d = Document()
    d.add_heading(DOCX_HEADING, level=1)
    d.add_paragraph(DOCX_PARAGRAPH)
    table = d.add_table(rows=len(DOCX_TABLE), cols=len(DOCX_TABLE[0]))
    for r, row in enumerate(DOCX_TABLE):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    d.save(str(path))
    return path


def write_text(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# --- running the CLI ---------------------------------------------------------------------


def cli(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args))


def cli_subprocess(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "zonedb", *args],
        capture_output=True, text=True, encoding="utf-8", cwd=REPO, timeout=300, check=False,
    )


def exported(db: Path) -> list[dict[str, object]]:
    result = cli("export", "--format", "jsonl", "--db", str(db))
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def observations(db: Path) -> set[tuple[object, ...]]:
    """The rows that must agree across formats: zone, metric, period, exact value, unit."""
    rows = exported(db)
    assert_provenance(db)
    found = {(r["zone"], r["metric"], r["period"], r["value_exact"], r["unit"]) for r in rows}
    assert len(found) == len(rows)  # no two figures collapse into one tuple
    return found


def assert_provenance(db: Path) -> None:
    """Each article is a slice of its document's text; each figure a slice of its article."""
    articles = scalar(db, "SELECT count(*) FROM article a JOIN document d ON d.id = a.document_id "
                          "WHERE a.body != substr(d.text, a.doc_start + 1, a.doc_end - a.doc_start)")
    figures = scalar(db, "SELECT count(*) FROM observation o JOIN article a ON a.id = o.article_id "
                         "WHERE o.printed != substr(a.body, o.span_start + 1, o.span_end - o.span_start)")
    total = scalar(db, "SELECT count(*) FROM observation")
    assert (articles, figures) == (0, 0)
    assert total > 0


def documents(db: Path) -> list[dict[str, object]]:
    return dict_rows(db, "SELECT name, media_type, published, published_from, title, url FROM document ORDER BY name")


def count(db: Path, table: str) -> int:
    return int(scalar(db, f"SELECT count(*) FROM {table}"))


# --- same observations as plain text -----------------------------------------------------


def test_two_column_pdf_gives_the_plain_text_observations(tmp_path: Path, new_db: NewDb) -> None:
    pdf = make_pdf(tmp_path / "jcjk-20240715.pdf", [(PDF_HEADLINE, PDF_LEFT, PDF_RIGHT)])
    txt = write_text(tmp_path / "jcjk-20240715.txt", f"{PDF_HEADLINE}\n{PDF_LEFT}\n{PDF_RIGHT}\n")

    pdf_db, txt_db = new_db("pdf.sqlite"), new_db("txt.sqlite")
    result = cli_subprocess("ingest", str(pdf), "--db", str(pdf_db))
    assert result.returncode == 0, result.stderr
    assert "documents 1, articles 1, observations 8," in result.stderr
    assert cli("ingest", str(txt), "--db", str(txt_db)).exit_code == 0

    from_pdf = observations(pdf_db)
    assert from_pdf == observations(txt_db)
    assert len(from_pdf) == 8
    # The right column is read after the left one, and its figures are whole.
    assert ("晋城经济技术开发区", "规上工业增加值", "2024-H1", "4860000000", "元") in from_pdf
    assert ("晋城经济技术开发区", "进出口总额", None, "780000000", "元") in from_pdf
    assert ("晋城经济技术开发区", "进出口总额增速", None, "21.4", "%") in from_pdf
    [doc] = documents(pdf_db)
    assert doc["media_type"] == "application/pdf"
    assert (doc["published"], doc["published_from"]) == ("2024-07-15", "file name")


def test_html_page_gives_the_plain_text_observations_and_its_metadata(tmp_path: Path, new_db: NewDb) -> None:
    page = make_html(tmp_path / "news_1.html")
    txt = write_text(tmp_path / "ty-20240418.txt", HTML_TITLE + "\n" + "\n".join(HTML_PARAGRAPHS) + "\n")

    html_db, txt_db = new_db("html.sqlite"), new_db("txt.sqlite")
    result = cli("ingest", str(page), "--db", str(html_db))
    assert result.exit_code == 0, result.output
    assert cli("ingest", str(txt), "--db", str(txt_db)).exit_code == 0

    from_html = observations(html_db)
    assert from_html == observations(txt_db)
    assert len(from_html) == 5
    assert ("太原经济技术开发区", "营业收入", "2024-Q1", "26840000000", "元") in from_html
    # Nothing from the navigation, script or footer.
    assert all(r["printed"] != "0351" for r in exported(html_db))

    [doc] = documents(html_db)
    assert doc["media_type"] == "text/html"
    assert (doc["published"], doc["published_from"]) == (HTML_PUBLISHED, "metadata")
    assert doc["title"] == HTML_TITLE
    assert doc["url"] == "https://news.example.cn/ty/2024/0418/1.html"


def test_docx_paragraph_and_table_give_the_plain_text_observations(tmp_path: Path, new_db: NewDb) -> None:
    report = make_docx(tmp_path / "jz-20250120.docx")
    txt = write_text(tmp_path / "jz-20250120.txt", DOCX_AS_TEXT)

    docx_db, txt_db = new_db("docx.sqlite"), new_db("txt.sqlite")
    result = cli_subprocess("ingest", str(report), "--db", str(docx_db))
    assert result.returncode == 0, result.stderr
    assert cli("ingest", str(txt), "--db", str(txt_db)).exit_code == 0

    from_docx = observations(docx_db)
    assert from_docx == observations(txt_db)
    zone = "晋中经济技术开发区"
    # One row per table figure, with the period of its column and the unit of its row.
    table_rows = {r for r in from_docx if r[1] in ("地区生产总值", "固定资产投资增速")}
    assert table_rows == {
        (zone, "地区生产总值", "2023", "18640000000", "元"),
        (zone, "地区生产总值", "2024", "20170000000", "元"),
        (zone, "固定资产投资增速", "2023", "8.5", "%"),
        (zone, "固定资产投资增速", "2024", "10.2", "%"),
    }
    # The paragraph's figures are there as well.
    assert (zone, "税收", "2024", "1890000000", "元") in from_docx
    assert len(from_docx) == 6
    [doc] = documents(docx_db)
    assert doc["media_type"].endswith("wordprocessingml.document")
    assert doc["title"] == DOCX_HEADING


def test_format_is_chosen_by_content_not_by_extension(tmp_path: Path, new_db: NewDb) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    make_pdf(folder / "jcjk-20240715.txt", [(PDF_HEADLINE, PDF_LEFT, PDF_RIGHT)])
    make_docx(folder / "jz-20250120.dat")
    make_html(folder / "page")
    db = new_db("mixed.sqlite")
    result = cli("ingest", str(folder), "--db", str(db))
    assert result.exit_code == 0, result.output
    assert "documents 3, articles 3, observations 19," in result.stderr
    assert [(d["name"], d["media_type"]) for d in documents(db)] == [
        ("jcjk-20240715.txt", "application/pdf"),
        ("jz-20250120.dat", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("page", "text/html"),
    ]


# --- provenance --------------------------------------------------------------------------


def _obs_id(db: Path, printed: str) -> int:
    [row] = [r for r in exported(db) if r["printed"] == printed]
    return int(row["id"])  # type: ignore[arg-type]


def test_show_names_the_file_and_the_page_of_the_figure(tmp_path: Path, new_db: NewDb) -> None:
    pdf = make_pdf(tmp_path / "dt-20241025.pdf", [
        (P1_HEADLINE, P1_LEFT, P1_RIGHT),
        ("", P2_LEFT, P2_RIGHT),
    ])
    db = new_db("two.sqlite")
    result = cli("ingest", str(pdf), "--db", str(db))
    assert result.exit_code == 0, result.output
    assert count(db, "article") == 1  # one article running over both pages
    [(text,)] = rows(db, "SELECT text FROM document")
    assert text.count("\n\n") == 1  # the only blank line is the page break
    assert text.index("\n\n") < text.index("园区税收收入") and text.index("156.2亿元") < text.index("\n\n")

    # Every observation points into the stored article text.
    for r in exported(db):
        body = scalar(db, "SELECT a.body FROM article a JOIN observation o ON o.article_id = a.id WHERE o.id = :id",
                      {"id": r["id"]})
        assert body[r["span_start"] : r["span_end"]] == r["printed"]  # type: ignore[misc]

    on_page_2 = cli("show", str(_obs_id(db, "6.4亿元")), "--db", str(db))
    assert on_page_2.exit_code == 0, on_page_2.output
    assert "园区税收收入完成【6.4亿元】" in on_page_2.stdout
    assert "dt-20241025.pdf (page 2," in on_page_2.stdout

    on_page_1 = cli_subprocess("show", str(_obs_id(db, "156.2亿元")), "--db", str(db))
    assert on_page_1.returncode == 0, on_page_1.stderr
    assert "dt-20241025.pdf (page 1," in on_page_1.stdout


def test_show_for_plain_text_names_no_page(tmp_path: Path, new_db: NewDb) -> None:
    txt = write_text(tmp_path / "jcjk-20240715.txt", f"{PDF_HEADLINE}\n{PDF_LEFT}\n\n\n{PDF_RIGHT}\n")
    db = new_db("t.sqlite")
    assert cli("ingest", str(txt), "--db", str(db)).exit_code == 0
    shown = cli("show", str(_obs_id(db, "7.8亿元")), "--db", str(db))
    assert shown.exit_code == 0, shown.output
    assert "— jcjk-20240715.txt (article 1:" in shown.stdout
    assert "page" not in shown.stdout


# --- broken files ------------------------------------------------------------------------


def test_broken_files_are_reported_by_name_and_the_rest_goes_in(tmp_path: Path, new_db: NewDb) -> None:
    folder = tmp_path / "papers"
    folder.mkdir()
    make_pdf(folder / "jcjk-20240715.pdf", [(PDF_HEADLINE, PDF_LEFT, PDF_RIGHT)])
    make_html(folder / "news_1.html")
    make_docx(folder / "jz-20250120.docx")
    write_text(folder / "ty-20240418.txt", HTML_TITLE + "\n" + "\n".join(HTML_PARAGRAPHS) + "\n")
    make_scanned_pdf(folder / "scan-20240716.pdf")
    make_pdf(folder / "locked-20240717.pdf", [(PDF_HEADLINE, PDF_LEFT, PDF_RIGHT)], encrypt="secret")
    whole = make_pdf(tmp_path / "cut.pdf", [(PDF_HEADLINE, PDF_LEFT, PDF_RIGHT)]).read_bytes()
    (folder / "cut-20240718.pdf").write_bytes(whole[: len(whole) // 2])
    db = new_db("papers.sqlite")

    result = cli_subprocess("ingest", str(folder), "--db", str(db))
    assert result.returncode == 1, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert errors == [
        "error: cut-20240718.pdf: corrupt or truncated PDF: no %%EOF marker at the end of the file",
        "error: locked-20240717.pdf: encrypted PDF: password required",
        "error: scan-20240716.pdf: scanned PDF: no text layer (run OCR first)",
    ]
    assert "documents 4, articles 4, observations 24, skipped 0, empty 0, failed 3" in result.stderr
    assert result.stdout == ""
    assert count(db, "document") == 4
    assert count(db, "observation") == 24
    assert {d["name"] for d in documents(db)} == {
        "jcjk-20240715.pdf", "news_1.html", "jz-20250120.docx", "ty-20240418.txt"}

    # A second run adds nothing and reports the same three files.
    again = cli("ingest", str(folder), "--db", str(db))
    assert again.exit_code == 1
    assert "documents 0, articles 0, observations 0, skipped 4, empty 0, failed 3" in again.stderr
    assert count(db, "observation") == 24


@pytest.mark.parametrize("cut", [0.3, 0.9])
def test_truncated_docx_is_reported_by_name(tmp_path: Path, cut: float, new_db: NewDb) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    whole = make_docx(tmp_path / "whole.docx").read_bytes()
    (folder / "jz-20250120.docx").write_bytes(whole[: int(len(whole) * cut)])
    write_text(folder / "ty-20240418.txt", HTML_TITLE + "\n" + "\n".join(HTML_PARAGRAPHS) + "\n")
    db = new_db("r.sqlite")
    result = cli("ingest", str(folder), "--db", str(db))
    assert result.exit_code == 1
    [error] = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert error.startswith("error: jz-20250120.docx: corrupt .docx: ")
    assert "documents 1, articles 1, observations 5, skipped 0, empty 0, failed 1" in result.stderr
    assert count(db, "document") == 1
