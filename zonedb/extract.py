"""Extract indicator observations from one article: figure → zone, metric, period.

Pure: text and reference data in, frozen :class:`Candidate` records out, each with spans into
the article body exactly as stored.  The steps, per article:

1. clean the body (:mod:`zonedb.textnorm`) keeping an index map back to the original;
2. find quantities (number + unit), periods and zone mentions in the clean text;
3. decide the article's own zone (the one 全区/该区/园区 … refer to) from its title and body;
4. for each quantity, in its sentence: drop non-indicators (quoted names, formulas, figures of
   companies), take the governing indicator phrase as the metric, the nearest zone mention
   before it (else the article's zone), the last period named before it in the sentence.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from operator import attrgetter, itemgetter
from typing import Any

from zonedb.gazetteer import ADMIN_KINDS, Gazetteer, Mention
from zonedb.periods import Period, PeriodMatch, find_periods
from zonedb.quantities import Quantity, find_quantities
from zonedb.segment import cut
from zonedb.textnorm import CleanText, clean, has_paragraph_lines
from zonedb.units import lookup_unit, to_base
from zonedb.zonefinder import defined_aliases, discover_zones, find_surfaces


@dataclass(frozen=True, slots=True)
class Candidate:
    """One extracted observation; spans are half-open offsets into the article body."""

    zone_key: str
    zone_kind: str | None  # set for zones found in the text but not in the reference list
    zone_inferred: bool
    metric: str
    metric_text: str
    measure: str
    modifiers: str | None
    period: Period | None
    period_inferred: bool
    value: Decimal
    high: Decimal | None
    unit: str
    dimension: str
    base_value: Decimal | None
    base_unit: str | None
    qualifier: str | None
    unit_inferred: bool
    scope: str
    span_start: int
    span_end: int
    sentence_start: int
    sentence_end: int
    printed: str


_SENTENCE_END = re.compile(r"[。！？!?\n]+")
_CLAUSE_MARK = frozenset("，,；;：:（(）)、")
_QUOTE_PAIRS = {"“": "”", "《": "》", "「": "」", "『": "』", '"': '"'}
COREF_WORDS = ("全区", "该区", "我区", "本区", "全市", "本市", "我市", "全县", "全省", "我省", "本省",
               "园区", "区内", "开发区", "经开区", "高新区", "示范区", "全园")
_COREF = re.compile("|".join(sorted(COREF_WORDS, key=len, reverse=True)))
_UNITS_NOT_FIGURES = frozenset({"届"})
_COMPANY = re.compile(r"[\u4e00-\u9fff]{2,}(?:有限公司|股份公司|集团|公司)|[A-Z][A-Za-z0-9]+(?=[\u4e00-\u9fff])")
# Every _COMPANY match holds one of these: a cheap test before the pattern, which backtracks.
_COMPANY_HINT = re.compile(r"公司|集团|[A-Z]")
_PROJECT_AFTER = re.compile(r"^的[^，；。]{1,30}?(?:项目|工程|基地|中心)")
# Words that open an indicator phrase without being part of it (as jieba tokens).
_LEADING_TOKENS = frozenset(
    "其中 包含 包括 以及 并且 并 和 及 与 共计 共有 共 现有 已有 拥有 已经 已 本次 此次 目前 同比 比上年 "
    "较上年 累计 总计 合计 全年 当年 同期 达到 达 为 是 有 完成 实现 再 又 还 均 约 仅 的 将 要 把 对 向 "
    "在 让 使 了 之 中 今年 去年 同时 全面 持续 进一步 不断 积极 大力 加快 力争 确保 预计达".split()
)
# Verbs after which the indicator's noun starts (区内企业发放扶持资金 → 扶持资金).
_VERB_TOKENS = frozenset(
    "发放 申请 争取 到位 完成 实现 引进 落地 建成 新建 拉动 带动 培育 认定 招引 签订 开展 举办 梳理 "
    "确定 获得 拥有 吸引 帮助 兑现 投入 撬动 带来 创造 提供 安排 下达 拨付 筹集 发行 突破 达到 组织 "
    "实施 推动 推进 支持 惠及 覆盖 预拨 累计完成 共建 打造 建立 形成 落户 入驻 集聚 聚集 达 为 是 有".split()
)
_TRAILING_TOKENS = frozenset(
    "的 达 达到 为 是 约 近 超过 超 逾 突破 共 计 分别 了 有 和 及 与 以及 等 在 到 至 由 从 保持 "
    "保持在 提高 提高到 提升 提升到 提升至 增加到 增长到 增至 升至 降至 下降到 降低到 扩大到 缩减 完成 实现 "
    "缩减至 减少到 控制 控制在 稳定 稳定在 首次 已 累计 新增到 年均到 比 同比 较".split()
)
_NOT_INDICATORS = frozenset(
    "措施 政策 举措 意见 条例 方面 任务 行动 精神 名单 会议 文件 讲话 要求 原则 机制 平台 方案 "
    "活动 工作 环节 步骤 阶段 重点 亮点 特点 优势 目标 方向 领域 产业链 批次".split()
)
_STOP_AFTER = frozenset("以及 和 及 与 或 等 同比 比 较 分别 共 总 达 达到 为 是 在 被 将".split())
_MONEY_WORDS = frozenset("总投资 投资 产值 营业收入 资金 额度 金额 销售额 营收".split())
_FILLERS = re.compile(r"分别|目前|现在|都|也|均已|(?<![人年])均(?!衡)")
_TO_VERB = re.compile(r"^(?:提高|提升|增加|增长|扩大|下降|降低|缩减|减少|升|增|降)?(?:到|至)$")
# A zone named after these words is a yardstick or a beneficiary, not the subject
# (占全国近三成, 居全省第一, 为全国24个省份保供).
_COMPARATOR = re.compile(r"(?:占|比|较|居|为|向|给|对|超|于|列|领先|高于|低于)$")
# A measure word that is really the first character of a word (20万人口以上的县).
_WORD_AFTER_UNIT = frozenset({"人口", "家电", "家庭", "名单", "台阶", "座谈", "条例", "件事", "个人"})
_RATE_HEADS = frozenset({"", "年", "年均", "平均", "年平均"})
_OWN_FRAME = re.compile(r"[，,\s]*(?:本次|此次|这次|同时|此外|另外|其中|下一步|未来|目前)")
_YARDSTICK_AFTER = re.compile(r"第|首|前列|前\d|排名|领先|平均|水平|同类|总量|同行|唯一|最|之最|率先|示范|重点|试点|百强|十强")
_YARDSTICK_BEFORE = re.compile(r"(?:居|位|列|升至|跃居|跻身|进入|高于|低于|超过|入选|获评|成为|新建)$")
_LABEL_BEFORE = re.compile(r"(?:附件|附表|图|表|第|编号|序号|No\.?|NO\.?)$")
_ORDINAL = re.compile(r"第[一二三四五六七八九十百\d]+[次批期届个轮项]?")
_GROWTH_WORDS = ("同比增长", "比上年增长", "较上年增长", "增长", "增速", "增幅", "同比下降", "下降", "减少")
_KEEP_MODIFIERS = ("预计", "计划", "目标", "力争")
_MOVE_MODIFIERS = ("累计", "同比")
_MAX_METRIC = 16
_BARE_NUMBER = re.compile(r"(?<![\d.年月日第:：/])\d+(?:\.\d+)?(?=[，,；;])")
_NUMERAL = re.compile(r"[一二三四五六七八九十两百千万\d]")
_ADMIN_SUBJECT = re.compile(r"(?:^|[，、；])(?:[省市县])(?:委|政府|[\u4e00-\u9fff]{1,6}?(?:厅|局|委|办))")


_WHOLE_YEAR = ("全年", "全年度")
_LAST_YEAR = re.compile(r"过去(?:的)?一年(?:来|里|中)?|刚刚过去的一年")
_RELATIVE_SPAN = re.compile(r"近|过去|年来|月来")  # 两年来, 近三年: counted back from the issue date


def _paragraphs_with(text: str, quantities: list[Quantity]) -> list[tuple[int, int]]:
    """Spans of the paragraphs (lines of the clean text) that hold at least one quantity:
    the only places whose periods a figure can use."""
    spans: list[tuple[int, int]] = []
    for q in quantities:
        if spans and q.start < spans[-1][1]:
            continue
        start = text.rfind("\n", 0, q.start) + 1
        end = text.find("\n", q.end)
        spans.append((start, len(text) if end == -1 else end))
    return spans


def _periods_in(text: str, published: date, spans: list[tuple[int, int]]) -> list[PeriodMatch]:
    out = []
    for a, b in spans:
        out.extend(PeriodMatch(m.start + a, m.end + a, m.text, m.period)
                   for m in find_periods(text[a:b], published))
    return out


def _contextual_periods(text: str, published: date, spans: list[tuple[int, int]]) -> list[PeriodMatch]:
    """Periods of the given spans of ``text`` except single days; a bare 全年 means the year
    the text is already talking about (今年上半年…预计全年 → this year), not the last year
    that has ended."""
    out: list[PeriodMatch] = []
    for m in _periods_in(text, published, spans):
        if m.period.kind == "day":
            continue
        if _LAST_YEAR.fullmatch(m.text):
            # 过去一年 in a report read in early 2026 is the calendar year 2025.
            y = published.year - 1
            m = PeriodMatch(m.start, m.end, m.text, Period(date(y, 1, 1), date(y, 12, 31), "year"))
        elif m.period.kind == "since" and m.period.end == published and m.period.start is not None:
            # 2023年以来 runs up to whenever the text is read, so it is open-ended and the same
            # period in every issue; 两年来 / 近三年 count back from the issue to its month.
            start = m.period.start
            if _RELATIVE_SPAN.search(m.text):
                start = start.replace(day=1)
            m = PeriodMatch(m.start, m.end, m.text, Period(start, None, "since"))
        if m.text in _WHOLE_YEAR and m.period.start is not None:
            year = next((p.period.start.year for p in reversed(out) if p.period.start is not None), None)
            if year is None and re.search(r"(?:预计|计划|目标|力争|预期|确保)\S{0,2}$", text[max(0, m.start - 4) : m.start]):
                year = published.year
            if year is not None and year != m.period.start.year:
                m = PeriodMatch(m.start, m.end, m.text, Period(date(year, 1, 1), date(year, 12, 31), "year"))
        out.append(m)
    return out


_LEVEL_WORDS = (
    (re.compile(r"全省|我省|本省|省委|省政府"), frozenset({"province"})),
    (re.compile(r"全市|我市|本市|市委|市政府"), frozenset({"city", "province"})),  # 北京市 is a province
    (re.compile(r"全县|我县|本县"), frozenset({"county"})),
    (re.compile(r"全区|我区|本区|该区|园区|开发区|经开区|高新区"),
     frozenset({"etdz", "hitech", "new_area", "ftz", "ftz_area", "bonded", "reform_zone", "development_zone", "county",
                "province"})),  # 全区 of an autonomous region
)


def _dominant_level(text: str) -> frozenset[str] | None:
    """The zone kinds an article's own words point to (全省 → a province), if any stand out."""
    counts = [(len(pattern.findall(text)), kinds) for pattern, kinds in _LEVEL_WORDS]
    n, kinds = max(counts, key=lambda c: c[0])
    return kinds if n >= 2 else None


def _example_mentions(text: str, mentions: list[Mention]) -> frozenset[int]:
    """Mentions followed by 等, with the place names printed right before them."""
    out: set[int] = set()
    for i, m in enumerate(mentions):
        if text.startswith("等", m.end):
            j = i
            out.add(j)
            while j > 0 and mentions[j - 1].end == mentions[j].start:
                j -= 1
                out.add(j)
    return frozenset(out)


def _sentences(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for m in _SENTENCE_END.finditer(text):
        out.append((pos, m.end()))
        pos = m.end()
    if pos < len(text):
        out.append((pos, len(text)))
    return out


_QUOTE_OPEN = re.compile("[" + re.escape("".join(_QUOTE_PAIRS)) + "]")


def _quoted_ranges(text: str) -> list[tuple[int, int]]:
    """Spans of short quoted names (“三个一批”, 《…计划》) whose numbers are not figures
    (sorted and non-overlapping)."""
    out: list[tuple[int, int]] = []
    m = _QUOTE_OPEN.search(text)
    while m is not None:
        i = m.start()
        j = text.find(_QUOTE_PAIRS[text[i]], i + 1)
        if j != -1 and j - i <= 40:
            out.append((i, j + 1))
            m = _QUOTE_OPEN.search(text, j + 1)
        else:
            m = _QUOTE_OPEN.search(text, i + 1)
    return out


def _inside(ranges: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) lies in one of ``ranges`` (sorted, non-overlapping)."""
    i = bisect_right(ranges, start, key=_first) - 1
    return i >= 0 and end <= ranges[i][1]


def _overlapping(spans: list[Any], start: int, end: int, first: Any, second: Any) -> list[Any]:
    """The spans (sorted and non-overlapping, so their ends are sorted too) that overlap
    [start, end), in order."""
    return spans[bisect_right(spans, start, key=second) : bisect_left(spans, end, key=first)]


_first = itemgetter(0)
_second = itemgetter(1)
_start = attrgetter("start")
_end = attrgetter("end")


def _strip_spans(text: str, offset: int, spans: list[tuple[int, int]]) -> str:
    """``text`` (which starts at ``offset``) with the given absolute spans removed."""
    keep = [True] * len(text)
    for a, b in spans:
        for i in range(max(a - offset, 0), min(b - offset, len(text))):
            keep[i] = False
    return "".join(ch for ch, k in zip(text, keep, strict=True) if k)


@dataclass(frozen=True, slots=True)
class _Context:
    body: str
    text: str
    quotes: list[tuple[int, int]]
    zones: list[Mention]
    zone_keys: list[str | None]
    periods: list[PeriodMatch]
    article_zone: str | None
    examples: frozenset[int]  # mentions listed as examples (河南新乡等25个城市)


class Extractor:
    """Extract observations from articles with one gazetteer (build once, reuse)."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gaz = gazetteer
        self._found_kinds: dict[str, str] = {}

    # -- zones -----------------------------------------------------------------------------
    def _resolve_mention(self, mention: Mention, context_keys: Counter[str]) -> str | None:
        keys = mention.keys
        if len(keys) == 1:
            return keys[0]
        # Several zones share the name: prefer one whose ancestors are named in the article.
        best = max(keys, key=lambda k: sum(context_keys[a] for a in self.gaz.ancestors(k)))
        return best

    def article_zone(self, title: str | None, text: str, mentions: list[Mention],
                     keys: list[str | None]) -> str | None:
        """The zone an article is about.

        Title mentions weigh most and the first mention gets a bonus; development zones beat
        the administrative areas that host them; the country is only a fallback.  When the
        article keeps saying 全省 (or 全市, 全区 …), the zone of that level wins.
        """
        votes: Counter[str] = Counter()
        if title:
            for m in self.gaz.find_zones(clean(title).text):
                key = self._resolve_mention(m, Counter())
                if key:
                    votes[key] += 3
        for i, key in enumerate(keys):
            if key:
                votes[key] += 2 if i == 0 else 1
        if not votes:
            return None
        level = _dominant_level(text)
        order = list(votes)

        def weight(item: tuple[str, int]) -> tuple[int, float, int]:
            key, n = item
            kind = self._kind(key)
            factor = 2.0 if kind not in ADMIN_KINDS else 0.25 if kind == "country" else 1.0
            return (int(level is not None and kind in level), n * factor, -order.index(key))

        return max(votes.items(), key=weight)[0]

    def _mentions(self, text: str) -> list[Mention]:
        """Reference-list zones, plus zones of recognisable form and aliases the text defines."""
        mentions = self.gaz.find_zones(text)
        found = discover_zones(text, self.gaz, mentions)
        extra = {surface: z.key for z in found for surface in z.surfaces}
        extra.update(defined_aliases(text, self.gaz, mentions))
        self._found_kinds = {z.key: z.kind for z in found}
        if extra:
            new = find_surfaces(text, extra)
            # A found zone supersedes the place names inside it (贵州, 铜仁 in 贵州铜仁大龙经济开发区).
            mentions = [m for m in mentions if not any(n.start <= m.start and m.end <= n.end for n in new)]
            taken = [(m.start, m.end) for m in mentions]
            mentions += [m for m in new if not any(a < m.end and m.start < b for a, b in taken)]
            mentions.sort(key=lambda m: m.start)
        return mentions

    def _kind(self, key: str) -> str:
        entry = self.gaz.zones.get(key)
        return entry.kind if entry else self._found_kinds.get(key, "development_zone")

    # -- main ------------------------------------------------------------------------------
    def extract(self, body: str, published: date, title: str | None = None) -> list[Candidate]:
        """All observations of one article ``body`` published on ``published``."""
        ct = clean(body, keep_paragraphs=has_paragraph_lines(body))
        text = ct.text
        mentions = self._mentions(text)
        names = Counter(k for m in mentions for k in m.keys)
        keys = [self._resolve_mention(m, names) for m in mentions]
        examples = _example_mentions(text, mentions)
        quantities = find_quantities(text)  # left to right, non-overlapping
        ctx = _Context(
            body=body,
            text=text,
            quotes=_quoted_ranges(text),
            zones=mentions,
            zone_keys=keys,
            periods=_contextual_periods(text, published, _paragraphs_with(text, quantities)),
            article_zone=self.article_zone(title, text, mentions,
                                           [None if i in examples else k for i, k in enumerate(keys)]),
            examples=examples,
        )
        out: list[Candidate] = []
        q_starts = [q.start for q in quantities]
        for s_start, s_end in _sentences(text):
            in_sentence = quantities[bisect_left(q_starts, s_start) : bisect_left(q_starts, s_end)]
            last_level_metric: str | None = None
            prev_end = s_start
            found: list[tuple[Candidate, Quantity]] = []
            for q in in_sentence:
                cand = self._candidate(ct, ctx, q, s_start, s_end, prev_end, last_level_metric)
                prev_end = q.end
                if cand is None:
                    continue
                if cand.measure == "level":
                    last_level_metric = cand.metric
                found.append((cand, q))
            out.extend(c for c, _ in found)
            out.extend(self._inferred_units(ct, ctx, s_start, s_end, in_sentence, found))
        out.sort(key=lambda c: c.span_start)
        return _without_repeats(out, body)

    def _inferred_units(self, ct: CleanText, ctx: _Context, s_start: int, s_end: int,
                        quantities: list[Quantity], found: list[tuple[Candidate, Quantity]]) -> list[Candidate]:
        """Numbers printed without a unit (总投资51.73，其中…总投资50.4亿元) take the unit of a
        sibling with the same metric in the same sentence; they are marked as inferred."""
        out: list[Candidate] = []
        if not any(c.measure == "level" and c.dimension != "count" for c, _ in found):
            return out  # no sibling to take a unit from
        for m in _BARE_NUMBER.finditer(ctx.text, s_start, s_end):
            if any(q.start <= m.start() < q.end for q in quantities):
                continue
            prev_end = max((q.end for q in quantities if q.end <= m.start()), default=s_start)
            bare = Quantity(m.start(), m.end(), m.start(), m.end(), Decimal(m.group()), None, "", "none",
                            None, m.group())
            cand = self._candidate(ct, ctx, bare, s_start, s_end, prev_end, None)
            if cand is None:
                continue
            sibling = next(((c, q) for c, q in found if c.metric == cand.metric and c.measure == "level"
                            and c.dimension != "count"), None)
            if sibling is None:
                continue
            c, q = sibling
            digits = re.match(r"\d+(?:\.\d+)?", ctx.text[q.number_start : q.number_end])
            if digits is None or Decimal(digits.group()) == 0:
                continue
            printed_number = Decimal(digits.group())
            value = bare.value * (q.value / printed_number)
            unit_obj = lookup_unit(c.unit)
            base_value, base_unit = to_base(value, unit_obj) if unit_obj is not None else (None, None)
            out.append(replace(cand, value=value, unit=c.unit, dimension=c.dimension, base_value=base_value,
                               base_unit=base_unit, unit_inferred=True))
        return out

    def _candidate(self, ct: CleanText, ctx: _Context, q: Quantity, s_start: int, s_end: int,
                   prev_end: int, last_level_metric: str | None) -> Candidate | None:
        text = ctx.text
        if _inside(ctx.quotes, q.start, q.end):
            return None
        if q.end < len(text) and text[q.end] in "/×+" or q.start > 0 and text[q.start - 1] in "/×+":
            return None
        if text[q.end - 1 : q.end + 1] in _WORD_AFTER_UNIT and q.dimension == "count":
            return None
        if q.unit in _UNITS_NOT_FIGURES or _LABEL_BEFORE.search(text[max(0, q.start - 3) : q.start]):
            return None
        if q.qualifier in ("以上", "以下") and q.end < len(text) and "\u4e00" <= text[q.end] <= "\u9fff" \
                and text[q.end] != "的":
            return None  # 10亿元以上重大项目: a size class, not a figure
        sentence_head = text[s_start:q.start]
        zone_idx = self._zone_before(ctx, s_start, q.start)
        if zone_idx is None:
            zone_idx = self._zone_after(ctx, q, s_end)
        head = sentence_head.lstrip("，,；; ")
        if _COMPANY_HINT.search(head) and (_COMPANY.match(head) or zone_idx is None and _COMPANY.search(head)):
            return None  # a company's own figure, not a zone's
        metric, metric_text, measure, modifiers = self._metric(ctx, q, s_start, prev_end, last_level_metric)
        if metric is None:
            return None
        zone_key, inferred = self._zone(ctx, zone_idx, s_start)
        if zone_idx is None and zone_key and _ADMIN_SUBJECT.search(sentence_head):
            zone_key = self._admin_of(zone_key, _ADMIN_SUBJECT.search(sentence_head).group().lstrip("，、；")[0])
        if zone_key is None:
            return None
        period = next((p.period for p in reversed(ctx.periods) if s_start <= p.start and p.end <= q.start
                       and not _COMPARATOR.search(text[max(0, p.start - 2) : p.start])), None)
        period_inferred = False
        if period is None and not _OWN_FRAME.match(text, s_start):
            # The period of an earlier sentence of the same paragraph carries over.
            para_start = text.rfind("\n", 0, s_start) + 1
            period = next((p.period for p in reversed(ctx.periods) if para_start <= p.start and p.end <= s_start
                           and not _COMPARATOR.search(text[max(0, p.start - 2) : p.start])), None)
            period_inferred = period is not None
        scope = "project" if _PROJECT_AFTER.match(text[q.end : s_end]) else "zone"
        value, high, unit, dimension = q.value, q.high, q.unit, q.dimension
        if measure == "yoy_pct" and any(w in metric_text for w in ("下降", "减少")):
            value = -value
            high = -high if high is not None else None
        unit_obj = lookup_unit(unit)
        base_value, base_unit = to_base(value, unit_obj) if unit_obj is not None else (None, None)
        start, end = ct.to_original(q.start, q.end)
        sent_start, sent_end = ct.to_original(s_start, s_end)
        return Candidate(
            zone_key=zone_key, zone_kind=None if zone_key in self.gaz.zones else self._kind(zone_key),
            zone_inferred=inferred, metric=metric, metric_text=metric_text,
            measure=measure, modifiers=modifiers, period=period, period_inferred=period_inferred,
            value=value, high=high, unit=unit,
            dimension=dimension, base_value=base_value, base_unit=base_unit, qualifier=q.qualifier,
            unit_inferred=False, scope=scope, span_start=start, span_end=end,
            sentence_start=sent_start, sentence_end=sent_end, printed=ctx.body[start:end],
        )

    def _admin_of(self, key: str, level_char: str) -> str:
        """The province (省) or city (市) containing ``key``; ``key`` itself if none."""
        wanted = {"省": "province", "市": "city", "县": "county"}[level_char]
        for parent in [key, *self.gaz.ancestors(key)]:
            if self._kind(parent) == wanted:
                return parent
        return key

    def _zone_before(self, ctx: _Context, start: int, end: int) -> int | None:
        # Mentions are sorted and non-overlapping: search [start, end) backwards for the last one.
        for i in range(bisect_left(ctx.zones, end, key=_start) - 1, bisect_left(ctx.zones, start, key=_start) - 1, -1):
            m = ctx.zones[i]
            if ctx.zone_keys[i] and not _COMPARATOR.search(ctx.text[max(0, m.start - 2) : m.start]) \
                    and i not in ctx.examples and not self._yardstick_country(ctx, i):
                return i
        return None

    def _yardstick_country(self, ctx: _Context, i: int) -> bool:
        """In an article about a region, 全国 names a yardstick (全国第二, 全国首个), not the subject."""
        key = ctx.zone_keys[i]
        if key is None or self._kind(key) != "country" or ctx.article_zone is None \
                or self._kind(ctx.article_zone) == "country":
            return False
        m = ctx.zones[i]
        return bool(_YARDSTICK_AFTER.match(ctx.text, m.end)
                    or _YARDSTICK_BEFORE.search(ctx.text[max(0, m.start - 3) : m.start]))

    def _zone_after(self, ctx: _Context, q: Quantity, s_end: int) -> int | None:
        """A zone named later in the figure's clause (25个项目落户北京经开区)."""
        end = q.end
        while end < s_end and ctx.text[end] not in _CLAUSE_MARK:
            end += 1
        for i in range(bisect_left(ctx.zones, q.end, key=_start), len(ctx.zones)):
            m = ctx.zones[i]
            if m.start >= end:
                break  # sorted: no later mention ends by ``end``
            if m.end <= end and ctx.zone_keys[i] and i not in ctx.examples:
                return i
        return None

    def _zone(self, ctx: _Context, zone_idx: int | None, s_start: int) -> tuple[str | None, bool]:
        if zone_idx is not None:
            return ctx.zone_keys[zone_idx], False
        return self._antecedent(ctx, s_start) or ctx.article_zone, True

    def _antecedent(self, ctx: _Context, s_start: int) -> str | None:
        """For a sentence that says 园区/开发区/该区 …: the zone named in the sentence just before."""
        sentence_end = ctx.text.find("。", s_start)
        sentence = ctx.text[s_start : sentence_end if sentence_end != -1 else len(ctx.text)]
        if not _COREF.search(sentence):
            return None
        prev_start = max(ctx.text.rfind("。", 0, max(s_start - 1, 0)), ctx.text.rfind("\n", 0, max(s_start - 1, 0))) + 1
        for i in range(len(ctx.zones) - 1, -1, -1):
            m, key = ctx.zones[i], ctx.zone_keys[i]
            if prev_start <= m.start < s_start and key and self._kind(key) not in ADMIN_KINDS \
                    and i not in ctx.examples:
                return key
        return None

    # -- metric ----------------------------------------------------------------------------
    def _metric(self, ctx: _Context, q: Quantity, s_start: int, prev_end: int,
                last_level_metric: str | None) -> tuple[str | None, str, str, str | None]:
        text = ctx.text
        clause_start = max(prev_end, s_start)
        for i in range(q.start - 1, clause_start - 1, -1):
            if text[i] in _CLAUSE_MARK:
                clause_start = i + 1
                break
        raw_before = text[clause_start : q.start]
        before = self._quoted_metric(raw_before) or self._clean_phrase(ctx, raw_before, clause_start)
        after = self._noun_after(ctx, q) if q.dimension == "count" else ""
        phrase = after if after and not _ends_with_noun(before) else before
        if last_level_metric and prev_end > s_start and _TO_VERB.search(raw_before):
            phrase = last_level_metric  # 由60%提高到65%: the second figure shares the metric
        if phrase in _NOT_INDICATORS or phrase in _VERB_TOKENS:
            return None, raw_before, "level", None
        modifiers = [w for w in (*_KEEP_MODIFIERS, *_MOVE_MODIFIERS) if w in raw_before]
        for w in _MOVE_MODIFIERS:
            phrase = phrase.replace(w, "")
        measure = "level"
        if q.unit == "个百分点":
            measure = "pp_change"
        elif q.unit == "倍":
            measure = "multiple"
        change = re.fullmatch(r"(?:较|比)?(上升|增加|增长|提高|下降|减少|降低)", phrase)
        if change and q.unit not in ("%", "个百分点", "倍") and last_level_metric \
                and not re.search(r"[到至]$", raw_before):
            sign = "减少" if change.group(1) in ("下降", "减少", "降低") else "增加"
            return f"{last_level_metric}{sign}额", phrase, "change", None
        worded = phrase  # the indicator as the text words it, before naming rules
        growth = next((w for w in _GROWTH_WORDS if phrase.endswith(w)), None)
        if growth and q.unit in ("%", "个百分点", "倍"):
            head = phrase[: -len(growth)]
            base = head if head not in _RATE_HEADS else (last_level_metric or "") + head
            if base.startswith("年") and last_level_metric is None:
                base = "年均" if base in ("年", "年均") else base
            phrase = f"{base}增速" if q.unit != "倍" else f"{base}增长倍数"
            measure = "yoy_pct" if q.unit == "%" else measure
        elif phrase.endswith("占") and len(phrase) > 1 and q.unit == "%":
            phrase = phrase[:-1] + "占比"  # 煤炭产量占(全国)近三成
            measure = "share_pct"
        elif (phrase.startswith("占") or not phrase and raw_before.lstrip("，,；;").startswith("占")) \
                and q.unit == "%":
            share = re.sub(r"[^\u4e00-\u9fffA-Za-z]", "", raw_before)
            share = share[share.index("占") :] if "占" in share else phrase
            core = re.sub(r"(?:的)?(?:比重|比例|份额|占比)?的?$", "", share[1:])
            phrase = f"占{core}比重"
            measure = "share_pct"
        if len(phrase) > _MAX_METRIC:
            phrase = phrase[-_MAX_METRIC:]
        if len(phrase) < 2 or not re.search(r"[\u4e00-\u9fff]", phrase):
            return None, raw_before, measure, None
        metric = self.gaz.canonical_metric(phrase)
        if phrase.endswith("率") and q.unit not in ("%", "‰", "个百分点"):
            return None, raw_before, measure, None  # a rate printed with a count is two things
        if metric is None:
            if not self.gaz.is_indicator(phrase):
                return None, raw_before, measure, None  # 7人制足球比赛: a number, not an indicator
            metric = phrase
        return metric, worded, measure, "|".join(modifiers) or None

    @staticmethod
    def _quoted_metric(raw: str) -> str | None:
        """``活动“开工项目”23个``: a quoted indicator right before the figure names it."""
        m = re.search(r"[“\"]([\u4e00-\u9fff]{2,10})[”\"]$", raw)
        if m and not _NUMERAL.search(m.group(1)):
            return m.group(1)
        return None

    def _clean_phrase(self, ctx: _Context, raw: str, offset: int) -> str:
        end = offset + len(raw)
        drop = [(p.start, p.end) for p in ctx.periods if p.start < end and p.end > offset]
        drop += _overlapping(ctx.quotes, offset, end, _first, _second)
        drop += [(m.start, m.end) for m in _overlapping(ctx.zones, offset, end, _start, _end)]
        phrase = _strip_spans(raw, offset, drop)
        phrase = _ORDINAL.sub("", phrase)
        phrase = _COREF.sub("", phrase)
        phrase = _FILLERS.sub("", phrase)
        phrase = re.sub(r"[^\u4e00-\u9fffA-Za-z]", "", phrase)
        return _trim_tokens(cut(phrase)) if phrase else ""

    def _noun_after(self, ctx: _Context, q: Quantity) -> str:
        """For counts such as ``53个重点项目``: the noun phrase right after the quantity."""
        text = ctx.text
        m = re.match(r"[\u4e00-\u9fffA-Za-z]{2,16}", text[q.end :])
        if not m or text[q.end] in "的地得以和与及或等左右余多次":
            return ""
        words: list[str] = []
        for token in cut(m.group()):
            if token in _VERB_TOKENS or token in _STOP_AFTER or (words and token in _MONEY_WORDS):
                break
            words.append(token)
        while words and words[-1] in _TRAILING_TOKENS:
            words.pop()
        return "".join(words)


def _without_repeats(found: list[Candidate], body: str) -> list[Candidate]:
    """A headline that repeats a figure of the body (news round-ups print each item's title
    line, then its text) gives one observation, the one in the body."""
    keys = {}
    for c in found:
        keys.setdefault((c.zone_key, c.metric, c.value, c.high, c.unit, c.measure), []).append(c)
    drop = set()
    for group in keys.values():
        for c in group[:-1]:
            line_start = body.rfind("\n", 0, c.span_start) + 1
            line_end = body.find("\n", c.span_end)
            line = body[line_start : line_end if line_end != -1 else len(body)]
            if c.scope == "zone" and not any(p in line for p in "，。,；"):
                drop.add(id(c))
    return [c for c in found if id(c) not in drop]


def _ends_with_noun(phrase: str) -> bool:
    return len(phrase) >= 2 and phrase[-1] in "目业区园数率额值量收资金"


def _trim_tokens(tokens: list[str]) -> str:
    """Keep the indicator's words: drop leading function words, everything up to the last
    verb, trailing particles, and leading words beyond the length limit."""
    last_verb = max((i for i, t in enumerate(tokens[:-1]) if t in _VERB_TOKENS), default=-1)
    tokens = tokens[last_verb + 1 :]
    while tokens and tokens[0] in _LEADING_TOKENS:
        tokens = tokens[1:]
    while tokens and tokens[-1] in _TRAILING_TOKENS:
        tokens = tokens[:-1]
    while tokens and sum(map(len, tokens)) > _MAX_METRIC:
        tokens = tokens[1:]
    return "".join(tokens)
