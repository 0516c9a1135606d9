"""Tests for zonedb.numbers: exact values for every supported form, peer cases, properties."""

from __future__ import annotations

import json
import warnings
from decimal import ROUND_DOWN, Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zonedb.numbers import Amount, parse_amount, parse_number

D = Decimal

PEER_CASES = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "peer_cases.json"

VALUES: list[tuple[str, str]] = [
    # Arabic, separators, spaces, full width
    ("0", "0"), ("42", "42"), ("3.1416", "3.1416"), (".5", "0.5"), ("-.25", "-0.25"),
    ("007.50", "7.5"), ("1,234.5", "1234.5"), ("1，234", "1234"), ("12,345,678", "12345678"),
    ("１２３．５", "123.5"), ("- 2,500", "-2500"), ("4 000", "4000"),
    # Chinese numerals
    ("零", "0"), ("〇", "0"), ("十", "10"), ("十二", "12"), ("二十", "20"), ("一百零八", "108"),
    ("一千零二十", "1020"), ("两千", "2000"), ("俩万", "20000"), ("廿六", "26"), ("卅", "30"),
    ("卌二", "42"), ("一万零五十", "10050"), ("三亿零七", "300000007"),
    ("四千零九万零三百", "40090300"), ("六万万", "600000000"), ("八千万亿", "8000000000000000"),
    ("九千九百九十九万九千九百九十九", "99999999"),
    # 大写 and traditional
    ("柒佰捌拾玖", "789"), ("壹萬零貳拾", "10020"), ("貳億參仟萬", "230000000"),
    ("陸拾陸", "66"), ("伍仟零伍", "5005"),
    # colloquial elisions
    ("三万二", "32000"), ("两千六", "2600"), ("一百二", "120"), ("千三", "1300"),
    ("百二萬", "1200000"), ("13万2", "132000"), ("四亿五", "450000000"), ("七百三", "730"),
    ("十万零三", "100003"), ("9万8", "98000"), ("2万30", "20030"),
    # mixed Arabic and Chinese
    ("3.5万", "35000"), ("1万2千", "12000"), ("1.2万亿", "1200000000000"), ("10万万", "1000000000"),
    ("200亿零四千230", "20000004230"), ("6千零8", "6008"), ("0.75亿", "75000000"),
    ("4万3000", "43000"), ("2 亿", "200000000"),
    # Latin multipliers
    ("100K", "100000"), ("3M", "3000000"), ("1.04M", "1040000"), ("40k", "40000"),
    ("8kw", "80000000"), ("15k左右", "15000"), ("2.5w", "25000"),
    # negatives
    ("负八", "-8"), ("負十二", "-12"), ("-3.5万", "-35000"), ("负零点零五", "-0.05"),
    # decimals with 点, digit by digit
    ("三点一四", "3.14"), ("一七二零点一三四", "1720.134"), ("二〇二三", "2023"),
    ("五點五", "5.5"), ("零点零零七", "0.007"), ("九十点零九", "90.09"), ("点六", "0.6"),
    ("二十点五万", "205000"), ("三千二点五", "3200.5"),
    # fractions
    ("三分之一", "0.3333333333333333333333333333333333333333"),
    ("四分之三", "0.75"), ("千分之五", "0.005"), ("万分之八", "0.0008"),
    ("三百五十又4分之1", "350.25"), ("一半", "0.5"), ("半百", "50"), ("二又二分之一", "2.5"),
    ("一千分之三", "0.003"), ("十分之七", "0.7"), ("5‰", "0.005"),
    # percent stays in points, 成 is tenths
    ("48.3%", "48.3"), ("百分之四十", "40"), ("百分之2.4", "2.4"), ("百分之负五", "-5"),
    ("负百分之零点五", "-0.5"), ("百分百", "100"), ("2个百分点", "2"), ("三成", "30"),
    ("七成五", "75"), ("0.8个百分点", "0.8"),
    # money in the stated currency unit
    ("909.4亿元", "90940000000"), ("两千万元", "20000000"), ("3千万亿日元", "3000000000000000"),
    ("十块三毛", "10.3"), ("八元五角六分", "8.56"), ("叁佰元整", "300"), ("港币六百元", "600"),
    ("12亿美元", "1200000000"), ("五块五", "5.5"), ("两个亿卢布", "200000000"),
    ("人民币3000元", "3000"), ("四美元又五美分", "4.05"), ("柒角", "0.7"), ("负贰分", "-0.02"),
    # measures
    ("一吨半", "1.5"), ("3.6万吨", "36000"), ("1200亩", "1200"), ("5平方公里", "5"),
    ("两公里半", "2.5"), ("10万千瓦", "100000"),
    # qualifiers do not change the value
    ("约5000万元", "50000000"), ("近八成", "80"), ("超3亿元", "300000000"),
    ("超过了两千", "2000"), ("逾百家", "100"), ("600多家", "600"), ("三十余万元", "300000"),
    ("十几万", "100000"), ("左右", None), ("2000人左右", "2000"), ("不到一万", "10000"),
    ("不足5%", "5"), ("至少三家", "3"), ("小于40万", "400000"), ("1000亩以下", "1000"),
    ("50万元以上", "500000"), ("上下", None),
]


@pytest.mark.parametrize(("text", "expected"), VALUES)
def test_values(text: str, expected: str | None) -> None:
    if expected is None:
        with pytest.raises(ValueError):
            parse_number(text)
        return
    got = parse_number(text)
    assert isinstance(got, Decimal)
    assert got == D(expected), (text, got)


RANGES: list[tuple[str, str, str, str | None]] = [
    ("3—5亿元", "300000000", "500000000", "元"),
    ("3-5亿元", "300000000", "500000000", "元"),
    ("3至5亿元", "300000000", "500000000", "元"),
    ("三到五万", "30000", "50000", None),
    ("1万-5万元", "10000", "50000", "元"),
    ("三五百", "300", "500", None),
    ("十七八万", "170000", "180000", None),
    ("两到三万", "20000", "30000", None),
    ("二三十家", "20", "30", "家"),
    ("两三个", "2", "3", "个"),
    ("八九亿韩元", "800000000", "900000000", "韩元"),
    ("一千到两千万元人民币", "10000000", "20000000", "元"),
    ("几十万", "100000", "1000000", None),
    ("5%-8%", "5", "8", "%"),
    ("3%~5%", "3", "5", "%"),
    ("-5至-2", "-5", "-2", None),
]


@pytest.mark.parametrize(("text", "lo", "hi", "unit"), RANGES)
def test_ranges(text: str, lo: str, hi: str, unit: str | None) -> None:
    assert parse_number(text) == (D(lo), D(hi))
    amount = parse_amount(text)
    assert (amount.value, amount.high, amount.unit) == (D(lo), D(hi), unit)


AMOUNTS: list[tuple[str, Amount]] = [
    ("约909.4亿元", Amount(D("90940000000"), None, "元", "约")),
    ("近700万元", Amount(D("7000000"), None, "元", "近")),
    ("超过5万吨", Amount(D("50000"), None, "吨", "超过")),
    ("超5万吨", Amount(D("50000"), None, "吨", "超过")),
    ("逾3000亩", Amount(D("3000"), None, "亩", "逾")),
    ("500余万元", Amount(D("5000000"), None, "元", "余")),
    ("二十多家", Amount(D("20"), None, "家", "多")),
    ("三十几个", Amount(D("30"), None, "个", "几")),
    ("100万台左右", Amount(D("1000000"), None, "台", "左右")),
    ("5000万元上下", Amount(D("50000000"), None, "元", "上下")),
    ("不到一百人", Amount(D("100"), None, "人", "不到")),
    ("至少九千块钱以上", Amount(D("9000"), None, "元", "至少")),
    ("2.1倍", Amount(D("2.1"), None, "倍", None)),
    ("三成", Amount(D("30"), None, "%", None)),
    ("千分之五", Amount(D("5"), None, "‰", None)),
    ("2个百分点", Amount(D("2"), None, "个百分点", None)),
    ("港币两千元", Amount(D("2000"), None, "港元", None)),
    ("3000台币", Amount(D("3000"), None, "新台币", None)),
    ("三万元欧元", Amount(D("30000"), None, "欧元", None)),
    ("新台币 177.1 亿元", Amount(D("17710000000"), None, "新台币", None)),
    ("20万公斤", Amount(D("200000"), None, "千克", None)),
    ("5平方千米", Amount(D("5"), None, "平方公里", None)),
    ("80万标箱", Amount(D("800000"), None, "标箱", None)),
    ("120万千瓦时", Amount(D("1200000"), None, "千瓦时", None)),
]


@pytest.mark.parametrize(("text", "expected"), AMOUNTS)
def test_amounts(text: str, expected: Amount) -> None:
    assert parse_amount(text) == expected


INVALID = ["", "   ", "元整", "负", "零点点", "点零", "点", "10..1万", "三点", "百千", "亿万",
           "五大", "第三", "一二三四五六七八九十百千万亿的", "3三", "分之三", "3/4", "abc",
           "1-2-3", "零分之三"]


@pytest.mark.parametrize("text", INVALID)
def test_invalid(text: str) -> None:
    with pytest.raises(ValueError):
        parse_number(text)


def test_returns_no_exponent_and_no_trailing_zeros() -> None:
    assert str(parse_number("两千点零")) == "2000"
    assert str(parse_number("1.20万")) == "12000"
    tiny = parse_number("零点零零零零零零零零零零零零零零一")
    assert tiny == D("1e-15") and format(tiny, "f") == "0.000000000000001"
    assert parse_number(str(tiny)) == tiny  # str() gives 1E-15, which parses back
    assert str(parse_number("一百万分之五")) == "0.000005"


def test_tolerates_global_decimal_context() -> None:
    import decimal

    with decimal.localcontext() as ctx:
        ctx.prec = 5
        assert parse_number("一千一百一十一万一千一百一十一亿一千一百一十一万一千一百一十一") == D(
            "1111111111111111")


# ----------------------------------------------------------------------------- peer cases
def _peer_cases() -> list[dict[str, object]]:
    if not PEER_CASES.exists():
        pytest.skip("peer cases file not available")
    with PEER_CASES.open(encoding="utf-8") as f:
        return json.load(f)


def _matches(got: object, expected: object) -> bool:
    if isinstance(got, tuple) or expected is None:
        return False
    g, e = D(str(got)), D(str(expected))
    return g == e or abs(g - e) <= max(D("1e-12") * abs(e), D("1e-12"))


def test_peer_cases() -> None:
    cases = _peer_cases()
    total = passed = 0
    failures: list[str] = []
    for case in cases:
        kind = case.get("kind")
        if kind == "conflict":
            continue
        total += 1
        text = str(case["text"])
        try:
            got: object = parse_number(text)
        except ValueError:
            got = None
        expected = case["expected"]
        if expected is None:
            ok = got is None
            if not ok and kind == "range" and isinstance(got, tuple):
                lo, hi = case["expected_range"]  # type: ignore[misc]
                ok = _matches(got[0], lo) and _matches(got[1], hi)
        else:
            ok = _matches(got, expected)
        if ok:
            passed += 1
        else:
            failures.append(f"{text!r}: expected {expected}, got {got}")
    assert total > 300
    assert passed / total >= 0.97, failures
    # The one known disagreement: jionlp reads 3000多欧元 as the range (3000, 4000).
    assert len(failures) <= 1, failures


def test_peer_cases_never_raise_other_errors() -> None:
    for case in _peer_cases():
        try:
            parse_number(str(case["text"]))
        except ValueError:
            pass


# ----------------------------------------------------------------------------- properties
cn2an = pytest.importorskip("cn2an")


def _an2cn(number: str, mode: str) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return str(cn2an.an2cn(number, mode))


def _missing_zero(n: int, rendered: str) -> bool:
    """an2cn drops the 零 after 亿 (100001000 -> 一亿一千): an ambiguous rendering."""
    n = abs(n)
    return n >= 10**8 and (n // 10**4) % 10**4 == 0 and n % 10**4 >= 1000 and "亿零" not in rendered


PROPS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPS
@given(st.integers(min_value=-(10**16) + 1, max_value=10**16 - 1), st.sampled_from(["low", "up"]))
def test_integer_round_trip(n: int, mode: str) -> None:
    rendered = _an2cn(str(n), mode)
    if _missing_zero(n, rendered):
        return
    assert parse_number(rendered) == D(n), rendered


@PROPS
@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=1, max_value=999999),
       st.booleans(), st.sampled_from(["low", "up", "rmb"]))
def test_decimal_round_trip(ip: int, fp: int, neg: bool, mode: str) -> None:
    text = f"{'-' if neg else ''}{ip}.{fp}"
    rendered = _an2cn(text, mode)
    if _missing_zero(ip, rendered):
        return
    expected = D(text)
    if mode == "rmb":
        expected = expected.quantize(D("0.01"), rounding=ROUND_DOWN)
    assert parse_number(rendered) == expected, rendered


@PROPS
@given(st.integers(min_value=0, max_value=10**15), st.sampled_from(["low", "up"]))
def test_matches_cn2an_smart(n: int, mode: str) -> None:
    rendered = _an2cn(str(n), mode)
    if _missing_zero(n, rendered):
        return
    assert parse_number(rendered) == D(str(cn2an.cn2an(rendered, "smart")))


_EXPR_ALPHABET = "0123456789.,-负点零一二两三四五六七八九十百千万亿壹贰拾佰仟萬億分之又半几多余约超以上左右元万元亿元美元%个家吨亩成倍"


@PROPS
@given(st.text(alphabet=_EXPR_ALPHABET, max_size=14))
def test_idempotent_on_canonical_output(text: str) -> None:
    try:
        value = parse_number(text)
    except ValueError:
        return
    if isinstance(value, tuple):
        assert value[0] == parse_number(str(value[0]))
        assert value[1] == parse_number(str(value[1]))
    else:
        assert parse_number(str(value)) == value


@PROPS
@given(st.text(max_size=30))
def test_only_value_error_on_arbitrary_text(text: str) -> None:
    try:
        parse_number(text)
    except ValueError:
        pass


@PROPS
@given(st.text(alphabet=_EXPR_ALPHABET + "（）() 　\n", max_size=30))
def test_only_value_error_on_number_like_text(text: str) -> None:
    try:
        parse_amount(text)
    except ValueError:
        pass


@PROPS
@given(st.from_regex(r"(约|超过|近|不到)?(-|负)?[0-9]{1,12}(\.[0-9]{1,6})?(万|亿|万亿|万万|亿万)?(多|余)?"
                     r"(元|亿元|美元|%|个|家|吨|亩|成|个百分点|人民币|块钱)?(以上|左右|上下)?", fullmatch=True))
def test_arabic_direct_path_agrees_with_grammar(text: str) -> None:
    """The direct path for Arabic numbers gives what the token grammar gives."""
    from zonedb.numbers import _amount, _parse_prepared

    try:
        full = _amount(text, direct=False)
    except ValueError:
        with pytest.raises(ValueError):
            _parse_prepared(text)
        return
    value, high, unit, qualifier = _parse_prepared(text)
    assert (value, high, unit, qualifier) == full


_DIRECT_ALPHABET = "0123456789.-负点零一二两三四五六七八九十百千万亿壹拾佰分之几多余约超以上左右元亿元美元%个家吨成倍角毛块又港币人民"


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=_DIRECT_ALPHABET, min_size=1, max_size=10))
def test_direct_paths_agree_with_full_grammar(text: str) -> None:
    """The shortcut for the common shapes never disagrees with the full grammar."""
    from zonedb.numbers import _amount

    try:
        full = _amount(text, direct=False)
    except ValueError:
        full = None
    try:
        fast = _amount(text)
    except ValueError:
        fast = None
    if fast is not None and full is not None:
        assert fast == full or (fast[0] == full[0] and fast[1:] == full[1:]), text
    assert (fast is None) == (full is None), (text, fast, full)


@st.composite
def _expressions(draw: st.DrawFn) -> str:
    n = draw(st.integers(min_value=0, max_value=10**9))
    d = f"{n}.{draw(st.integers(1, 999))}"
    number = draw(st.sampled_from([str(n), d, _an2cn(str(n), "low"), _an2cn(str(n), "up"), _an2cn(d, "low"),
                                   f"{n % 1000}万", f"{n % 100}亿", f"{n:,}", f"{n % 1000}k", f"{n % 100}M",
                                   _an2cn(d, "low") + "万", f"{n % 10000:,}.5万"]))
    return "".join([
        draw(st.sampled_from(["", "约", "超过", "近", "不到"])),
        draw(st.sampled_from(["", "负", "-"])),
        draw(st.sampled_from(["", "", "百分之", "千分之"])),
        number,
        draw(st.sampled_from(["", "", "多", "余", "几"])),
        draw(st.sampled_from(["", "元", "亿元", "家", "%", "个百分点", "成", "吨", "美元"])),
        draw(st.sampled_from(["", "", "以上", "左右"])),
    ])


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_expressions())
def test_direct_paths_agree_on_structured_expressions(text: str) -> None:
    from zonedb.numbers import _amount

    try:
        full = _amount(text, direct=False)
    except ValueError:
        full = None
    try:
        fast = _amount(text)
    except ValueError:
        fast = None
    assert fast == full, text
