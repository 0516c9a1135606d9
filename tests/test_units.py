"""Tests for zonedb.units: every unit and alias with its exact factor and dimension."""

from __future__ import annotations

from decimal import Decimal

import pytest

from zonedb.units import (
    ALIASES,
    COUNT_WORDS,
    CURRENCY_NAMES,
    UNITS,
    Unit,
    lookup_unit,
    stored_value,
    to_base,
    unit_words,
)

D = Decimal

CURRENCIES = {
    "元": "CNY", "美元": "USD", "港元": "HKD", "欧元": "EUR", "日元": "JPY", "英镑": "GBP",
    "新台币": "TWD", "韩元": "KRW", "卢布": "RUB", "泰铢": "THB", "澳元": "AUD", "加元": "CAD",
    "新加坡元": "SGD", "瑞士法郎": "CHF", "澳门元": "MOP", "林吉特": "MYR", "越南盾": "VND",
    "印度卢比": "INR",
}

PHYSICAL = [
    ("%", "ratio", "%", "1"),
    ("‰", "ratio", "%", "0.1"),
    ("‱", "ratio", "%", "0.01"),
    ("个百分点", "ratio_change", "个百分点", "1"),
    ("倍", "multiple", "倍", "1"),
    ("吨", "mass", "千克", "1000"),
    ("千克", "mass", "千克", "1"),
    ("克", "mass", "千克", "0.001"),
    ("斤", "mass", "千克", "0.5"),
    ("平方米", "area", "平方米", "1"),
    ("平方公里", "area", "平方米", "1000000"),
    ("亩", "area", "平方米", "666.6666666666666666666666667"),
    ("公顷", "area", "平方米", "10000"),
    ("米", "length", "米", "1"),
    ("千米", "length", "米", "1000"),
    ("厘米", "length", "米", "0.01"),
    ("毫米", "length", "米", "0.001"),
    ("瓦", "power", "瓦", "1"),
    ("千瓦", "power", "瓦", "1000"),
    ("兆瓦", "power", "瓦", "1000000"),
    ("吉瓦", "power", "瓦", "1000000000"),
    ("千瓦时", "energy", "千瓦时", "1"),
    ("兆瓦时", "energy", "千瓦时", "1000"),
    ("立方米", "volume", "立方米", "1"),
    ("升", "volume", "立方米", "0.001"),
    ("标箱", "container", "标箱", "1"),
    ("吨标准煤", "energy_coal", "吨标准煤", "1"),
]

ALIAS_TABLE = {
    "人民币": "元", "元人民币": "元", "人民币元": "元", "块": "元", "块钱": "元", "圆": "元",
    "元钱": "元", "RMB": "元", "港币": "港元", "港幣": "港元", "台币": "新台币", "新台幣": "新台币",
    "台幣": "新台币", "日币": "日元", "日圆": "日元", "美金": "美元", "韩币": "韩元", "英磅": "英镑",
    "新币": "新加坡元", "澳币": "澳元", "％": "%", "百分点": "个百分点", "公斤": "千克", "kg": "千克",
    "平方千米": "平方公里", "km²": "平方公里", "㎡": "平方米", "公里": "千米", "km": "千米",
    "度": "千瓦时", "kWh": "千瓦时", "千瓦小时": "千瓦时", "TEU": "标箱", "立方": "立方米",
    "m³": "立方米", "公升": "升", "MW": "兆瓦", "GW": "吉瓦", "kW": "千瓦", "吨标煤": "吨标准煤",
}

REQUIRED_COUNTS = ["个", "家", "项", "台", "人", "名", "户", "座", "套", "条", "件", "辆", "艘", "所",
                   "批", "次", "人次", "张", "部", "栋", "间", "株", "只", "篇", "场", "届", "处", "宗",
                   "架", "列", "颗", "枚", "支", "款", "种", "类", "位"]


@pytest.mark.parametrize(("name", "code"), sorted(CURRENCIES.items()))
def test_currencies(name: str, code: str) -> None:
    unit = lookup_unit(name)
    assert unit == Unit(name, f"currency:{code}", name, D(1))
    assert name in CURRENCY_NAMES


def test_currency_table_is_complete() -> None:
    assert CURRENCY_NAMES == frozenset(CURRENCIES)


@pytest.mark.parametrize(("name", "dimension", "base", "factor"), PHYSICAL)
def test_physical_units(name: str, dimension: str, base: str, factor: str) -> None:
    unit = lookup_unit(name)
    assert unit is not None
    assert (unit.name, unit.dimension, unit.base, unit.factor) == (name, dimension, base, D(factor))


@pytest.mark.parametrize(("alias", "canonical"), sorted(ALIAS_TABLE.items()))
def test_aliases(alias: str, canonical: str) -> None:
    unit = lookup_unit(alias)
    assert unit is not None and unit.name == canonical
    assert unit is UNITS[canonical]


def test_alias_table_is_complete() -> None:
    assert dict(ALIASES) == ALIAS_TABLE


@pytest.mark.parametrize("word", REQUIRED_COUNTS)
def test_count_words(word: str) -> None:
    assert lookup_unit(word) == Unit(word, "count", word, D(1))
    assert word in COUNT_WORDS


def test_cheng_is_percent_times_ten() -> None:
    assert lookup_unit("成") is UNITS["%"]
    assert stored_value(D(3), "成") == D(30)
    assert stored_value(D(3), "%") == D(3)


@pytest.mark.parametrize("word", ["万吨", "亿元", "万元", "万千瓦", "年", "月", "季度", "", "大"])
def test_not_units(word: str) -> None:
    assert lookup_unit(word) is None


def test_lookup_strips_spaces() -> None:
    assert lookup_unit(" 亩 ") is UNITS["亩"]


@pytest.mark.parametrize(("value", "word", "expected", "base"), [
    ("5", "平方公里", "5000000", "平方米"),
    ("1200", "亩", "800000.0000000000000000000000", "平方米"),
    ("15", "亩", "10000.00000000000000000000000", "平方米"),
    ("3.6", "吨", "3600.0", "千克"),
    ("20", "公斤", "20", "千克"),
    ("2", "斤", "1.0", "千克"),
    ("100", "度", "100", "千瓦时"),
    ("3", "兆瓦", "3000000", "瓦"),
    ("2.5", "公里", "2500.0", "米"),
    ("7", "‰", "0.7", "%"),
    ("8", "家", "8", "家"),
    ("909.4", "美元", "909.4", "美元"),
])
def test_to_base(value: str, word: str, expected: str, base: str) -> None:
    unit = lookup_unit(word)
    assert unit is not None
    got, got_base = to_base(D(value), unit)
    assert (got, got_base) == (D(expected), base)


def test_mu_factor_is_ten_thousand_fifteenths() -> None:
    mu = UNITS["亩"].factor
    assert abs(mu * 15 - 10000) < D("1e-20")
    assert len(mu.as_tuple().digits) == 28


def test_unit_words_longest_first_and_lookupable() -> None:
    words = unit_words()
    assert [len(w) for w in words] == sorted((len(w) for w in words), reverse=True)
    assert all(lookup_unit(w) is not None for w in words)
    assert "个百分点" in words and "成" in words


def test_units_are_frozen() -> None:
    with pytest.raises(AttributeError):
        UNITS["吨"].factor = D(1)  # type: ignore[misc]
    with pytest.raises(TypeError):
        UNITS["吨2"] = UNITS["吨"]  # type: ignore[index]
