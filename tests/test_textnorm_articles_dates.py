"""Text normalisation with offsets, article splitting, publication dates (own example texts)."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from zonedb.articles import split_articles
from zonedb.dates import date_from_name, date_from_text
from zonedb.textnorm import clean, fold_width, has_paragraph_lines, repair_glyphs


def test_fold_width_is_length_preserving() -> None:
    assert fold_width("２０２４年增长１２．５％") == "2024年增长12.5%"
    assert len(fold_width("ＡＢＣ１２３")) == 6


def test_glyph_repairs_only_next_to_numbers() -> None:
    assert repair_glyphs("开工率95.75豫，河南简称豫") == "开工率95.75%，河南简称豫"
    assert repair_glyphs("7伊24小时，伊犁") == "7×24小时，伊犁"


def test_clean_joins_lines_and_padding_and_maps_offsets_back() -> None:
    raw = "完成产值 909.4 亿元，占全区\n\n工业产值的 48.3豫；GreenTek Innovation"
    c = clean(raw)
    assert c.text == "完成产值909.4亿元，占全区工业产值的48.3%；GreenTek Innovation"
    start = c.text.index("909.4")
    a, b = c.to_original(start, start + len("909.4亿元"))
    assert raw[a:b] == "909.4 亿元"


def test_clean_keeps_paragraph_breaks_when_asked() -> None:
    assert clean("标题一行\n\n  第一段。\n第二段。", keep_paragraphs=True).text == "标题一行\n第一段。\n第二段。"


def test_paragraph_layout_is_told_from_printed_columns() -> None:
    columns = "\n\n".join(["今年以来，高平经济技术开发区顺应省市", "招商引资新形势新精神新要求，坚持以"] * 5)
    paragraphs = "标题\n" + "\n".join(["今年以来，临汾经济开发区坚持项目为王，完成投资十亿元，成效明显。"] * 5)
    assert not has_paragraph_lines(columns)
    assert has_paragraph_lines(paragraphs)


@given(st.text(alphabet=st.sampled_from(list("零一二3 4\n5.６亿元豫伊%，。abc ")), max_size=80))
def test_clean_offsets_always_point_at_the_same_character(raw: str) -> None:
    c = clean(raw)
    folded = repair_glyphs(fold_width(raw))
    assert len(c.index) == len(c.text)
    for i, ch in enumerate(c.text):
        if ch != " ":
            assert folded[c.index[i]] == ch


PAGE = (
    "本报讯 近日，高平经济技术开发区召开大会，\n\n全年签约项目16个。 王明\n"
    " 管理运营部立足新发展阶段，\n\n推进预算改革，覆盖率100%。 李红\n"
    "筑牢发展之基\n\n"
    "（上接 A1 版）\n\n临汾经济开发区梳理了53个重点项目。\n"
)


def test_newspaper_page_splits_at_leads_bylines_and_continuations() -> None:
    arts = split_articles(PAGE)
    bodies = [PAGE[a.start:a.end] for a in arts]
    assert len(arts) == 3
    assert bodies[0].startswith("本报讯") and bodies[0].endswith("王明")
    assert bodies[1].startswith("管理运营部") and bodies[1].endswith("李红")
    assert arts[1].title == "筑牢发展之基"  # the headline printed after an article belongs to it
    assert bodies[2].startswith("（上接 A1 版）")


def test_transcript_keeps_its_title_line() -> None:
    text = "开发区经济稳中有进\n\n    本台消息：今年以来，各地开发区完成投资三百亿元。\n    记者了解到，外资项目增加。\n"
    arts = split_articles(text)
    assert len(arts) == 1 and arts[0].title == "开发区经济稳中有进"
    assert text[arts[0].start:arts[0].end].endswith("外资项目增加。")


def test_publication_dates_from_names_and_datelines() -> None:
    assert date_from_name("xwlb-20230724-08.txt") == date(2023, 7, 24)
    assert date_from_name("paper_2024-09-10.pdf") == date(2024, 9, 10)
    assert date_from_name("report-2024.txt") is None
    assert date_from_name("id-20241399.txt") is None
    assert date_from_text("下载\n打印\n来源：山西日报\n时间：2026-02-11\n正文") == date(2026, 2, 11)
    assert date_from_text("——２０２６年１月２８日在省人民代表大会上") == date(2026, 1, 28)
    assert date_from_text("没有日期的文本") is None
