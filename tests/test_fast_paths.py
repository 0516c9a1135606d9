"""Fast paths that replace a simple reference formulation must give exactly its answer.

Each speed-up in the extraction (a scan from the suffixes' 区, one combined regular expression
for the period scanner, a prefilter before width folding, the Rust Aho-Corasick matcher) is
checked here against the plain formulation it replaces, on generated and on hand-written text.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from hypothesis import example, given, settings
from hypothesis import strategies as st

from zonedb import periods, zonefinder
from zonedb.gazetteer import Automaton, default_gazetteer
from zonedb.textnorm import _WIDTH_TRANS, fold_width

# Characters that make up zone names and their surroundings, so generated text is dense in
# near-misses: suffix pieces, place characters, separators, non-Chinese characters.
ZONE_ALPHABET = "经济技术开发区高新产业综合保税自由贸易试验工园山西晋城平大龙在的、，。 A1（）"
PERIOD_ALPHABET = "2023年一二三四五六七八九十上下半季度月日号前至到—-、以来截目为止今全底末近过去个“”十五期间 0123"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=ZONE_ALPHABET, max_size=80))
def test_suffix_names_equal_the_regular_expression(text: str) -> None:
    assert list(zonefinder.suffix_names(text)) == [m.span() for m in zonefinder._SUFFIX.finditer(text)]


def test_suffix_names_on_written_text() -> None:
    text = "在贵州铜仁大龙经济开发区和山西晋城经济技术开发区，经开区与高新区、大大开发区"
    spans = list(zonefinder.suffix_names(text))
    assert [text[a:b] for a, b in spans] == ["在贵州铜仁大龙经济开发区", "和山西晋城经济技术开发区", "经开区与高新区", "大大开发区"]
    assert spans == [m.span() for m in zonefinder._SUFFIX.finditer(text)]


def _reference_find_periods(text: str, published: date) -> list[periods.PeriodMatch]:
    """The scanner as first written: try every pattern at every trigger character."""
    trigger = re.compile(periods._TRIGGER)
    out, pos = [], 0
    while (t := trigger.search(text, pos)) is not None:
        i = t.start()
        c = periods._longest_at(text, i, published, None)
        if c is None or c.end <= i:
            pos = i + 1
            continue
        out.append(periods.PeriodMatch(i, c.end, text[i:c.end], c.period))
        pos = c.end
    return out


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=PERIOD_ALPHABET, max_size=60))
def test_period_scanner_equals_trying_every_trigger(text: str) -> None:
    published = date(2024, 9, 10)
    assert periods.find_periods(text, published) == _reference_find_periods(text, published)


def test_period_scanner_on_written_text() -> None:
    text = "2023年1—8月，全市完成投资较上年同期增长5%；截至目前，“十四五”期间累计签约项目32个，今年上半年新增2家。"
    published = date(2024, 9, 10)
    found = periods.find_periods(text, published)
    assert [m.text for m in found] == ["2023年1—8月", "上年", "截至目前", "“十四五”期间", "今年上半年"]
    assert found == _reference_find_periods(text, published)


@given(st.text(alphabet="１２３．５％ＡＢｃ　abc12 年。", max_size=40))
def test_fold_width_equals_translate(text: str) -> None:
    assert fold_width(text) == text.translate(_WIDTH_TRANS)


def test_zone_matcher_is_leftmost_longest() -> None:
    auto = Automaton.build({"山西": ("a",), "山西省": ("b",), "西省城": ("c",), "晋城": ("d",)})
    found = [(m.start, m.end, m.surface) for m in auto.find("山西省城晋城")]
    assert found == [(0, 3, "山西省"), (4, 6, "晋城")]
    every = sorted((m.start, m.end, m.surface) for m in auto.find("山西省城晋城", overlapping=True))
    assert every == [(0, 2, "山西"), (0, 3, "山西省"), (1, 4, "西省城"), (4, 6, "晋城")]


def test_zone_matcher_survives_pickling_for_worker_processes() -> None:
    import pickle

    gaz = default_gazetteer()
    text = "高平经济技术开发区位于山西省晋城市"
    before = [(m.start, m.end, m.keys) for m in gaz.find_zones(text)]
    copy = pickle.loads(pickle.dumps(gaz))
    assert [(m.start, m.end, m.keys) for m in copy.find_zones(text)] == before
    assert len(before) >= 2


# -- facts: folded as they stream, one representative per body and figure -----------------------
_FIGURES = [("909.4", None, "元", None, "909.4亿元"), ("909", None, "元", "约", "约909亿元"),
            ("48.3", None, "%", "约", "约48.3%"), ("300", None, "个", "多", "300多个"),
            ("3", "5", "元", None, "3—5元"), ("0", None, "%", None, "0%"), ("912", None, "元", None, "912亿元")]


def _reference_summary(obs: list[object]) -> object:
    """The rule applied to every observation, with no folding."""
    from zonedb.facts import FactSummary, _mixed, _text

    obs = sorted(obs, key=lambda o: o.id)  # type: ignore[attr-defined]
    status, best, bounds = _mixed(obs)  # type: ignore[arg-type]
    return FactSummary(
        status=status, best_observation_id=best.id, value_exact=best.value_exact, unit=best.unit,
        qualifier=best.qualifier, printed=best.printed, value_low_exact=_text(bounds.low),
        value_high_exact=_text(bounds.high), n_observations=len(obs),
        n_sources=len({o.body_hash for o in obs}), n_documents=len({o.document_id for o in obs}),
        n_publications=len({o.publication for o in obs}),
        n_values=len({(o.unit, Decimal(o.value_exact), o.value_high_exact, o.qualifier) for o in obs}),
        first_published=min(o.published for o in obs), last_published=max(o.published for o in obs))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(_FIGURES) - 1), st.integers(1, 4), st.integers(1, 3),
                          st.integers(0, 40)), min_size=1, max_size=12),
       st.booleans())
# Two common regions hold the best figure (909.4 and 约909 in both bodies): the bounds were the
# first region met, which the folding changed.
@example(sources=[(0, 2, 1, 0), (1, 1, 1, 0), (1, 2, 1, 0), (0, 2, 1, 1)], one_figure=False)
def test_folded_summary_equals_the_rule_on_every_observation(
        sources: list[tuple[int, int, int, int]], one_figure: bool) -> None:
    from datetime import timedelta

    from zonedb.facts import FactObservation, summarize

    obs = []
    for i, (fig, body, doc, day) in enumerate(sources):
        value, high, unit, qualifier, printed = _FIGURES[0 if one_figure else fig]
        obs.append(FactObservation(id=i + 1, document_id=doc, publication=f"p{doc % 2}", body_hash=f"b{body}",
                                   published=date(2024, 1, 1) + timedelta(days=day), value_exact=value,
                                   value_high_exact=high, unit=unit, qualifier=qualifier, printed=printed))
    assert summarize(obs) == _reference_summary(obs)
    assert summarize(reversed(obs)) == summarize(obs)


@given(st.text(alphabet="某某科技有限公司集团股份ABCx1高平经开区完成，", max_size=40))
def test_company_hint_is_implied_by_every_company_match(head: str) -> None:
    from zonedb.extract import _COMPANY, _COMPANY_HINT

    if _COMPANY.search(head):
        assert _COMPANY_HINT.search(head)


def _reference_segment_text(text: str) -> str:
    from zonedb.segment import cut_for_search, vocabulary_words

    words = [w for w in cut_for_search(text) if re.search(r"\w", w)]
    return " ".join(words + vocabulary_words(text))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="今年高平开发区产值亿元增长规上工业增加值 ，。、\n\t\u3000%.—-_①ＧＤＰgdp0123４５", max_size=60))
def test_index_words_equal_a_per_token_filter(text: str) -> None:
    from zonedb.search import segment_text

    assert segment_text(text) == _reference_segment_text(text)


def test_index_words_on_real_texts() -> None:
    from tests.conftest import corpus_texts
    from zonedb.search import segment_text

    for name, text in corpus_texts(25):
        assert segment_text(text) == _reference_segment_text(text), name
