"""Peak memory of ``zonedb ingest`` on one large generated text file.

Usage: python benchmarks/bench_memory.py [SIZE_MB ...]      (default: 20 200)

For each size a UTF-8 file of that many megabytes is generated in a temporary folder by
repeating sentences written for this benchmark (a zone report with figures, in paragraphs),
ingested by ``python -m zonedb ingest`` in a child process into a fresh SQLite file, and the
child's peak resident set size (``ru_maxrss`` of the finished child) is reported together with
the file size, the ratio peak/file size and the wall time.  As a baseline the same is measured
for a 1 MB file in the same run.  The temporary folder is deleted afterwards.

This is a measurement, not a test: it prints figures and asserts nothing.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PARAGRAPH = (
    "本报讯 2024 年，高平经济技术开发区完成地区生产总值 126.8 亿元，同比增长 6.2%；"
    "规上工业增加值 45.3 亿元，增长 8.1%。全年新签约项目 23 个，总投资 152.6 亿元，"
    "其中亿元以上项目 11 个。园区实现营业收入 413.7 亿元，进出口总额 9.8 亿美元。\n"
    "今年 1—6 月份，临汾经济开发区固定资产投资 32.1 亿元，同比增长 12.7%，"
    "高新技术企业达到 58 家，研发投入占比 3.4%。\n\n"
)


def generate(path: Path, megabytes: float) -> int:
    """Write whole paragraphs until the file reaches ``megabytes``; return its size in bytes."""
    target = int(megabytes * 1024 * 1024)
    paragraph = PARAGRAPH.encode("utf-8")
    chunk = paragraph * 200
    written = 0
    with path.open("wb") as out:
        while written + len(chunk) <= target:
            out.write(chunk)
            written += len(chunk)
        while written < target:
            out.write(paragraph)
            written += len(paragraph)
    return written


def measure(folder: Path, megabytes: float) -> dict[str, float]:
    src = folder / f"report-{megabytes:g}mb-20240910.txt"
    size = generate(src, megabytes)
    db = folder / f"m{megabytes:g}.sqlite"
    code = (
        "import resource, runpy, sys\n"
        "sys.argv = ['zonedb', 'ingest', sys.argv[1], '--db', sys.argv[2], '-q']\n"
        "try:\n"
        "    runpy.run_module('zonedb', run_name='__main__')\n"
        "finally:\n"
        "    print('PEAK_KB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
    )
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code, str(src), str(db)], capture_output=True, text=True,
                          check=False)
    wall = time.perf_counter() - start
    peak_kb = next((int(line.split()[1]) for line in proc.stderr.splitlines() if line.startswith("PEAK_KB")), 0)
    if not peak_kb:  # the child died before reporting: take the children's peak instead
        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    summary = [line for line in proc.stderr.splitlines() if line.startswith("documents")]
    src.unlink()
    for extra in ("", "-wal", "-shm"):
        Path(str(db) + extra).unlink(missing_ok=True)
    return {"size_mb": size / 2**20, "peak_mb": peak_kb / 1024, "ratio": peak_kb * 1024 / size,
            "wall_s": wall, "rc": proc.returncode, "summary": summary[-1] if summary else proc.stderr[-300:]}


def main() -> None:
    sizes = [float(a) for a in sys.argv[1:]] or [20.0, 200.0]
    with tempfile.TemporaryDirectory(prefix="zonedb-mem-") as tmp:
        folder = Path(tmp)
        print(f"{'file MB':>8} {'peak RSS MB':>12} {'peak/file':>10} {'wall s':>8}  result")
        for mb in [1.0, *sizes]:
            r = measure(folder, mb)
            print(f"{r['size_mb']:8.1f} {r['peak_mb']:12.1f} {r['ratio']:10.2f} {r['wall_s']:8.1f}  "
                  f"rc={r['rc']} {r['summary']}", flush=True)
    print(f"(python {sys.version.split()[0]}, pid {os.getpid()})")


if __name__ == "__main__":
    main()
