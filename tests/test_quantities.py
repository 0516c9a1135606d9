"""Tests for zonedb.quantities: spans, values, units, qualifiers and the non-quantities."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zonedb.numbers import parse_amount
from zonedb.quantities import Quantity, find_quantities

D = Decimal


def _simple(text: str) -> list[tuple[str, Decimal, Decimal | None, str, str | None]]:
    return [(q.printed, q.value, q.high, q.unit, q.qualifier) for q in find_quantities(text)]


def _check_spans(text: str, found: list[Quantity]) -> None:
    last = 0
    for q in found:
        assert text[q.start:q.end] == q.printed
        assert q.start <= q.number_start < q.number_end <= q.end
        assert q.start >= last
        last = q.end


def test_report_sentence() -> None:
    text = "2023年完成产值909.4亿元，占全区工业产值的48.3%；完成营业收入921.36亿元。"
    found = find_quantities(text)
    _check_spans(text, found)
    assert [(q.value, q.unit, q.dimension) for q in found] == [
        (D("90940000000"), "元", "currency:CNY"),
        (D("48.3"), "%", "ratio"),
        (D("92136000000"), "元", "currency:CNY"),
    ]
    first = found[0]
    assert (first.start, first.end, first.number_start, first.number_end) == (9, 16, 9, 15)
    assert first.printed == "909.4亿元" and first.high is None and first.qualifier is None


def test_projects_and_investment() -> None:
    assert _simple("项目29个、总投资51.73亿元") == [
        ("29个", D(29), None, "个", None),
        ("51.73亿元", D("5173000000"), None, "元", None),
    ]


@pytest.mark.parametrize(("text", "printed", "value", "unit", "dimension"), [
    ("投资5000万元", "5000万元", "50000000", "元", "currency:CNY"),
    ("投资两千万元", "两千万元", "20000000", "元", "currency:CNY"),
    ("规模达1.2万亿元", "1.2万亿元", "1200000000000", "元", "currency:CNY"),
    ("吸引外资12亿美元", "12亿美元", "1200000000", "美元", "currency:USD"),
    ("融资3千万元", "3千万元", "30000000", "元", "currency:CNY"),
    ("比重为百分之四十", "百分之四十", "40", "%", "ratio"),
    ("增速为百分之2.4", "百分之2.4", "2.4", "%", "ratio"),
    ("不良率千分之五", "千分之五", "5", "‰", "ratio"),
    ("提高2个百分点", "2个百分点", "2", "个百分点", "ratio_change"),
    ("增长2.1倍", "2.1倍", "2.1", "倍", "multiple"),
    ("约占三成", "三成", "30", "%", "ratio"),
    ("开工率95.75%", "95.75%", "95.75", "%", "ratio"),
    ("新增企业十三家", "十三家", "13", "家", "count"),
    ("入驻8家", "8家", "8", "家", "count"),
    ("完成6项", "6项", "6", "项", "count"),
    ("产能100万台", "100万台", "1000000", "台", "count"),
    ("产量3.6万吨", "3.6万吨", "36000", "吨", "mass"),
    ("占地1200亩", "1200亩", "1200", "亩", "area"),
    ("规划面积5平方公里", "5平方公里", "5", "平方公里", "area"),
    ("装机10万千瓦", "10万千瓦", "100000", "千瓦", "power"),
    ("用电量3.2亿千瓦时", "3.2亿千瓦时", "320000000", "千瓦时", "energy"),
    ("吞吐量80万标箱", "80万标箱", "800000", "标箱", "container"),
    ("重一吨半", "一吨半", "1.5", "吨", "mass"),
    ("票价十块三毛", "十块三毛", "10.3", "元", "currency:CNY"),
    ("服务1.5万人次", "1.5万人次", "15000", "人次", "count"),
    ("营收909.4 亿元", "909.4 亿元", "90940000000", "元", "currency:CNY"),
    ("营收909.4 亿 元", "909.4 亿 元", "90940000000", "元", "currency:CNY"),
    ("一百家企业", "一百家", "100", "家", "count"),
    ("一万台设备", "一万台", "10000", "台", "count"),
    ("同比下降-3.5%", "-3.5%", "-3.5", "%", "ratio"),
    ("港币两千元", "两千元", "2000", "元", "currency:CNY"),
    ("5000万港元", "5000万港元", "50000000", "港元", "currency:HKD"),
    ("20万公斤", "20万公斤", "200000", "千克", "mass"),
])
def test_single_quantity(text: str, printed: str, value: str, unit: str, dimension: str) -> None:
    found = find_quantities(text)
    _check_spans(text, found)
    assert len(found) == 1, found
    q = found[0]
    assert (q.printed, q.value, q.unit, q.dimension) == (printed, D(value), unit, dimension)


@pytest.mark.parametrize(("text", "printed", "value", "high", "unit"), [
    ("融资3—5亿元", "3—5亿元", "300000000", "500000000", "元"),
    ("融资3-5亿元", "3-5亿元", "300000000", "500000000", "元"),
    ("融资3至5亿元", "3至5亿元", "300000000", "500000000", "元"),
    ("融资3到5亿元", "3到5亿元", "300000000", "500000000", "元"),
    ("融资3~5亿元", "3~5亿元", "300000000", "500000000", "元"),
    ("引进二三十家", "二三十家", "20", "30", "家"),
    ("增长5%-8%", "5%-8%", "5", "8", "%"),
    ("投资3万元至5万元", "3万元至5万元", "30000", "50000", "元"),
    ("就业十七八万人", "十七八万人", "170000", "180000", "人"),
])
def test_ranges(text: str, printed: str, value: str, high: str, unit: str) -> None:
    found = find_quantities(text)
    _check_spans(text, found)
    assert [(q.printed, q.value, q.high, q.unit) for q in found] == [(printed, D(value), D(high), unit)]


@pytest.mark.parametrize(("text", "printed", "value", "unit", "qualifier"), [
    ("投资约5000万元", "约5000万元", "50000000", "元", "约"),
    ("近700万元", "近700万元", "7000000", "元", "近"),
    ("超3亿元", "超3亿元", "300000000", "元", "超过"),
    ("超过3亿元", "超过3亿元", "300000000", "元", "超过"),
    ("逾千家", "逾千家", "1000", "家", "逾"),
    ("近万人", "近万人", "10000", "人", "近"),
    ("5000万元以上", "5000万元以上", "50000000", "元", "以上"),
    ("500余万元", "500余万元", "5000000", "元", "余"),
    ("二十多家", "二十多家", "20", "家", "多"),
    ("三十几家", "三十几家", "30", "家", "几"),
    ("100万台左右", "100万台左右", "1000000", "台", "左右"),
    ("不到1万人", "不到1万人", "10000", "人", "不到"),
    ("不足5%", "不足5%", "5", "%", "不足"),
    ("至少3家", "至少3家", "3", "家", "至少"),
    ("小于10%", "小于10%", "10", "%", "小于"),
    ("50亩以下", "50亩以下", "50", "亩", "以下"),
    ("2个百分点上下", "2个百分点上下", "2", "个百分点", "上下"),
])
def test_qualifiers(text: str, printed: str, value: str, unit: str, qualifier: str) -> None:
    found = find_quantities(text)
    _check_spans(text, found)
    assert [(q.printed, q.value, q.unit, q.qualifier) for q in found] == [(printed, D(value), unit, qualifier)]


@pytest.mark.parametrize("text", [
    "2024年", "8月26日", "1-7月份", "1—7月份", "三季度", "2019年开始", "7×24小时", "“1+1+4”机制",
    "20t/d灵活气流床实验装置", "第三次", "第一批", "一个", "一批", "一家", "一项", "五大产业", "统一",
    "一体化", "万一", "5A级景区", "30强", "G236公路", "每万元", "千家万户", "十四五规划", "上半年",
    "3/4", "5吨/小时", "一是", "两学两带", "第3家", "2023年以来",
])
def test_not_quantities(text: str) -> None:
    assert find_quantities(text) == []


def test_article_one_and_counted_one() -> None:
    assert _simple("成立一个专班，新增一批项目，引进一家企业") == []
    assert _simple("新增1个项目") == [("1个", D(1), None, "个", None)]


def test_several_in_a_paragraph() -> None:
    text = ("1-7月份，全区实现规上工业增加值同比增长12.5%，高于全市2.3个百分点；"
            "新签约项目十三个，总投资约86.4亿元，其中亿元以上项目9个；新增市场主体1,205户。")
    found = find_quantities(text)
    _check_spans(text, found)
    assert [(q.printed, q.value, q.unit, q.qualifier) for q in found] == [
        ("12.5%", D("12.5"), "%", None),
        ("2.3个百分点", D("2.3"), "个百分点", None),
        ("十三个", D(13), "个", None),
        ("约86.4亿元", D("8640000000"), "元", "约"),
        ("9个", D(9), "个", None),
        ("1,205户", D(1205), "户", None),
    ]


def test_empty_and_plain() -> None:
    assert find_quantities("") == []
    assert find_quantities("没有任何数字的句子。") == []


def test_quantity_is_frozen() -> None:
    q = find_quantities("8家")[0]
    with pytest.raises(AttributeError):
        q.value = D(9)  # type: ignore[misc]


_ALPHABET = ("0123456789.,-—~%年月日第个家项亿万千百十元美元吨亩倍成约近超逾余多几以上左右"
             "一二三四五六七八九两零点分之百分之个百分点×+/ G A 强大，。；、（）")


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=60))
def test_random_text_spans(text: str) -> None:
    found = find_quantities(text)
    _check_spans(text, found)
    for q in found:
        assert isinstance(q.value, Decimal)
        assert q.high is None or isinstance(q.high, Decimal)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=60))
def test_values_agree_with_parse_amount(text: str) -> None:
    """The direct path for plain Arabic numbers gives what the full parser gives."""
    for q in find_quantities(text):
        amount = parse_amount(text[q.number_start:q.end])
        assert (amount.value, amount.high, amount.unit) == (q.value, q.high, q.unit), q


@pytest.mark.parametrize("text", ["3.50亿元", "0.5万吨", "12.345%", "1.2万亿元", "100.0个", "2.10倍",
                                  "6成", "30余万元", "15多家", "8家左右", "7.25万人次以上"])
def test_direct_path_examples(text: str) -> None:
    q = find_quantities(text)[0]
    amount = parse_amount(text)
    assert (q.value, q.unit, q.qualifier, q.printed) == (amount.value, amount.unit, amount.qualifier, text)
    assert q.value.as_tuple().exponent <= 0 or q.value == q.value.to_integral_value()


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_arbitrary_text_never_crashes(text: str) -> None:
    _check_spans(text, find_quantities(text))


@pytest.mark.parametrize("text", ["0几几家", "3几几家", "30余多万元"])
def test_two_approximation_characters_in_a_row_are_not_a_figure(text: str) -> None:
    # found by the property test above: the scanner took any run of 余/多/几, the parser one
    assert find_quantities(text) == []
    with pytest.raises(ValueError, match="misplaced"):
        parse_amount(text)
