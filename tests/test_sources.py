"""Tests of zonedb.sources: every input is built here, from sentences written for the tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from zonedb.errors import EmptyInputError, InputError
from zonedb.sources import (
    MEDIA_DOCX,
    MEDIA_HTML,
    MEDIA_PDF,
    MEDIA_TEXT,
    Page,
    read_document,
    sniff_format,
)

SIMPLIFIED = "今年一季度，高新区实现地区生产总值312.6亿元，同比增长6.8%。\n园区新签约项目42个，总投资额达到150亿元。\n"
TRADITIONAL = "今年一季度，高新區實現地區生產總值312.6億元，同比增長6.8%。\n園區新簽約項目42個，總投資額達到150億元。\n"


def _write(tmp_path: Path, name: str, data: bytes) -> bytes:
    path = tmp_path / name
    path.write_bytes(data)
    return path.read_bytes()


# --- plain text -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "encoding"),
    [
        (SIMPLIFIED.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + SIMPLIFIED.encode("utf-8"), "utf-8-sig"),
        (SIMPLIFIED.encode("gb18030"), "gb18030"),
        (b"\xff\xfe" + SIMPLIFIED.encode("utf-16-le"), "utf-16"),
        (b"\xfe\xff" + SIMPLIFIED.encode("utf-16-be"), "utf-16"),
        (b"\xff\xfe\x00\x00" + SIMPLIFIED.encode("utf-32-le"), "utf-32"),
        (SIMPLIFIED.encode("utf-16-le"), "utf-16-le"),
        (SIMPLIFIED.encode("utf-16-be"), "utf-16-be"),
    ],
)
def test_text_encodings_simplified(tmp_path: Path, raw: bytes, encoding: str) -> None:
    doc = read_document(_write(tmp_path, "news.txt", raw), "news.txt")
    assert doc.text == SIMPLIFIED
    assert doc.encoding == encoding
    assert doc.media_type == MEDIA_TEXT
    assert doc.pages == ()
    assert doc.title is None and doc.published is None and doc.url is None


def test_big5(tmp_path: Path) -> None:
    doc = read_document(_write(tmp_path, "tw.txt", TRADITIONAL.encode("big5")), "tw.txt")
    assert doc.text == TRADITIONAL
    assert doc.encoding == "big5"


@pytest.mark.parametrize(
    ("phrase", "codec"),
    [
        ("开发区", "gb18030"),
        ("营业收入", "gb18030"),
        ("经济开发区", "gb18030"),
        ("經濟開發區", "big5"),
        ("零售總額增長", "big5"),
        ("工業總產值", "big5"),
    ],
)
def test_short_phrases_gb_vs_big5(phrase: str, codec: str) -> None:
    doc = read_document(phrase.encode(codec), "short.txt")
    assert doc.text == phrase
    assert doc.encoding == codec


def test_newlines_normalised() -> None:
    raw = "第一行\r\n第二行\r第三行\n".encode("gb18030")
    doc = read_document(raw, "crlf.txt")
    assert doc.text == "第一行\n第二行\n第三行\n"
    assert doc.encoding == "gb18030"


def test_binary_refused(tmp_path: Path) -> None:
    raw = _write(tmp_path, "image.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    with pytest.raises(InputError) as info:
        read_document(raw, "image.txt")
    assert info.value.reason == "binary file, not text"
    assert info.value.name == "image.txt"
    assert str(info.value) == "image.txt: binary file, not text"


def test_control_characters_refused() -> None:
    raw = ("增长" + "\x01\x02\x03\x04" * 5 + "亿元").encode("utf-8")
    with pytest.raises(InputError, match="binary file, not text"):
        read_document(raw, "ctl.txt")


def test_binary_without_nuls_refused() -> None:
    raw = bytes(b for b in range(1, 256) if b not in b"\t\n\r\x0b\x0c") * 3
    with pytest.raises(InputError, match=r"^blob\.txt: binary file, not text$"):
        read_document(raw, "blob.txt")


def test_truncated_utf8(tmp_path: Path) -> None:
    full = SIMPLIFIED.encode("utf-8") + "园区".encode()
    raw = _write(tmp_path, "cut.txt", full[:-1])
    with pytest.raises(InputError) as info:
        read_document(raw, "cut.txt")
    assert not isinstance(info.value, EmptyInputError)
    assert info.value.reason == "truncated UTF-8: the file ends in the middle of a character"
    assert str(info.value).startswith("cut.txt: ")


def test_undecodable() -> None:
    raw = b"\x80\x80\xff\xff abc \xff\x80" * 3
    with pytest.raises(InputError) as info:
        read_document(raw, "junk.txt")
    assert info.value.reason == "cannot decode as UTF-8, UTF-16, GB18030 or Big5"


@pytest.mark.parametrize("raw", [b"", b"   \n\r\n\t ", b"\xef\xbb\xbf", b"\xff\xfe \x00\n\x00"])
def test_empty(tmp_path: Path, raw: bytes) -> None:
    data = _write(tmp_path, "blank.txt", raw)
    with pytest.raises(EmptyInputError) as info:
        read_document(data, "blank.txt")
    assert info.value.reason == "empty file"
    assert str(info.value) == "blank.txt: empty file"


def test_sniff_text_and_html() -> None:
    assert sniff_format("园区<html>".encode()) == MEDIA_TEXT
    assert sniff_format(b"\xef\xbb\xbf\n  <!DOCTYPE html><html>") == MEDIA_HTML
    assert sniff_format(b"<!-- saved --><meta charset=gbk>") == MEDIA_HTML
    assert sniff_format(b"%PDF-1.4\n") == MEDIA_PDF


# --- PDF ------------------------------------------------------------------------------

LEFT = (
    "左栏：今年一季度，高新区实现地区生产总值312.6亿元，同比增长6.8豫。"
    "规模以上工业增加值增长9.1豫，工业投资保持较快增长。"
)
RIGHT = (
    "右栏：经济技术开发区外贸进出口总额完成85.3亿元，增长12.4豫。"
    "实际使用外资2.1亿美元，新设外资企业17家。"
)


def _cid_font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


def _two_column_page(c: object, headline: str, left: str, right: str) -> None:
    """Draw a headline and two columns, interleaving the columns' lines in the stream."""
    font = _cid_font()
    c.setFont(font, 18)  # type: ignore[attr-defined]
    c.drawString(60, 780, headline)  # type: ignore[attr-defined]
    c.setFont(font, 11)  # type: ignore[attr-defined]
    lines_l = [left[i : i + 20] for i in range(0, len(left), 20)]
    lines_r = [right[i : i + 20] for i in range(0, len(right), 20)]
    y = 740.0
    for i in range(max(len(lines_l), len(lines_r))):
        if i < len(lines_r):
            c.drawString(320, y, lines_r[i])  # type: ignore[attr-defined]
        if i < len(lines_l):
            c.drawString(60, y, lines_l[i])  # type: ignore[attr-defined]
        y -= 16


def _pdf(tmp_path: Path, name: str, pages: list[tuple[str, str, str]], **kw: object) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    path = tmp_path / name
    c = canvas.Canvas(str(path), pagesize=A4, **kw)
    for headline, left, right in pages:
        _two_column_page(c, headline, left, right)
        c.showPage()
    c.save()
    return path.read_bytes()


def test_pdf_two_columns(tmp_path: Path) -> None:
    data = _pdf(tmp_path, "paper.pdf", [("高新区经济运行稳中有进", LEFT, RIGHT)])
    doc = read_document(data, "paper.pdf")
    assert doc.media_type == MEDIA_PDF
    assert doc.encoding is None
    left = LEFT.replace("豫", "%")
    right = RIGHT.replace("豫", "%")
    assert doc.text == f"高新区经济运行稳中有进\n{left}\n{right}"
    # Left column first, its sentences whole although they were broken across lines.
    assert doc.text.index("同比增长6.8%。") < doc.text.index("右栏：")
    assert "完成85.3亿元" in doc.text  # a number broken over two lines joins again
    assert "豫" not in doc.text
    assert doc.pages == (Page(number=1, start=0, end=len(doc.text)),)


def test_pdf_two_pages(tmp_path: Path) -> None:
    pages = [
        ("第一版要闻", LEFT, RIGHT),
        ("第二版园区", "园区营业收入增长5.5豫。", "税收收入38亿元。"),
    ]
    data = _pdf(tmp_path, "two.pdf", pages)
    doc = read_document(data, "two.pdf")
    assert [p.number for p in doc.pages] == [1, 2]
    first, second = doc.pages
    assert doc.text[first.start : first.end].startswith("第一版要闻\n左栏")
    assert (
        doc.text[second.start : second.end]
        == "第二版园区\n园区营业收入增长5.5%。\n税收收入38亿元。"
    )
    assert first.end < second.start
    assert second.end == len(doc.text)


def test_pdf_sniffed_despite_txt_name(tmp_path: Path) -> None:
    data = _pdf(tmp_path, "paper.txt", [("标题", LEFT, RIGHT)])
    doc = read_document(data, "paper.txt")
    assert doc.media_type == MEDIA_PDF
    assert "312.6亿元" in doc.text


def test_pdf_without_text_layer(tmp_path: Path) -> None:
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path))
    c.rect(100, 100, 300, 400, fill=1)
    c.showPage()
    c.save()
    with pytest.raises(InputError) as info:
        read_document(path.read_bytes(), "scan.pdf")
    assert info.value.reason == "scanned PDF: no text layer (run OCR first)"
    assert info.value.name == "scan.pdf"


def test_pdf_encrypted_reportlab(tmp_path: Path) -> None:
    data = _pdf(tmp_path, "locked.pdf", [("标题", LEFT, RIGHT)], encrypt="secret")
    with pytest.raises(InputError) as info:
        read_document(data, "locked.pdf")
    assert info.value.reason == "encrypted PDF: password required"


def test_pdf_encrypted_aes_pypdf(tmp_path: Path) -> None:
    import io

    import pypdf

    writer = pypdf.PdfWriter(
        clone_from=io.BytesIO(_pdf(tmp_path, "a.pdf", [("标题", LEFT, RIGHT)]))
    )
    writer.encrypt("secret", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(InputError, match=r"^aes\.pdf: encrypted PDF: password required$"):
        read_document(out.getvalue(), "aes.pdf")


def test_pdf_truncated(tmp_path: Path) -> None:
    data = _pdf(tmp_path, "cut.pdf", [("标题", LEFT, RIGHT)])
    with pytest.raises(InputError) as info:
        read_document(data[: len(data) // 2], "cut.pdf")
    assert info.value.reason.startswith("corrupt or truncated PDF: ")


def test_pdf_corrupt_body(tmp_path: Path) -> None:
    data = _pdf(tmp_path, "bad.pdf", [("标题", LEFT, RIGHT)])
    damaged = data[: len(data) // 2] + b"\n%%EOF\n"
    with pytest.raises(InputError) as info:
        read_document(damaged, "bad.pdf")
    assert info.value.reason.startswith("corrupt or truncated PDF: ")


def test_join_lines() -> None:
    from zonedb.sources._pdf import join_lines

    assert join_lines(["完成8", "5.3亿元"]) == "完成85.3亿元"
    assert join_lines(["the develop-", "ment zone"]) == "the development zone"
    assert join_lines(["Suzhou Industrial", "Park"]) == "Suzhou Industrial Park"
    assert join_lines(["园区", "", "产值"]) == "园区产值"


# --- HTML -----------------------------------------------------------------------------

ARTICLE_HTML = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="{charset}">
<title>高新区一季度经济运行稳中有进_新闻中心</title>
<meta property="article:published_time" content="2024-05-06T08:00:00+08:00">
<link rel="canonical" href="https://news.example.cn/2024/05/06/zone.html">
<style>.nav {{ color: red }}</style>
<script>var counter = "脚本统计增长99%";</script>
</head>
<body>
<nav class="nav"><ul><li><a href="/">首页</a></li><li><a href="/news">新闻中心</a></li>
<li><a href="/gov">政务公开</a></li><li><a href="/biz">招商引资</a></li></ul></nav>
<!-- 广告位：园区招商热线 -->
<div class="article">
<h1>高新区一季度经济运行稳中有进</h1>
<p>今年一季度，高新区实现地区生产总值312.6亿元，同比增长6.8%。规模以上工业增加值增长9.1%。</p>
<p>园区新签约项目42个，总投资额达到150亿元，其中亿元以上项目18个。</p>
</div>
<script>document.write("脚本里的文字");</script>
<div class="footer">版权所有 高新区管委会 联系我们 网站地图</div>
</body></html>
"""


def test_html_article(tmp_path: Path) -> None:
    raw = _write(tmp_path, "page.htm", ARTICLE_HTML.format(charset="gbk").encode("gbk"))
    doc = read_document(raw, "page.htm")
    assert doc.media_type == MEDIA_HTML
    assert doc.encoding == "gb18030"
    assert doc.title == "高新区一季度经济运行稳中有进"  # the h1, without the site suffix of <title>
    assert doc.published is not None and doc.published.isoformat() == "2024-05-06"
    assert doc.url == "https://news.example.cn/2024/05/06/zone.html"
    assert doc.text == (
        "高新区一季度经济运行稳中有进\n"
        "今年一季度，高新区实现地区生产总值312.6亿元，同比增长6.8%。规模以上工业增加值增长9.1%。\n"
        "园区新签约项目42个，总投资额达到150亿元，其中亿元以上项目18个。"
    )
    for unwanted in ("首页", "招商引资", "脚本", "广告位", "color", "版权所有"):
        assert unwanted not in doc.text


def test_html_og_title_and_visible_date(tmp_path: Path) -> None:
    page = (
        '<html><head><meta property="og:title" content="园区营收创新高">'
        '<meta property="og:url" content="https://example.cn/a/1"></head><body>'
        "<h1>园区营收创新高</h1><p>2024年3月15日 来源：本报</p>"
        "<p>今年前两个月，园区实现营业收入88.2亿元，同比增长15.3%，增速居全市首位。</p>"
        "</body></html>"
    )
    doc = read_document(page.encode("utf-8"), "short.html")
    assert doc.title == "园区营收创新高"
    assert doc.url == "https://example.cn/a/1"
    assert doc.published is not None and doc.published.isoformat() == "2024-03-15"
    assert "营业收入88.2亿元" in doc.text
    assert doc.encoding == "utf-8"


def test_html_undeclared_charset_falls_back_to_detection() -> None:
    page = "<html><body><p>開發區外貿進出口總額增長12.4%，實際使用外資2.1億美元。</p></body></html>"
    doc = read_document(page.encode("big5"), "tw.html")
    assert doc.encoding == "big5"
    assert doc.text == "開發區外貿進出口總額增長12.4%，實際使用外資2.1億美元。"
    assert doc.published is None and doc.title is None and doc.url is None


# --- DOCX -----------------------------------------------------------------------------


def _docx(tmp_path: Path, name: str = "report.docx", core_title: str = "") -> bytes:
    from docx import Document

    d = Document()
    d.core_properties.title = core_title
    d.add_heading("高新区2024年经济运行情况", level=1)
    d.add_paragraph("全区经济运行总体平稳，主要指标如下。")
    table = d.add_table(rows=3, cols=3)
    cells = [
        ["指标", "2023年", "2024年"],
        ["地区生产总值（亿元）", "1234.5", "1320.8"],
        ["工业增加值增速（%）", "6.1", ""],
    ]
    for r, row in enumerate(cells):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    plain = d.add_table(rows=2, cols=2)
    for (r, c), value in {
        (0, 0): "企业",
        (0, 1): "行业",
        (1, 0): "甲公司",
        (1, 1): "电子信息",
    }.items():
        plain.cell(r, c).text = value
    d.add_paragraph("以上数据为初步统计。")
    path = tmp_path / name
    d.save(str(path))
    return path.read_bytes()


def test_docx_paragraphs_and_tables(tmp_path: Path) -> None:
    doc = read_document(_docx(tmp_path), "report.docx")
    assert doc.media_type == MEDIA_DOCX
    assert doc.encoding is None
    assert doc.title == "高新区2024年经济运行情况"
    assert doc.text == (
        "高新区2024年经济运行情况\n"
        "全区经济运行总体平稳，主要指标如下。\n"
        "2023年地区生产总值1234.5亿元。\n"
        "2024年地区生产总值1320.8亿元。\n"
        "2023年工业增加值增速6.1%。\n"
        "企业，行业\n"
        "甲公司，电子信息\n"
        "以上数据为初步统计。"
    )
    assert doc.published is None  # python-docx's template creation time is not a date


def test_docx_core_title_wins(tmp_path: Path) -> None:
    doc = read_document(_docx(tmp_path, core_title="经济运行报告"), "report.docx")
    assert doc.title == "经济运行报告"


def test_docx_sniffed_despite_name(tmp_path: Path) -> None:
    doc = read_document(_docx(tmp_path, "report.txt"), "report.txt")
    assert doc.media_type == MEDIA_DOCX


def test_docx_corrupt(tmp_path: Path) -> None:
    import io
    import zipfile

    data = _docx(tmp_path)
    with pytest.raises(InputError) as info:
        read_document(data[: len(data) // 2], "cut.docx")
    assert info.value.reason.startswith("corrupt .docx: ")

    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            payload = src.read(item)
            if item.filename == "word/document.xml":
                payload = payload[: len(payload) // 2]
            dst.writestr(item, payload)
    with pytest.raises(InputError) as info:
        read_document(out.getvalue(), "broken.docx")
    assert info.value.reason.startswith("corrupt .docx: ")


def test_zip_that_is_not_docx() -> None:
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("data.csv", "指标,2024年\n")
    with pytest.raises(InputError) as info:
        read_document(out.getvalue(), "data.docx")
    assert info.value.reason == "zip archive is not a .docx document"


def test_render_table_periods() -> None:
    from zonedb.sources._docx import render_table

    rows = [
        ["指标", "2024年一季度", "2024年1-6月"],
        ["营业收入(亿元)", "88.2", "190"],
        ["企业数", "12", "-"],
    ]
    assert render_table(rows) == [
        "2024年一季度营业收入88.2亿元。",
        "2024年1-6月营业收入190亿元。",
        "2024年一季度企业数12。",
    ]
    assert render_table([["地区", "产值"], ["东区", "12"]]) == ["地区，产值", "东区，12"]
