"""Random and adversarial text through extraction and through ingest into a real SQLite file:
no crash, no hang (each example runs under an alarm), every stored span slices back to its
printed text and every exact value parses as a Decimal."""

from __future__ import annotations

import datetime as dt
import signal
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from zonedb.extract import Extractor
from zonedb.gazetteer import default_gazetteer
from zonedb.ingest import InputFile, iter_ingest
from zonedb.store.database import open_database

PUBLISHED = dt.date(2024, 9, 10)
# Hang guard per example (generous: a 1 MB line takes a few seconds on a slow machine).
EXAMPLE_TIMEOUT_S = 120


class Hang(Exception):
    pass


@contextmanager
def bounded(seconds: int = EXAMPLE_TIMEOUT_S) -> Iterator[None]:
    def on_alarm(_signum: int, _frame: object) -> None:
        raise Hang(f"example did not finish within {seconds} s")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


_extractor: Extractor | None = None


def extractor() -> Extractor:
    global _extractor
    if _extractor is None:
        _extractor = Extractor(default_gazetteer())
    return _extractor


# -- strategies --------------------------------------------------------------------------------
FRAGMENTS = [
    "高平经开区", "临汾经济开发区", "山西转型综合改革示范区", "全省", "园区", "该区", "我市",
    "地区生产总值", "总投资", "营业收入", "规上工业增加值", "固定资产投资", "进出口总额", "增速", "占比",
    "完成", "实现", "达到", "增长", "下降", "同比", "比上年", "年均", "约", "超过", "近", "多", "余",
    "亿元", "万元", "元", "美元", "%", "％", "个", "家", "万吨", "吨标煤", "平方公里", "亩", "倍", "成", "个百分点",
    "2024 年", "2023年", "1—6 月份", "上半年", "前三季度", "一季度", "截至6月底", "全年", "“十四五”", "去年",
    "。", "，", "；", "、", "：", "（", "）", "“", "”", "《", "》", "\n", "\n\n", " ", "\u3000", "\t",
    "本报讯", "新华社北京3月5日电", "（上接 D1 版）", "记者 张三",
    "万亿", "万万", "亿亿", "千百", "零", "两", "廿", "卅", "壹", "贰", "叁", "萬", "億", "兆",
    "一二三四五六七八九十", "〇", "几", "数", "半", "分之", "百分之", "千分之", "‰", "‱",
    "1e308", "1E-400", "-", "−", "+", "~", "～", "至", "到", "—", "-", "..", "…", "·", ".", ",",
    "０１２３４５６７８９", "①②③", "Ⅳ", "½", "²", "٣", "४", "๕", "𝟗",
    "\x00", "\x07", "\x1b[0m", "\u200b", "\u200d", "\ufeff", "\u202e", "\u0301", "\U0001f600", "\ufffd",
    "مرحبا", "Привет", "한국", "日本の", "עברית",
]

numbers = st.one_of(
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.decimals(allow_nan=False, allow_infinity=False).map(lambda d: format(d, "f")),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.text("0123456789.,", min_size=1, max_size=60),
    st.integers(1, 300).map(lambda n: "9" * n),
    st.integers(1, 60).map(lambda n: "万亿" * n),
    st.integers(1, 60).map(lambda n: "一" + "万" * n),
    st.integers(1, 40).map(lambda n: "（" * n + "1" + "）" * n),
)

adversarial = st.lists(st.one_of(st.sampled_from(FRAGMENTS), numbers), min_size=1, max_size=120).map("".join)
random_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=3000)
texts = st.one_of(adversarial, random_text,
                  st.tuples(adversarial, random_text, adversarial).map("".join))

BIG_CASES = [
    "高平经开区总投资 " + "1" * 1_000_000 + " 亿元。",  # a million-digit number
    "高平经开区营业收入" + "万亿" * 50_000 + "元，增长" + "9" * 5000 + "%。",
    "高平经开区完成投资 52.6 亿元，" * 30_000,  # a ~1 MB line, no line break
    "总投资" + "1.5" * 100_000 + "亿元",
    "增长" + "%" * 100_000,
    "（" * 100_000 + "总投资 3 亿元" + "）" * 100_000,
]


# -- checks --------------------------------------------------------------------------------------
def check_candidates(text: str) -> None:
    with bounded():
        cands = extractor().extract(text, PUBLISHED, None)
    for c in cands:
        assert 0 <= c.span_start <= c.span_end <= len(text)
        assert text[c.span_start:c.span_end] == c.printed
        assert 0 <= c.sentence_start <= c.span_start and c.span_end <= c.sentence_end <= len(text)
        assert c.value.is_finite()
        Decimal(str(c.value))
        if c.high is not None:
            assert c.high.is_finite()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
@example("高平经开区 2024 年完成总投资 52.6 亿元，同比增长 8.2%。")
@example("万亿" * 500 + "元")
@example("1" * 5000 + "亿元")
@example("\x00\x01\x02")
def test_extraction_never_crashes_and_spans_are_exact(text: str) -> None:
    check_candidates(text)


@pytest.mark.parametrize("index", range(len(BIG_CASES)))
def test_extraction_of_huge_inputs(index: int) -> None:
    check_candidates(BIG_CASES[index])


# -- through ingest into SQLite ------------------------------------------------------------------
@pytest.fixture(scope="module")
def fuzz_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[object, Path]]:
    path = tmp_path_factory.mktemp("fuzz") / "fuzz.sqlite"
    db = open_database(f"sqlite:///{path}")
    yield db, path
    db.close()


def ingest_text(db: object, folder: Path, text: str, counter: list[int]) -> None:
    counter.append(1)
    path = folder / f"fuzz-{len(counter)}.txt"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    with bounded():
        outcomes = list(iter_ingest(db, [InputFile(path.name, str(path))], published=PUBLISHED))  # type: ignore[arg-type]
    assert len(outcomes) == 1
    outcome = outcomes[0]
    assert outcome.status in ("added", "skipped", "empty", "failed"), outcome
    if outcome.status == "failed":  # only a reason about the input, never a crash
        assert outcome.detail in ("binary file, not text",), outcome


def check_database(path: Path) -> None:
    conn = sqlite3.connect(path)
    try:
        for body, start, end, printed, exact, high, base in conn.execute(
                "SELECT a.body, o.span_start, o.span_end, o.printed, o.value_exact, o.value_high_exact, "
                "o.base_value_exact FROM observation o JOIN article a ON a.id = o.article_id"):
            assert body[start:end] == printed
            for value in (exact, high, base):
                if value is not None:
                    assert Decimal(value).is_finite(), value
        for text, body, a, b in conn.execute(
                "SELECT d.text, a.body, a.doc_start, a.doc_end FROM article a JOIN document d ON d.id = a.document_id"):
            assert text[a:b] == body
    finally:
        conn.close()


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(text=texts)
def test_ingest_of_random_text_keeps_spans_and_values_exact(fuzz_db: tuple[object, Path], text: str,
                                                            tmp_path_factory: pytest.TempPathFactory) -> None:
    db, path = fuzz_db
    folder = tmp_path_factory.mktemp("in", numbered=True)
    ingest_text(db, folder, text, [])
    check_database(path)


def test_ingest_of_huge_inputs(fuzz_db: tuple[object, Path], tmp_path: Path) -> None:
    db, path = fuzz_db
    counter: list[int] = []
    for text in BIG_CASES:
        ingest_text(db, tmp_path, text, counter)
    check_database(path)
