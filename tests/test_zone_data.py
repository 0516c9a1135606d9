"""Checks on the packaged zone reference list zonedb/data/zones.csv."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

ZONES_CSV = Path(__file__).resolve().parent.parent / "zonedb" / "data" / "zones.csv"
HEADER = ["name", "kind", "level", "parent", "aliases", "source"]
KINDS = {
    "country",
    "province",
    "city",
    "county",
    "etdz",
    "hitech",
    "new_area",
    "ftz",
    "ftz_area",
    "bonded",
    "reform_zone",
    "development_zone",
}
LEVELS = {"national", "provincial", "municipal", "county"}
ADMIN_LEVEL = {
    "country": "national",
    "province": "provincial",
    "city": "municipal",
    "county": "county",
}


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    with ZONES_CSV.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def find(rows, name, parent=None):
    hits = [r for r in rows if r["name"] == name and (parent is None or r["parent"] == parent)]
    assert hits, f"no row {name!r} (parent {parent!r})"
    return hits


def test_header_exact():
    with ZONES_CSV.open(encoding="utf-8", newline="") as fh:
        assert next(csv.reader(fh)) == HEADER


def test_kinds_levels_and_fields(rows):
    for r in rows:
        assert r["kind"] in KINDS, r
        assert r["level"] in LEVELS, r
        assert r["name"] and r["name"] == r["name"].strip(), r
        assert r["source"].strip(), r
        if r["kind"] in ADMIN_LEVEL:
            assert r["level"] == ADMIN_LEVEL[r["kind"]], r
        aliases = r["aliases"].split("|") if r["aliases"] else []
        assert all(a and a == a.strip() for a in aliases), r
        assert r["name"] not in aliases, r
        assert len(aliases) == len(set(aliases)), r


def test_name_parent_unique(rows):
    dup = [k for k, n in Counter((r["name"], r["parent"]) for r in rows).items() if n > 1]
    assert not dup


def test_parents_exist(rows):
    names = {r["name"] for r in rows}
    countries = [r for r in rows if r["kind"] == "country"]
    assert len(countries) == 1 and countries[0]["parent"] == ""
    for r in rows:
        if r["kind"] == "country":
            continue
        assert r["parent"], r
        assert r["parent"] in names, r


def test_parents_are_administrative(rows):
    kind_of = {}
    for r in rows:
        kind_of.setdefault(r["name"], set()).add(r["kind"])
    for r in rows:
        if r["parent"]:
            assert kind_of[r["parent"]] & set(ADMIN_LEVEL), r


def test_known_rows(rows):
    assert find(rows, "全国")[0]["kind"] == "country"
    assert find(rows, "山西省")[0]["kind"] == "province"
    assert find(rows, "太原市", "山西省")[0]["kind"] == "city"
    assert find(rows, "高平市", "晋城市")[0]["kind"] == "county"
    assert find(rows, "小店区", "太原市")[0]["kind"] == "county"
    # 高平经济技术开发区 is a provincial-level zone hosted by 高平市 (a county-level
    # city of 晋城市).
    gp = find(rows, "高平经济技术开发区")
    assert len(gp) == 1
    assert gp[0]["kind"] == "development_zone"
    assert gp[0]["level"] == "provincial"
    assert gp[0]["parent"] == "高平市"
    assert "上海" in find(rows, "上海市")[0]["aliases"].split("|")
    assert "内蒙古" in find(rows, "内蒙古自治区")[0]["aliases"].split("|")
    assert "广西" in find(rows, "广西壮族自治区")[0]["aliases"].split("|")
    assert find(rows, "浦东新区")[0]["kind"] == "new_area"
    assert find(rows, "雄安新区")[0]["kind"] == "new_area"
    shanghai_ftz = find(rows, "中国(上海)自由贸易试验区")[0]
    assert shanghai_ftz["kind"] == "ftz"
    assert "上海自贸区" in shanghai_ftz["aliases"].split("|")
    reform = find(rows, "山西转型综合改革示范区")[0]
    assert reform["kind"] == "reform_zone"
    assert "山西综改区" in reform["aliases"].split("|")
    assert find(rows, "太原高新技术产业开发区")[0]["kind"] == "hitech"
    assert find(rows, "北京经济技术开发区")[0]["kind"] == "etdz"


def test_counts(rows):
    kinds = Counter(r["kind"] for r in rows)
    assert kinds["country"] == 1
    assert kinds["province"] == 34
    assert 300 <= kinds["city"] <= 350
    # 浦东新区, 滨海新区 and 两江新区 are districts and 国家级新区: listed once, as new_area.
    assert kinds["county"] >= 2800
    assert kinds["etdz"] >= 200
    assert kinds["hitech"] >= 150
    assert kinds["new_area"] == 19
    assert kinds["ftz"] >= 20
    assert kinds["ftz_area"] >= 50
    assert kinds["bonded"] >= 30
    shanxi_dz = [
        r
        for r in rows
        if r["kind"] == "development_zone"
        and r["level"] == "provincial"
        and "山西省" in r["source"]
    ]
    assert len(shanxi_dz) >= 15


def test_national_zone_levels(rows):
    for r in rows:
        if r["kind"] in {"etdz", "hitech", "new_area", "ftz", "ftz_area"}:
            assert r["level"] == "national", r
