"""Units of measure met in Chinese economic news, with exact conversion factors.

Every :class:`Unit` has a canonical printed ``name`` (the unit a value is STORED in), a
``dimension`` and an exact ``factor`` to the ``base`` unit of that dimension.  Following the
annotation guide, a value is stored in the printed unit with its Chinese multiplier folded in
(3.6万吨 -> 36000 吨, 1200亩 -> 1200 亩, 5平方公里 -> 5 平方公里); :func:`to_base` gives the
SI-like conversion (亩 -> 平方米) as an extra.  万/亿 are multipliers, never part of a unit:
``万吨`` is not a unit.

Alias decisions: synonyms that name the same unit map to one canonical name (港币 -> 港元,
台币 -> 新台币, 人民币/元人民币/块/块钱 -> 元, 平方千米 -> 平方公里, 公斤 -> 千克,
度 -> 千瓦时, TEU -> 标箱).  Distinct units of one dimension stay distinct (千米 and 米,
吨 and 千克): converting between them is :func:`to_base`'s job.  成 is stored as percent
(三成 -> 30 %), so its canonical unit is ``%`` with a ×10 factor applied by
:func:`stored_value`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Context, Decimal
from types import MappingProxyType

__all__ = [
    "ALIASES",
    "COUNT_WORDS",
    "CURRENCY_NAMES",
    "UNITS",
    "Unit",
    "lookup_unit",
    "stored_value",
    "to_base",
    "unit_words",
]

_CTX = Context(prec=28)


@dataclass(frozen=True, slots=True)
class Unit:
    """One canonical unit: ``value * factor`` is the amount in ``base``."""

    name: str
    dimension: str
    base: str
    factor: Decimal


def _d(text: str) -> Decimal:
    return Decimal(text)


# 1 亩 = 10000/15 平方米 = 666.666… m², rounded to 28 significant digits.
_MU = _CTX.divide(Decimal(10000), Decimal(15))

_CURRENCIES: tuple[tuple[str, str], ...] = (
    ("元", "CNY"),
    ("美元", "USD"),
    ("港元", "HKD"),
    ("欧元", "EUR"),
    ("日元", "JPY"),
    ("英镑", "GBP"),
    ("新台币", "TWD"),
    ("韩元", "KRW"),
    ("卢布", "RUB"),
    ("泰铢", "THB"),
    ("澳元", "AUD"),
    ("加元", "CAD"),
    ("新加坡元", "SGD"),
    ("瑞士法郎", "CHF"),
    ("澳门元", "MOP"),
    ("林吉特", "MYR"),
    ("越南盾", "VND"),
    ("印度卢比", "INR"),
)

#: Measure words of counts (each is its own unit of dimension ``count``).
COUNT_WORDS: tuple[str, ...] = (
    "个", "家", "项", "台", "人", "名", "户", "座", "套", "条", "件", "辆", "艘", "所", "批",
    "次", "人次", "张", "部", "栋", "间", "株", "只", "篇", "场", "届", "处", "宗", "架", "列",
    "颗", "枚", "支", "款", "种", "类", "位", "头", "口", "片", "棵", "根", "份", "例", "轮",
    "期", "组", "对", "家次", "个次", "辆次", "艘次", "架次",
)

# (name, dimension, base, factor)
_PHYSICAL: tuple[tuple[str, str, str, str | Decimal], ...] = (
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
    ("亩", "area", "平方米", _MU),
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
)

_ALIASES: dict[str, str] = {
    # currencies
    "人民币": "元", "元人民币": "元", "人民币元": "元", "块": "元", "块钱": "元", "圆": "元",
    "元钱": "元", "RMB": "元",
    "港币": "港元", "港幣": "港元", "台币": "新台币", "新台幣": "新台币", "台幣": "新台币",
    "日币": "日元", "日圆": "日元", "美金": "美元", "韩币": "韩元", "英磅": "英镑",
    "新币": "新加坡元", "澳币": "澳元",
    # ratios
    "％": "%", "百分点": "个百分点",
    # physical
    "公斤": "千克", "kg": "千克", "平方千米": "平方公里", "km²": "平方公里", "㎡": "平方米",
    "公里": "千米", "km": "千米", "度": "千瓦时", "kWh": "千瓦时", "千瓦小时": "千瓦时",
    "TEU": "标箱", "立方": "立方米", "m³": "立方米", "公升": "升",
    "MW": "兆瓦", "GW": "吉瓦", "kW": "千瓦", "吨标煤": "吨标准煤",
}


def _build() -> tuple[dict[str, Unit], dict[str, str]]:
    units: dict[str, Unit] = {}
    for name, code in _CURRENCIES:
        units[name] = Unit(name, f"currency:{code}", name, Decimal(1))
    for name, dim, base, factor in _PHYSICAL:
        units[name] = Unit(name, dim, base, factor if isinstance(factor, Decimal) else _d(factor))
    for word in COUNT_WORDS:
        units.setdefault(word, Unit(word, "count", word, Decimal(1)))
    return units, dict(_ALIASES)


_UNITS, _ALIAS = _build()
#: Canonical units by name.
UNITS: Mapping[str, Unit] = MappingProxyType(_UNITS)
#: Alias word -> canonical unit name.
ALIASES: Mapping[str, str] = MappingProxyType(_ALIAS)
#: Canonical names of all currency units.
CURRENCY_NAMES: frozenset[str] = frozenset(n for n, _ in _CURRENCIES)

# 成 (tenths) is stored as percent: lookup gives %, stored_value multiplies by 10.
_SCALED: dict[str, tuple[str, Decimal]] = {"成": ("%", Decimal(10))}

_LOOKUP: dict[str, Unit] = {**_UNITS, **{a: _UNITS[c] for a, c in _ALIAS.items()}}
_LOOKUP.update({w: _UNITS[c] for w, (c, _) in _SCALED.items()})


def lookup_unit(word: str) -> Unit | None:
    """Return the canonical unit for a printed unit word or alias, or None.

    >>> lookup_unit("港币").name
    '港元'
    >>> lookup_unit("万吨") is None
    True
    """
    return _LOOKUP.get(word.strip())


def stored_value(value: Decimal, word: str) -> Decimal:
    """Value as stored in the canonical unit of ``word``: only 成 scales (三成 -> 30 %)."""
    scaled = _SCALED.get(word)
    return value * scaled[1] if scaled else value


def to_base(value: Decimal, unit: Unit) -> tuple[Decimal, str]:
    """Convert ``value`` in ``unit`` to the base unit of its dimension (exact where finite).

    >>> to_base(Decimal("5"), lookup_unit("平方公里"))
    (Decimal('5000000'), '平方米')
    """
    return _CTX.multiply(value, unit.factor), unit.base


def unit_words() -> tuple[str, ...]:
    """Every word :func:`lookup_unit` accepts, longest first."""
    return tuple(sorted(_LOOKUP, key=lambda w: (-len(w), w)))
