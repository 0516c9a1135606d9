"""Tests for zonedb.periods: every supported form, year resolution, spans and properties."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zonedb.periods import Period, find_periods, parse_period, period_between

PUB = date(2024, 9, 10)
D = date


def one(text: str, published: date = PUB, year: int | None = None) -> Period:
    """The single match of ``text``, which must cover the whole string."""
    ms = find_periods(text, published, year=year)
    assert len(ms) == 1, [(m.text, m.period.code) for m in ms]
    assert (ms[0].start, ms[0].end) == (0, len(text))
    return ms[0].period


def row(p: Period) -> tuple[date | None, date | None, str, str]:
    return (p.start, p.end, p.kind, p.code)


# (text, start, end, kind, code) — published 2024-09-10
CASES: list[tuple[str, date | None, date | None, str, str]] = [
    # years
    ("2023年", D(2023, 1, 1), D(2023, 12, 31), "year", "2023"),
    ("2023 年", D(2023, 1, 1), D(2023, 12, 31), "year", "2023"),
    ("2023年度", D(2023, 1, 1), D(2023, 12, 31), "year", "2023"),
    ("二〇二三年", D(2023, 1, 1), D(2023, 12, 31), "year", "2023"),
    ("二零二三年", D(2023, 1, 1), D(2023, 12, 31), "year", "2023"),
    ("今年", D(2024, 1, 1), D(2024, 12, 31), "year", "2024"),
    ("本年", D(2024, 1, 1), D(2024, 12, 31), "year", "2024"),
    ("本年度", D(2024, 1, 1), D(2024, 12, 31), "year", "2024"),
    ("当年", D(2024, 1, 1), D(2024, 12, 31), "year", "2024"),
    ("全年", D(2023, 1, 1), D(2023, 12, 31), "year", "2023"),
    ("今年全年", D(2024, 1, 1), D(2024, 12, 31), "year", "2024"),
    ("2024年全年", D(2024, 1, 1), D(2024, 12, 31), "year", "2024"),
    ("去年", D(2023, 1, 1), D(2023, 12, 31), "year", "2023"),
    ("上年", D(2023, 1, 1), D(2023, 12, 31), "year", "2023"),
    ("上一年", D(2023, 1, 1), D(2023, 12, 31), "year", "2023"),
    ("前年", D(2022, 1, 1), D(2022, 12, 31), "year", "2022"),
    ("明年", D(2025, 1, 1), D(2025, 12, 31), "year", "2025"),
    ("1949年", D(1949, 1, 1), D(1949, 12, 31), "year", "1949"),
    ("2100年", D(2100, 1, 1), D(2100, 12, 31), "year", "2100"),
    # halves
    ("上半年", D(2024, 1, 1), D(2024, 6, 30), "half", "2024-H1"),
    ("下半年", D(2023, 7, 1), D(2023, 12, 31), "half", "2023-H2"),
    ("今年上半年", D(2024, 1, 1), D(2024, 6, 30), "half", "2024-H1"),
    ("今年下半年", D(2024, 7, 1), D(2024, 12, 31), "half", "2024-H2"),
    ("2024年上半年", D(2024, 1, 1), D(2024, 6, 30), "half", "2024-H1"),
    ("2023年上半年", D(2023, 1, 1), D(2023, 6, 30), "half", "2023-H1"),
    ("去年下半年", D(2023, 7, 1), D(2023, 12, 31), "half", "2023-H2"),
    ("1—6月", D(2024, 1, 1), D(2024, 6, 30), "half", "2024-H1"),
    ("前6个月", D(2024, 1, 1), D(2024, 6, 30), "half", "2024-H1"),
    # quarters
    ("一季度", D(2024, 1, 1), D(2024, 3, 31), "quarter", "2024-Q1"),
    ("第一季度", D(2024, 1, 1), D(2024, 3, 31), "quarter", "2024-Q1"),
    ("1季度", D(2024, 1, 1), D(2024, 3, 31), "quarter", "2024-Q1"),
    ("第1季度", D(2024, 1, 1), D(2024, 3, 31), "quarter", "2024-Q1"),
    ("二季度", D(2024, 4, 1), D(2024, 6, 30), "quarter", "2024-Q2"),
    ("三季度", D(2023, 7, 1), D(2023, 9, 30), "quarter", "2023-Q3"),
    ("四季度", D(2023, 10, 1), D(2023, 12, 31), "quarter", "2023-Q4"),
    ("今年三季度", D(2024, 7, 1), D(2024, 9, 30), "quarter", "2024-Q3"),
    ("2023年一季度", D(2023, 1, 1), D(2023, 3, 31), "quarter", "2023-Q1"),
    ("2024年第三季度", D(2024, 7, 1), D(2024, 9, 30), "quarter", "2024-Q3"),
    ("7—9月", D(2023, 7, 1), D(2023, 9, 30), "quarter", "2023-Q3"),
    ("前三季度", D(2023, 1, 1), D(2023, 9, 30), "ytd", "2023-01..2023-09"),
    ("今年前三季度", D(2024, 1, 1), D(2024, 9, 30), "ytd", "2024-01..2024-09"),
    ("前两季度", D(2024, 1, 1), D(2024, 6, 30), "half", "2024-H1"),
    ("2024年度1-2季度", D(2024, 1, 1), D(2024, 6, 30), "half", "2024-H1"),
    ("2024年1—3季度", D(2024, 1, 1), D(2024, 9, 30), "ytd", "2024-01..2024-09"),
    ("2024年二至三季度", D(2024, 4, 1), D(2024, 9, 30), "range", "2024-04..2024-09"),
    ("第三、四季度", D(2023, 7, 1), D(2023, 12, 31), "half", "2023-H2"),
    ("今年一、二季度", D(2024, 1, 1), D(2024, 6, 30), "half", "2024-H1"),
    ("1、2月份", D(2024, 1, 1), D(2024, 2, 29), "ytd", "2024-01..2024-02"),
    # month ranges and ytd, every dash form
    ("1—7月份", D(2024, 1, 1), D(2024, 7, 31), "ytd", "2024-01..2024-07"),
    ("1-7月", D(2024, 1, 1), D(2024, 7, 31), "ytd", "2024-01..2024-07"),
    ("1–7月", D(2024, 1, 1), D(2024, 7, 31), "ytd", "2024-01..2024-07"),
    ("1~7月", D(2024, 1, 1), D(2024, 7, 31), "ytd", "2024-01..2024-07"),
    ("1～7月", D(2024, 1, 1), D(2024, 7, 31), "ytd", "2024-01..2024-07"),
    ("1至7月", D(2024, 1, 1), D(2024, 7, 31), "ytd", "2024-01..2024-07"),
    ("1到7月", D(2024, 1, 1), D(2024, 7, 31), "ytd", "2024-01..2024-07"),
    ("1－7月", D(2024, 1, 1), D(2024, 7, 31), "ytd", "2024-01..2024-07"),
    ("1——7月", D(2024, 1, 1), D(2024, 7, 31), "ytd", "2024-01..2024-07"),
    ("1 — 7 月份", D(2024, 1, 1), D(2024, 7, 31), "ytd", "2024-01..2024-07"),
    ("1月—7月", D(2024, 1, 1), D(2024, 7, 31), "ytd", "2024-01..2024-07"),
    ("1月至7月份", D(2024, 1, 1), D(2024, 7, 31), "ytd", "2024-01..2024-07"),
    ("一至七月", D(2024, 1, 1), D(2024, 7, 31), "ytd", "2024-01..2024-07"),
    ("一至十一月", D(2023, 1, 1), D(2023, 11, 30), "ytd", "2023-01..2023-11"),
    ("今年1—7月份", D(2024, 1, 1), D(2024, 7, 31), "ytd", "2024-01..2024-07"),
    ("2023年1-7月", D(2023, 1, 1), D(2023, 7, 31), "ytd", "2023-01..2023-07"),
    ("今年前7个月", D(2024, 1, 1), D(2024, 7, 31), "ytd", "2024-01..2024-07"),
    ("前7个月", D(2024, 1, 1), D(2024, 7, 31), "ytd", "2024-01..2024-07"),
    ("前两个月", D(2024, 1, 1), D(2024, 2, 29), "ytd", "2024-01..2024-02"),
    ("1—2月份", D(2024, 1, 1), D(2024, 2, 29), "ytd", "2024-01..2024-02"),
    ("2023年1—2月", D(2023, 1, 1), D(2023, 2, 28), "ytd", "2023-01..2023-02"),
    ("2000年1—2月", D(2000, 1, 1), D(2000, 2, 29), "ytd", "2000-01..2000-02"),
    ("1900年1—2月", None, None, "", ""),  # year out of range: see test below
    ("3—7月", D(2024, 3, 1), D(2024, 7, 31), "range", "2024-03..2024-07"),
    ("1—12月", D(2023, 1, 1), D(2023, 12, 31), "year", "2023"),
    # single months
    ("7月份", D(2024, 7, 1), D(2024, 7, 31), "month", "2024-07"),
    ("7月", D(2024, 7, 1), D(2024, 7, 31), "month", "2024-07"),
    ("07月", D(2024, 7, 1), D(2024, 7, 31), "month", "2024-07"),
    ("七月", D(2024, 7, 1), D(2024, 7, 31), "month", "2024-07"),
    ("十二月", D(2023, 12, 1), D(2023, 12, 31), "month", "2023-12"),
    ("11月", D(2023, 11, 1), D(2023, 11, 30), "month", "2023-11"),
    ("9月", D(2023, 9, 1), D(2023, 9, 30), "month", "2023-09"),
    ("8月", D(2024, 8, 1), D(2024, 8, 31), "month", "2024-08"),
    ("2月", D(2024, 2, 1), D(2024, 2, 29), "month", "2024-02"),
    ("2023年2月", D(2023, 2, 1), D(2023, 2, 28), "month", "2023-02"),
    ("去年12月", D(2023, 12, 1), D(2023, 12, 31), "month", "2023-12"),
    ("上月", D(2024, 8, 1), D(2024, 8, 31), "month", "2024-08"),
    ("上个月", D(2024, 8, 1), D(2024, 8, 31), "month", "2024-08"),
    ("本月", D(2024, 9, 1), D(2024, 9, 30), "month", "2024-09"),
    # days
    ("8月26日", D(2024, 8, 26), D(2024, 8, 26), "day", "2024-08-26"),
    ("8月26号", D(2024, 8, 26), D(2024, 8, 26), "day", "2024-08-26"),
    ("9月10日", D(2024, 9, 10), D(2024, 9, 10), "day", "2024-09-10"),
    ("9月11日", D(2023, 9, 11), D(2023, 9, 11), "day", "2023-09-11"),
    ("2024年8月26日", D(2024, 8, 26), D(2024, 8, 26), "day", "2024-08-26"),
    ("八月二十六日", D(2024, 8, 26), D(2024, 8, 26), "day", "2024-08-26"),
    ("2月29日", D(2024, 2, 29), D(2024, 2, 29), "day", "2024-02-29"),
    # since
    ("2023年以来", D(2023, 1, 1), PUB, "since", "since 2023-01-01..2024-09-10"),
    ("2023 年以来", D(2023, 1, 1), PUB, "since", "since 2023-01-01..2024-09-10"),
    ("今年以来", D(2024, 1, 1), PUB, "since", "since 2024-01-01..2024-09-10"),
    ("去年以来", D(2023, 1, 1), PUB, "since", "since 2023-01-01..2024-09-10"),
    ("2019年至今", D(2019, 1, 1), PUB, "since", "since 2019-01-01..2024-09-10"),
    ("9月以来", D(2024, 9, 1), PUB, "since", "since 2024-09-01..2024-09-10"),
    ("今年6月份以来", D(2024, 6, 1), PUB, "since", "since 2024-06-01..2024-09-10"),
    ("“十四五”以来", D(2021, 1, 1), PUB, "since", "since 2021-01-01..2024-09-10"),
    ('"十四五"以来', D(2021, 1, 1), PUB, "since", "since 2021-01-01..2024-09-10"),
    ("「十四五」以来", D(2021, 1, 1), PUB, "since", "since 2021-01-01..2024-09-10"),
    ("十四五以来", D(2021, 1, 1), PUB, "since", "since 2021-01-01..2024-09-10"),
    ("两年来", D(2022, 9, 10), PUB, "since", "since 2022-09-10..2024-09-10"),
    ("近两年来", D(2022, 9, 10), PUB, "since", "since 2022-09-10..2024-09-10"),
    ("近三年", D(2021, 9, 10), PUB, "since", "since 2021-09-10..2024-09-10"),
    ("三年来", D(2021, 9, 10), PUB, "since", "since 2021-09-10..2024-09-10"),
    ("近10年", D(2014, 9, 10), PUB, "since", "since 2014-09-10..2024-09-10"),
    ("十年以来", D(2014, 9, 10), PUB, "since", "since 2014-09-10..2024-09-10"),
    ("过去五年", D(2019, 9, 10), PUB, "since", "since 2019-09-10..2024-09-10"),
    ("近三个月", D(2024, 6, 10), PUB, "since", "since 2024-06-10..2024-09-10"),
    # five-year plans
    ('"十三五"期间', D(2016, 1, 1), D(2020, 12, 31), "range", "2016-01..2020-12"),
    ("“十三五”期间", D(2016, 1, 1), D(2020, 12, 31), "range", "2016-01..2020-12"),
    ("“十四五”期间", D(2021, 1, 1), D(2025, 12, 31), "range", "2021-01..2025-12"),
    ("“十四五”时期", D(2021, 1, 1), D(2025, 12, 31), "range", "2021-01..2025-12"),
    ("十一五", D(2006, 1, 1), D(2010, 12, 31), "range", "2006-01..2010-12"),
    # as of
    ("截至6月底", None, D(2024, 6, 30), "as_of", "as of 2024-06-30"),
    ("截至6月末", None, D(2024, 6, 30), "as_of", "as of 2024-06-30"),
    ("截止6月底", None, D(2024, 6, 30), "as_of", "as of 2024-06-30"),
    ("截至2024年6月底", None, D(2024, 6, 30), "as_of", "as of 2024-06-30"),
    ("截至 2024 年 6 月底", None, D(2024, 6, 30), "as_of", "as of 2024-06-30"),
    ("截至6月", None, D(2024, 6, 30), "as_of", "as of 2024-06-30"),
    ("截至9月底", None, D(2023, 9, 30), "as_of", "as of 2023-09-30"),
    ("截至目前", None, PUB, "as_of", "as of 2024-09-10"),
    ("截至目前为止", None, PUB, "as_of", "as of 2024-09-10"),
    ("到目前为止", None, PUB, "as_of", "as of 2024-09-10"),
    ("截至去年底", None, D(2023, 12, 31), "as_of", "as of 2023-12-31"),
    ("截至上年末", None, D(2023, 12, 31), "as_of", "as of 2023-12-31"),
    ("到2023年底", None, D(2023, 12, 31), "as_of", "as of 2023-12-31"),
    ("到2023年年底", None, D(2023, 12, 31), "as_of", "as of 2023-12-31"),
    ("2023年末", None, D(2023, 12, 31), "as_of", "as of 2023-12-31"),
    ("今年年底", None, D(2024, 12, 31), "as_of", "as of 2024-12-31"),
    ("去年底", None, D(2023, 12, 31), "as_of", "as of 2023-12-31"),
    ("6月末", None, D(2024, 6, 30), "as_of", "as of 2024-06-30"),
    ("6月底", None, D(2024, 6, 30), "as_of", "as of 2024-06-30"),
    ("2月末", None, D(2024, 2, 29), "as_of", "as of 2024-02-29"),
    ("年末", None, D(2023, 12, 31), "as_of", "as of 2023-12-31"),
    ("年底", None, D(2023, 12, 31), "as_of", "as of 2023-12-31"),
    ("一季度末", None, D(2024, 3, 31), "as_of", "as of 2024-03-31"),
    ("上半年末", None, D(2024, 6, 30), "as_of", "as of 2024-06-30"),
    ("截至2024年8月31日", None, D(2024, 8, 31), "as_of", "as of 2024-08-31"),
    ("截至8月31日", None, D(2024, 8, 31), "as_of", "as of 2024-08-31"),
    ("截至2023年", None, D(2023, 12, 31), "as_of", "as of 2023-12-31"),
    # explicit ranges
    ("2021—2023年", D(2021, 1, 1), D(2023, 12, 31), "range", "2021-01..2023-12"),
    ("2021年至2023年", D(2021, 1, 1), D(2023, 12, 31), "range", "2021-01..2023-12"),
    ("2023年7月至2024年6月", D(2023, 7, 1), D(2024, 6, 30), "range", "2023-07..2024-06"),
    ("2024年8月26日—28日", D(2024, 8, 26), D(2024, 8, 28), "range", "2024-08-26..2024-08-28"),
    ("2024年8月26日至9月2日", D(2024, 8, 26), D(2024, 9, 2), "range", "2024-08-26..2024-09-02"),
]
CASES = [c for c in CASES if c[3]]


@pytest.mark.parametrize(("text", "start", "end", "kind", "code"), CASES, ids=[c[0] for c in CASES])
def test_forms(text: str, start: date | None, end: date | None, kind: str, code: str) -> None:
    p = one(text)
    assert row(p) == (start, end, kind, code)
    assert parse_period(text, PUB) == p


@pytest.mark.parametrize(
    "text",
    ["近年来", "多年来", "三年", "30年代", "1800年", "2101年", "123", "增长7.5%", "12345年",
     "13月", "7个月", "相当年轻", "连续三季度", "2023", "第三", "年轻人", "近几年"],
)
def test_non_periods(text: str) -> None:
    assert find_periods(text, PUB) == []


def test_out_of_range_year_with_months_is_not_a_2024_period() -> None:
    assert all(m.period.start is None or m.period.start.year != 1900
               for m in find_periods("1900年1—2月", PUB))


def test_day_is_not_a_month() -> None:
    (m,) = find_periods("8月26日，园区签约", PUB)
    assert m.text == "8月26日" and m.period.kind == "day"
    assert [m.period.kind for m in find_periods("2月30日", PUB)] == []


def test_year_prefix_binds() -> None:
    for text in ("2023年上半年", "2023年一季度", "2023年1—7月", "2023年7月"):
        (m,) = find_periods(text, PUB)
        assert m.text == text and m.period.start is not None and m.period.start.year == 2023


def test_longest_match_and_sentences() -> None:
    text = "今年1—7月份，全区实现地区生产总值123.4亿元，同比增长5.6%；2023年以来累计引进项目45个。"
    ms = find_periods(text, PUB)
    assert [m.text for m in ms] == ["今年1—7月份", "2023年以来"]
    assert [m.period.code for m in ms] == ["2024-01..2024-07", "since 2023-01-01..2024-09-10"]
    for m in ms:
        assert text[m.start:m.end] == m.text


def test_several_periods_in_one_text() -> None:
    text = "截至6月底，企业达到1200家；上半年完成投资30亿元，一季度为12亿元，较去年同期增长8%。"
    ms = find_periods(text, PUB)
    assert [(m.text, m.period.code) for m in ms] == [
        ("截至6月底", "as of 2024-06-30"),
        ("上半年", "2024-H1"),
        ("一季度", "2024-Q1"),
        ("去年", "2023"),
    ]
    assert all(text[m.start:m.end] == m.text for m in ms)


def test_caller_decides_context() -> None:
    (m,) = find_periods("2019年开始建设", PUB)
    assert m.text == "2019年" and m.period.code == "2019"
    (m,) = find_periods("第三季度上市", PUB)
    assert m.text == "第三季度" and m.period.kind == "quarter"


# Year resolution around year boundaries: (published, text, code)
RESOLUTION = [
    (D(2024, 10, 25), "前三季度", "2024-01..2024-09"),
    (D(2024, 9, 30), "前三季度", "2024-01..2024-09"),
    (D(2024, 9, 29), "前三季度", "2023-01..2023-09"),
    (D(2025, 1, 15), "全年", "2024"),
    (D(2024, 12, 31), "全年", "2024"),
    (D(2025, 1, 15), "今年", "2025"),
    (D(2025, 1, 15), "去年", "2024"),
    (D(2025, 1, 15), "四季度", "2024-Q4"),
    (D(2025, 1, 15), "一季度", "2024-Q1"),
    (D(2025, 1, 15), "12月", "2024-12"),
    (D(2025, 1, 15), "1月", "2024-01"),
    (D(2025, 1, 31), "1月", "2025-01"),
    (D(2025, 1, 15), "1—11月", "2024-01..2024-11"),
    (D(2025, 1, 15), "下半年", "2024-H2"),
    (D(2025, 1, 15), "上半年", "2024-H1"),
    (D(2025, 1, 15), "截至12月底", "as of 2024-12-31"),
    (D(2025, 1, 15), "年底", "as of 2024-12-31"),
    (D(2025, 1, 15), "1月以来", "since 2025-01-01..2025-01-15"),
    (D(2025, 1, 15), "1月10日", "2025-01-10"),
    (D(2025, 1, 15), "1月20日", "2024-01-20"),
    (D(2025, 3, 1), "2月29日", "2024-02-29"),
    (D(2025, 3, 1), "1—2月", "2025-01..2025-02"),
    (D(2024, 7, 1), "上半年", "2024-H1"),
    (D(2024, 6, 29), "上半年", "2023-H1"),
]


@pytest.mark.parametrize(("published", "text", "code"), RESOLUTION)
def test_resolution(published: date, text: str, code: str) -> None:
    assert one(text, published).code == code


def test_context_year() -> None:
    assert one("上半年", PUB, year=2022).code == "2022-H1"
    assert one("11月", PUB, year=2024).code == "2024-11"
    assert one("今年", PUB, year=2022).code == "2022"
    assert one("全年", D(2025, 1, 15), year=2025).code == "2025"
    assert one("去年", PUB, year=2022).code == "2023"  # counted from publication


def test_since_n_years_clamps_leap_day() -> None:
    p = one("近一年", D(2024, 2, 29))
    assert (p.start, p.end) == (D(2023, 2, 28), D(2024, 2, 29))
    p = one("近四年", D(2024, 2, 29))
    assert p.start == D(2020, 2, 29)


def test_period_between() -> None:
    assert period_between(D(2024, 1, 1), D(2024, 6, 30)) == one("上半年")
    assert period_between(D(2024, 1, 1), D(2024, 6, 30)) == one("1—6月")
    assert period_between(None, D(2024, 6, 30)).kind == "as_of"
    assert period_between(D(2024, 1, 5), None) == Period(D(2024, 1, 5), None, "since")
    assert period_between(D(2024, 1, 5), D(2024, 3, 10)).code == "2024-01-05..2024-03-10"
    assert period_between(D(2024, 2, 1), D(2024, 2, 29)).kind == "month"
    assert period_between(D(2024, 2, 1), D(2024, 2, 28)).kind == "range"
    with pytest.raises(ValueError):
        period_between(None, None)
    with pytest.raises(ValueError):
        period_between(D(2024, 2, 1), D(2024, 1, 1))


def test_period_validation() -> None:
    with pytest.raises(ValueError):
        Period(D(2024, 1, 1), D(2024, 1, 31), "fortnight")
    with pytest.raises(ValueError):
        Period(D(2024, 1, 1), D(2024, 1, 31), "as_of")
    with pytest.raises(ValueError):
        Period(None, D(2024, 1, 31), "month")


LABELS = [
    ("2024年", "2024年"),
    ("今年上半年", "2024年上半年"),
    ("今年三季度", "2024年三季度"),
    ("7月", "2024年7月"),
    ("今年1—7月份", "2024年1—7月"),
    ("2023年以来", "2023年以来"),
    ("截至6月底", "截至2024年6月底"),
    ("截至去年底", "截至2023年底"),
    ("8月26日", "2024年8月26日"),
    ("3—7月", "2024年3—7月"),
    ("2021—2023年", "2021—2023年"),
    ("2023年7月至2024年6月", "2023年7月—2024年6月"),
]


@pytest.mark.parametrize(("text", "label"), LABELS)
def test_labels(text: str, label: str) -> None:
    p = one(text)
    assert p.label == label
    assert parse_period(label, PUB) == p


def test_parse_period_whole_expression_only() -> None:
    assert parse_period(" 2023年 ", PUB) == one("2023年")
    assert parse_period("2023年增长", PUB) is None
    assert parse_period("", PUB) is None
    assert parse_period("近年来", PUB) is None


# ---------------------------------------------------------------------------------------------
# Properties

_ALPHABET = (
    "0123456789年月日号季度上下半前今去本当全近来以截至到底末—-~、第个份"
    "一二三四五六七八九十两〇“”\"期间为止规划 增长亿元，。%."
)
_pub = st.dates(min_value=D(1990, 1, 1), max_value=D(2090, 12, 31))


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=40), _pub)
def test_random_text_never_raises_or_overlaps(text: str, published: date) -> None:
    ms = find_periods(text, published)
    last = 0
    for m in ms:
        assert last <= m.start < m.end <= len(text)
        assert text[m.start:m.end] == m.text
        p = m.period
        if p.start is not None and p.end is not None:
            assert p.start <= p.end
        last = m.end


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30), _pub, st.one_of(st.none(), st.integers(1950, 2090)))
def test_any_unicode_never_raises(text: str, published: date, year: int | None) -> None:
    ms = find_periods(text, published, year=year)
    assert all(a.end <= b.start for a, b in pairwise(ms))


_standard = st.one_of(
    st.integers(1950, 2090).map(lambda y: period_between(D(y, 1, 1), D(y, 12, 31))),
    st.tuples(st.integers(1950, 2090), st.sampled_from([1, 7])).map(
        lambda t: period_between(D(t[0], t[1], 1), _month_end(t[0], t[1] + 5))),
    st.tuples(st.integers(1950, 2090), st.integers(1, 4)).map(
        lambda t: period_between(D(t[0], 3 * t[1] - 2, 1), _month_end(t[0], 3 * t[1]))),
    st.tuples(st.integers(1950, 2090), st.integers(1, 12)).map(
        lambda t: period_between(D(t[0], t[1], 1), _month_end(t[0], t[1]))),
    st.tuples(st.integers(1950, 2090), st.integers(2, 12)).map(
        lambda t: period_between(D(t[0], 1, 1), _month_end(t[0], t[1]))),
)


def _month_end(y: int, m: int) -> date:
    return (D(y + 1, 1, 1) if m == 12 else D(y, m + 1, 1)) - timedelta(days=1)


@given(_standard)
def test_period_between_round_trip(p: Period) -> None:
    assert p.kind in {"year", "half", "quarter", "month", "ytd"}
    assert period_between(p.start, p.end) == p


@given(_standard, _pub)
def test_label_round_trip(p: Period, published: date) -> None:
    assert parse_period(p.label, published) == p


@given(st.dates(min_value=D(1950, 1, 1), max_value=D(2090, 12, 31)),
       st.integers(0, 400), _pub)
def test_arbitrary_interval_codes(start: date, days: int, published: date) -> None:
    p = period_between(start, start + timedelta(days=days))
    assert p.start is not None and p.end is not None and p.start <= p.end
    assert period_between(p.start, p.end) == p
    assert parse_period(p.label, published) == p
