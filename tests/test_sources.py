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
