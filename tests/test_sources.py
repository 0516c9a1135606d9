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


def test_truncated_utf8(tmp_path: Path) -> None:
    full = SIMPLIFIED.encode("utf-8") + "园区".encode("utf-8")
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
    pages = [("第一版要闻", LEFT, RIGHT), ("第二版园区", "园区营业收入增长5.5豫。", "税收收入38亿元。")]
    data = _pdf(tmp_path, "two.pdf", pages)
    doc = read_document(data, "two.pdf")
    assert [p.number for p in doc.pages] == [1, 2]
    first, second = doc.pages
    assert doc.text[first.start : first.end].startswith("第一版要闻\n左栏")
    assert doc.text[second.start : second.end] == "第二版园区\n园区营业收入增长5.5%。\n税收收入38亿元。"
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

    writer = pypdf.PdfWriter(clone_from=io.BytesIO(_pdf(tmp_path, "a.pdf", [("标题", LEFT, RIGHT)])))
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
