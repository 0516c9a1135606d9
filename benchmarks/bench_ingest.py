"""End-to-end ingest throughput, --jobs scaling and peak memory, as ratios measured in one run.

    python benchmarks/bench_ingest.py [--corpus ../shared/corpus] [--chars 20000000]
                                      [--small-chars 2000000] [--jobs 2] [--repeat 3]

The corpus is replicated into a temporary folder until it holds at least ``--chars``
characters; every copy gets a unique last line (``# replica 007``) so the sha256 dedup does not
skip it.  The folder is deleted at the end.  Then, ``--repeat`` rounds of:

1. baseline: ``jieba.lcut`` (default mode) over the text of every replicated file, in this
   process, after ``jieba.initialize()`` (initialisation is not counted: favours jieba);
2. ``zonedb ingest DIR --db fresh.sqlite -q`` as a subprocess (start-up, reading, decoding,
   splitting, extraction, SQLite writes and the facts refresh all counted), ``--jobs 1`` and
   ``--jobs N``;

and once, peak RSS of the ingest process (``ru_maxrss`` from ``wait4``) for a
``--small-chars`` input, against the full input's (both ``--jobs 1``).

Reported: every round's times, and from the fastest round of each (noise on a shared machine
only ever adds time; the rounds interleave, so a slow spell hits every kind alike) characters
per second, the ratios ingest/jieba (wall time and CPU time), jobs N / jobs 1, and the
peak-RSS ratio full/small.  Targets: ingest >= 1.0x jieba, --jobs 2 >= 1.7x --jobs 1, peak RSS
within +-20 %.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
SKIP_SUFFIXES = (".md", ".tsv", ".json", ".jsonl", ".csv")


def corpus_files(corpus: Path) -> list[tuple[str, bytes, int]]:
    """(relative name, bytes, characters) of every UTF-8 text file the ingest would read."""
    out = []
    for path in sorted(corpus.rglob("*")):
        rel = path.relative_to(corpus)
        if not path.is_file() or any(p.startswith(".") for p in rel.parts) or path.suffix.lower() in SKIP_SUFFIXES:
            continue
        data = path.read_bytes()
        try:
            n = len(data.decode("utf-8-sig"))
        except UnicodeDecodeError:
            continue
        out.append((str(rel).replace(os.sep, "__"), data, n))
    return out


def replicate(files: list[tuple[str, bytes, int]], target: Path, chars: int) -> tuple[int, int, list[Path]]:
    """Write copies of ``files`` into ``target/rNNN/`` until ``chars`` characters; return
    (characters, files, paths)."""
    total = copies = 0
    paths: list[Path] = []
    k = 0
    while total < chars:
        folder = target / f"r{k:03d}"
        folder.mkdir(parents=True)
        for name, data, n in files:
            tail = f"\n# replica {k:03d}\n".encode()
            path = folder / f"r{k:03d}_{name}"
            path.write_bytes(data + tail)
            paths.append(path)
            total += n + len(tail)
            copies += 1
        k += 1
    return total, copies, paths


def jieba_baseline(paths: list[Path]) -> tuple[int, float, float]:
    """(characters, wall seconds, CPU seconds) of jieba.lcut over every file's text."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    texts_chars = 0
    wall0, cpu0 = time.perf_counter(), time.process_time()
    for path in paths:
        text = path.read_bytes().decode("utf-8-sig")
        texts_chars += len(text)
        jieba.lcut(text)
    return texts_chars, time.perf_counter() - wall0, time.process_time() - cpu0


def run_ingest(inputs: list[Path], db: Path, jobs: int) -> tuple[float, float, int, str]:
    """Run ``zonedb ingest``; return (wall s, CPU s of the process and its workers, peak RSS KiB of
    the ingest process, its summary line)."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "zonedb", "ingest", *map(str, inputs), "--db", str(db), "-q", "--jobs", str(jobs)]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    before = os.times()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    after = os.times()
    stderr = proc.stderr.read().decode() if proc.stderr else ""
    proc.stderr.close() if proc.stderr else None
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"ingest failed ({proc.returncode}):\n{stderr}")
    # children_user/system include the ingest process and, once reaped, its worker processes
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return wall, cpu, usage.ru_maxrss, stderr.strip().splitlines()[-1]


def count_rows(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM observation").fetchone()[0]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--chars", type=int, default=20_000_000, help="size of the replicated input")
    ap.add_argument("--small-chars", type=int, default=2_000_000, help="small input for the memory comparison")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=3, help="rounds of the three timings (the fastest counts)")
    ap.add_argument("--skip-memory", action="store_true", help="skip the small-input memory run")
    args = ap.parse_args()
    if not args.corpus.is_dir():
        raise SystemExit(f"no corpus folder at {args.corpus}")

    files = corpus_files(args.corpus)
    tmp = Path(tempfile.mkdtemp(prefix="zonedb-bench-"))
    try:
        big_dir, small_dir = tmp / "big", tmp / "small"
        n_chars, n_files, paths = replicate(files, big_dir, args.chars)
        print(f"input: {n_files} files, {n_chars:,} characters (corpus {len(files)} files replicated)")
        db = tmp / "bench.sqlite"

        jb, one, many = [], [], []
        for k in range(1, args.repeat + 1):
            jb_chars, jb_wall, jb_cpu = jieba_baseline(paths)
            jb.append((jb_wall, jb_cpu))
            print(f"round {k}: jieba.lcut    {jb_wall:8.2f} s wall {jb_cpu:8.2f} s CPU  {jb_chars / jb_wall:12,.0f} chars/s")
            w1, c1, rss, line1 = run_ingest([big_dir], db, 1)
            one.append((w1, c1, rss))
            print(f"round {k}: ingest --jobs 1  {w1:8.2f} s wall {c1:8.2f} s CPU  {n_chars / w1:12,.0f} chars/s  "
                  f"peak RSS {rss / 1024:.0f} MiB")
            obs1 = count_rows(db)
            wn, cn, _, _ = run_ingest([big_dir], db, args.jobs)
            many.append((wn, cn))
            print(f"round {k}: ingest --jobs {args.jobs}  {wn:8.2f} s wall {cn:8.2f} s CPU  {n_chars / wn:12,.0f} chars/s")
            if count_rows(db) != obs1:
                raise SystemExit("--jobs runs disagree on the number of observations")
        print(f"                    {line1}")
        jb_wall, jb_cpu = min(w for w, _ in jb), min(c for _, c in jb)
        w1, c1 = min(w for w, _, _ in one), min(c for _, c, _ in one)
        wn = min(w for w, _ in many)
        rss_big = max(r for _, _, r in one)
        rate1, jb_rate = n_chars / w1, jb_chars / jb_wall

        print()
        print(f"fastest of {args.repeat} round(s): jieba.lcut {jb_wall:.2f} s, --jobs 1 {w1:.2f} s, --jobs {args.jobs} {wn:.2f} s")
        print(f"ingest --jobs 1 / jieba.lcut, chars per wall second: {rate1 / jb_rate:5.2f}x  (target >= 1.0, goal 2.0)")
        print(f"ingest --jobs 1 / jieba.lcut, chars per CPU second:  {(n_chars / c1) / (jb_chars / jb_cpu):5.2f}x")
        print(f"ingest --jobs {args.jobs} / --jobs 1, wall time:            {w1 / wn:5.2f}x  (target >= 1.7)")
        print(f"CPUs available: {os.cpu_count()}; load average before the last run: {os.getloadavg()[0]:.2f}")

        if not args.skip_memory:
            small_chars, small_files, _ = replicate(files, small_dir, args.small_chars)
            ws, _, rss_small, _ = run_ingest([small_dir], db, 1)
            print(f"ingest --jobs 1 on {small_files} files, {small_chars:,} chars: {ws:.2f} s, "
                  f"peak RSS {rss_small / 1024:.0f} MiB")
            print(f"peak RSS {n_chars / 1e6:.0f} M chars / {small_chars / 1e6:.0f} M chars:              "
                  f"{rss_big / rss_small:5.2f}x  (target 0.8-1.2)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
