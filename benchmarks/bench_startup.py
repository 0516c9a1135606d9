"""Start-up time of the CLI against bare Python and against importing SQLAlchemy, in one run.

    python benchmarks/bench_startup.py [--runs 15]

Commands (median wall time over ``--runs`` runs each, interleaved so machine load hits all
of them alike):

* ``python -c pass`` and ``python -c "import sqlalchemy"`` (baselines);
* ``zonedb --help``;
* ``zonedb query --zone … --metric …`` on a small database made from ``examples/``;
* ``zonedb sql "SELECT count(*) FROM observation"`` on the same database.

Targets: ``zonedb --help`` < 2 × ``python -c pass`` + 0.15 s; ``zonedb query`` < 3 × ``import
sqlalchemy``.  The script also checks, with ``python -X importtime``, that none of jieba,
pdfminer, docx, lxml, readability, ahocorasick_rs, rjieba, alembic or rich is imported by ``--help``,
``query`` or ``sql``, and prints the largest imports of ``zonedb query``.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("jieba", "pdfminer", "docx", "lxml", "readability", "ahocorasick_rs", "rjieba", "alembic", "rich")


def zonedb_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "zonedb", *args]


def wall(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def imports(cmd: list[str]) -> list[tuple[int, str]]:
    """(cumulative µs, module) of every module ``cmd`` imports (``python -X importtime``)."""
    proc = subprocess.run([cmd[0], "-X", "importtime", *cmd[1:]], capture_output=True, text=True, check=True)
    out = []
    for line in proc.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)", line)
        if m:
            out.append((int(m.group(2)), m.group(4)))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="zonedb-startup-") as tmp:
        db = str(Path(tmp) / "s.sqlite")
        subprocess.run(zonedb_cmd("ingest", str(ROOT / "examples"), "--db", db, "-q"), check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        cases = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "python -c 'import sqlalchemy'": [sys.executable, "-c", "import sqlalchemy"],
            "zonedb --help": zonedb_cmd("--help"),
            "zonedb query": zonedb_cmd("query", "--zone", "高平经开区", "--metric", "总投资", "--db", db),
            "zonedb sql": zonedb_cmd("sql", "SELECT count(*) FROM observation", "--db", db),
        }
        for cmd in cases.values():  # warm the OS file cache and bytecode
            wall(cmd)
        times: dict[str, list[float]] = {k: [] for k in cases}
        for _ in range(args.runs):
            for name, cmd in cases.items():
                times[name].append(wall(cmd))
        med = {k: statistics.median(v) for k, v in times.items()}
        for name, t in med.items():
            print(f"{name:32s} median {t * 1e3:7.1f} ms  (min {min(times[name]) * 1e3:6.1f})")
        p, sa = med["python -c pass"], med["python -c 'import sqlalchemy'"]
        print()
        print(f"zonedb --help: {med['zonedb --help'] * 1e3:.0f} ms vs limit 2 × pass + 150 ms = "
              f"{(2 * p + 0.15) * 1e3:.0f} ms → {med['zonedb --help'] / (2 * p + 0.15):.2f} of the limit; "
              f"{med['zonedb --help'] / p:.2f}x python -c pass")
        print(f"zonedb query: {med['zonedb query'] / sa:.2f}x import sqlalchemy (target < 3)")
        print(f"zonedb sql:   {med['zonedb sql'] / sa:.2f}x import sqlalchemy")
        print()
        bad = False
        for name in ("zonedb --help", "zonedb query", "zonedb sql"):
            mods = imports(cases[name])
            heavy = sorted({m.split(".")[0] for _, m in mods if m.split(".")[0] in HEAVY})
            print(f"{name}: {len(mods)} modules imported; heavy: {', '.join(heavy) or 'none'}")
            bad |= bool(heavy)
        top = sorted((t, m) for t, m in imports(cases["zonedb query"]) if "." not in m)[-8:]
        print("largest top-level imports of zonedb query: "
              + ", ".join(f"{m} {t / 1000:.0f} ms" for t, m in reversed(top)))
        print(f"CPUs: {os.cpu_count()}, load average: {os.getloadavg()[0]:.2f}")
        if bad:
            print("FAIL: heavy modules on a light path")


if __name__ == "__main__":
    main()
