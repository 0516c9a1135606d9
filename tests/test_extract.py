"""Extraction rules, each on a short text written for this test (figures are illustrative)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from zonedb.extract import Candidate, Extractor
from zonedb.gazetteer import default_gazetteer

PUBLISHED = date(2024, 9, 10)


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(default_gazetteer())


def rows(extractor: Extractor, text: str, title: str | None = None) -> list[tuple]:
    return [(c.zone_key, c.metric, c.value, c.unit, c.period.code if c.period else None)
            for c in extractor.extract(text, PUBLISHED, title)]


def one(extractor: Extractor, text: str) -> Candidate:
    found = extractor.extract(text, PUBLISHED)
    assert len(found) == 1, found
    return found[0]


def test_figures_get_zone_metric_period_value_and_unit(extractor: Extractor) -> None:
    text = "2023年，高平经济技术开发区完成产值909.4亿元，占全区工业产值的48.3%；完成营业收入921.36亿元。"
    assert rows(extractor, text) == [
        ("高平经济技术开发区", "产值", Decimal("90940000000"), "元", "2023"),
        ("高平经济技术开发区", "占全区工业产值比重", Decimal("48.3"), "%", "2023"),
        ("高平经济技术开发区", "营业收入", Decimal("92136000000"), "元", "2023"),
    ]


def test_spans_slice_back_to_the_printed_text_across_line_breaks(extractor: Extractor) -> None:
    body = "临汾经济开发区本次开工项目5个，总投资3.3\n亿元，占比达到 59.78豫。"
    found = extractor.extract(body, PUBLISHED)
    assert [body[c.span_start:c.span_end] for c in found] == ["5个", "3.3\n亿元", "59.78豫"]
    assert [c.printed for c in found] == ["5个", "3.3\n亿元", "59.78豫"]
    assert found[2].value == Decimal("59.78") and found[2].unit == "%"
    assert body[found[0].sentence_start:found[0].sentence_end] == body


def test_numbers_broken_across_printed_columns_are_joined(extractor: Extractor) -> None:
    body = "高平经济技术开发区完成工业投资14.3\n4亿元，同比增长62.2\n%。"
    assert rows(extractor, body) == [
        ("高平经济技术开发区", "工业投资", Decimal("1434000000"), "元", None),
        ("高平经济技术开发区", "工业投资增速", Decimal("62.2"), "%", None),
    ]


def test_each_figure_takes_the_indicator_that_governs_it(extractor: Extractor) -> None:
    text = "原平经济技术开发区签约项目29个、总投资51.73亿元，其中战新项目27个；为55家区内企业发放扶持资金2232万元。"
    assert [(r[1], r[2], r[3]) for r in rows(extractor, text)] == [
        ("签约项目数", Decimal("29"), "个"),
        ("总投资", Decimal("5173000000"), "元"),
        ("战新项目", Decimal("27"), "个"),
        ("区内企业", Decimal("55"), "家"),
        ("扶持资金", Decimal("22320000"), "元"),
    ]


def test_qualifiers_and_modifiers_are_kept(extractor: Extractor) -> None:
    found = extractor.extract(
        "临汾经济开发区今年上半年完成固定资产投资45.6亿元，同比增长12.3%，预计全年产值达到120亿元，"
        "累计引进企业36家，营业收入超过1.2万亿元。", PUBLISHED)
    by_metric = {c.metric: c for c in found}
    assert by_metric["固定资产投资增速"].measure == "yoy_pct"
    assert by_metric["固定资产投资增速"].modifiers == "同比"
    assert by_metric["预计产值"].modifiers == "预计"
    assert by_metric["预计产值"].period is not None and by_metric["预计产值"].period.code == "2024"
    assert by_metric["企业数"].modifiers == "累计"
    assert (by_metric["营业收入"].value, by_metric["营业收入"].qualifier) == (Decimal("1200000000000"), "超过")


def test_ranges_keep_low_and_high(extractor: Extractor) -> None:
    c = one(extractor, "临汾经济开发区单个项目投资3—5亿元。")
    assert (c.value, c.high, c.unit) == (Decimal("300000000"), Decimal("500000000"), "元")


def test_coreference_resolves_to_the_zone_named_only_in_the_headline(extractor: Extractor) -> None:
    found = rows(extractor, "今年上半年，全区实现营业收入156.2亿元。该区新签约项目18个。",
                 title="临汾经济开发区上半年经济运行稳中向好")
    assert [(r[0], r[2]) for r in found] == [("临汾经济开发区", Decimal("15620000000")),
                                             ("临汾经济开发区", Decimal("18"))]


def test_coreference_resolves_to_the_zone_named_only_in_the_last_paragraph(extractor: Extractor) -> None:
    text = "两年来，部门绩效评价覆盖率100%。\n下一步，朔州经开区财政管理运营部将继续推进改革。"
    c = one(extractor, text)
    assert (c.zone_key, c.metric, c.value, c.zone_inferred) == (
        "朔州经济技术开发区", "部门绩效评价覆盖率", Decimal("100"), True)


def test_zone_aliases_resolve_to_the_canonical_name(extractor: Extractor) -> None:
    assert rows(extractor, "高平经开区完成投资26.56亿元。")[0][0] == "高平经济技术开发区"
    assert rows(extractor, "山西综改示范区现有企业8家。")[0][0] == "山西转型综合改革示范区"


def test_a_zone_missing_from_the_list_is_recognised_by_its_form(extractor: Extractor) -> None:
    found = extractor.extract("一家企业在贵州铜仁大龙经济开发区开工。今年大龙经开区引进企业12家。", PUBLISHED)
    assert [(c.zone_key, c.zone_kind, c.value) for c in found] == [
        ("贵州铜仁大龙经济开发区", "development_zone", Decimal("12"))]


def test_an_alias_the_text_defines_is_used(extractor: Extractor) -> None:
    text = "吕梁经济技术开发区（以下简称“吕开”）召开会议。太原市今年新增企业20家，吕开新增企业45家。"
    assert [(r[0], r[2]) for r in rows(extractor, text)] == [("太原市", Decimal("20")),
                                                             ("吕梁经济技术开发区", Decimal("45"))]


def test_periods_resolve_against_the_publication_date(extractor: Extractor) -> None:
    text = ("今年1—7月份，高平经济技术开发区完成规上工业增加值36.68亿元。2023年以来签约项目29个。"
            "截至6月底，累计入驻企业326家。")
    found = extractor.extract(text, PUBLISHED)
    periods = [(c.period.start, c.period.end, c.period.kind) if c.period else None for c in found]
    assert periods == [
        (date(2024, 1, 1), date(2024, 7, 31), "ytd"),
        (date(2023, 1, 1), None, "since"),  # open: the same period whenever it is read
        (None, date(2024, 6, 30), "as_of"),
    ]


def test_project_figures_stay_linked_to_their_zone_marked_project_level(extractor: Extractor) -> None:
    found = extractor.extract("高平经济技术开发区包含投资1.2亿元的煤矸石综合利用项目。", PUBLISHED)
    assert [(c.zone_key, c.value, c.scope) for c in found] == [
        ("高平经济技术开发区", Decimal("120000000"), "project")]


def test_unit_printed_nowhere_is_inferred_from_a_sibling_and_marked(extractor: Extractor) -> None:
    found = extractor.extract("高平经济技术开发区签约项目29个、总投资51.73，其中战新项目27个，总投资50.4亿元。",
                              PUBLISHED)
    inferred = [c for c in found if c.unit_inferred]
    assert [(c.metric, c.value, c.unit) for c in inferred] == [("总投资", Decimal("5173000000"), "元")]


def test_a_bare_number_without_a_certain_unit_is_not_stored(extractor: Extractor) -> None:
    assert rows(extractor, "高平经济技术开发区签约项目29个，增速51.73，位居前列。") == [
        ("高平经济技术开发区", "签约项目数", Decimal("29"), "个", None)]


@pytest.mark.parametrize("text", [
    "8月26日，吕梁经济技术开发区召开8月份经济运行分析会，部署第三季度工作。",  # dates
    "吕梁经济技术开发区第三次召开会议，第一批专项债到位。",  # ordinals
    "高平经济技术开发区坚持以“三个一批”为总牵手。",  # names with numbers in quotes
    "吕梁经济技术开发区充分发挥“1+1+4”招商引资机制。",  # formulas
    "临汾经济开发区建立“7伊24小时不打烊”在线服务团队。",  # 7×24 printed with 伊
    "高平经济技术开发区投资建设20t/d实验装置。",  # capacities inside project names
    "临汾经济开发区进入全国30强。",
    "吕梁经济技术开发区聚焦氢能、数字经济两大主攻方向，建立一套工作专班。",
    "左云经济技术开发区深入学习党的二十届三中全会精神。",
    "临汾经济开发区此次集中开工10亿元以上重大项目。",  # a size class, not a figure
])
def test_non_indicators_are_not_extracted(extractor: Extractor, text: str) -> None:
    assert extractor.extract(text, PUBLISHED) == []


def test_figures_of_a_visiting_company_belong_to_no_zone(extractor: Extractor) -> None:
    text = ("临汾经济开发区迎来考察团。GreenTek公司于2019年开始布局生物基材料，获得22个国家的发明专利。"
            "思创环保科技有限公司年营业收入3亿元。")
    assert extractor.extract(text, PUBLISHED) == []


def test_provincial_departments_speak_for_the_province(extractor: Extractor) -> None:
    found = rows(extractor, "近日，省商务厅确定了13家省级消费品特色园区。山西转型综合改革示范区入选。",
                 title="山西转型综改示范区新增一家省级特色园区")
    assert found == [("山西省", "省级消费品特色园区", Decimal("13"), "家", None)]


def test_growth_from_a_to_b_keeps_the_metric(extractor: Extractor) -> None:
    found = rows(extractor, "山西省城镇化率由60.5%提高到65.2%。")
    assert [(r[1], r[2]) for r in found] == [("城镇化率", Decimal("60.5")), ("城镇化率", Decimal("65.2"))]


def test_places_listed_as_examples_are_not_the_subject(extractor: Extractor) -> None:
    found = extractor.extract("我国确定河南新乡等25个城市、南京江宁经济技术开发区等10个园区为首批试点。", PUBLISHED)
    assert [(c.zone_key, c.metric, c.value) for c in found] == [("全国", "园区", Decimal("10"))]


def test_a_comparison_base_is_not_the_period_and_a_level_change_keeps_its_metric(extractor: Extractor) -> None:
    found = extractor.extract("截至11月末，我国外汇储备规模为31718亿美元，较10月末上升706亿美元。", PUBLISHED)
    assert [(c.metric, c.value, c.unit, c.measure, c.period.code) for c in found] == [
        ("外汇储备规模", Decimal("3171800000000"), "美元", "level", "as of 2023-11-30"),
        ("外汇储备规模增加额", Decimal("70600000000"), "美元", "change", "as of 2023-11-30"),
    ]


def test_a_headline_repeating_a_figure_of_the_body_gives_one_observation(extractor: Extractor) -> None:
    body = "11月末我国外汇储备规模为31718亿美元\n数据显示，截至11月末，我国外汇储备规模为31718亿美元，规模稳中回升。\n"
    found = extractor.extract(body, PUBLISHED)
    assert len(found) == 1 and found[0].span_start > body.index("\n")


def test_the_period_of_an_earlier_sentence_carries_over_and_is_marked(extractor: Extractor) -> None:
    found = extractor.extract("今年上半年，临汾经济开发区经济运行良好。固定资产投资完成32.1亿元。本次签约项目5个。",
                              PUBLISHED)
    assert [(c.value, c.period.code if c.period else None, c.period_inferred) for c in found] == [
        (Decimal("3210000000"), "2024-H1", True), (Decimal("5"), None, False)]


def test_a_provincial_report_speaks_for_its_province_not_the_country(extractor: Extractor) -> None:
    text = ("2025年，全省地区生产总值增长5.5%，区域创新能力升至全国第二，全社会研发投入强度达到3.4%。"
            "全省新增城镇就业52万人。")
    found = extractor.extract(text, PUBLISHED, "2026年江苏省政府工作报告")
    assert {c.zone_key for c in found} == {"江苏省"}
    assert len(found) == 3


def test_past_year_in_a_report_is_the_previous_calendar_year(extractor: Extractor) -> None:
    found = extractor.extract("过去一年，全省完成地区生产总值32765亿元、增长4.1%。", date(2026, 1, 28),
                              "2026年云南省政府工作报告")
    assert [(c.zone_key, c.value, c.period.code) for c in found] == [
        ("云南省", Decimal("3276500000000"), "2025"), ("云南省", Decimal("4.1"), "2025")]
