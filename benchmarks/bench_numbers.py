"""Throughput of zonedb.numbers and zonedb.quantities, reported as ratios measured in one run.

    python benchmarks/bench_numbers.py [--cases PATH] [--rounds 5] [--repeat 20]

1. parse_number vs cn2an.cn2an(t, "smart") on the peer case texts (expressions per second;
   exceptions are caught for both); the ratio zonedb/cn2an is the median over the rounds.
2. find_quantities on a long generated text vs a trivial baseline (``re.findall(r"\\d+")``
   over the same text), in characters per second; again the median ratio.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from zonedb.numbers import parse_number
from zonedb.quantities import find_quantities

DEFAULT_CASES = ROOT.parent / "shared" / "eval" / "peer_cases.json"

SENTENCES = (
    "2023年，开发区完成规上工业总产值909.4亿元，同比增长12.5%，占全市工业产值的48.3%。",
    "全年新签约项目29个、总投资51.73亿元，其中亿元以上项目十三个，开工率达95.75%。",
    "1—7月份，园区实现营业收入921.36亿元，高于全省平均水平2.1个百分点。",
    "新增规上企业8家、高新技术企业二十多家，引进外资1.2亿美元，约占三成。",
    "项目占地1200亩，规划面积5平方公里，年产能3.6万吨，预计带动就业近万人。",
    "一季度，园区用电量3.2亿千瓦时，集装箱吞吐量80万标箱左右，同比增长2.1倍。",
    "第三次集中开工活动中，一批重点项目落地，总投资3—5亿元，五大产业集群加速成长。",
    "园区坚持创新驱动，持续优化营商环境，推动产业链上下游协同发展，服务企业的能力不断提升。",
    "下一步，开发区将围绕主导产业精准招商，加快项目建设进度，确保各项目标任务圆满完成。",
)


def make_text(target_chars: int) -> str:
    """Repeat the sentences above until the text has at least ``target_chars`` characters."""
    parts: list[str] = []
    size = 0
    i = 0
    while size < target_chars:
        s = SENTENCES[i % len(SENTENCES)]
        parts.append(s)
        size += len(s)
        i += 1
    return "".join(parts)


def _safe(fn: Callable[[str], object]) -> Callable[[str], object]:
    def call(text: str) -> object:
        try:
            return fn(text)
        except Exception:  # noqa: BLE001 - peers raise all sorts of errors; count them as rejections
            return None
    return call


# CPU time of this process: time spent descheduled on a busy machine is not counted.
_clock = time.process_time


def _pass(fn: Callable[[str], object], texts: list[str]) -> float:
    start = _clock()
    for t in texts:
        fn(t)
    return _clock() - start


def _rates(a: Callable[[str], object], b: Callable[[str], object], texts: list[str],
           repeat: int) -> tuple[float, float]:
    """Calls per second of ``a`` and ``b``, passes interleaved (ABBA) so load drift cancels."""
    ta = tb = 0.0
    for k in range(repeat):
        if k % 2:
            tb += _pass(b, texts)
            ta += _pass(a, texts)
        else:
            ta += _pass(a, texts)
            tb += _pass(b, texts)
    calls = repeat * len(texts)
    return calls / ta, calls / tb


def bench_expressions(texts: list[str], rounds: int, repeat: int) -> None:
    import cn2an

    warnings.simplefilter("ignore")
    ours = _safe(parse_number)
    peer = _safe(lambda t: cn2an.cn2an(t, "smart"))
    for t in texts:  # warm up both (lazy init, caches)
        ours(t)
        peer(t)
    ratios: list[float] = []
    print(f"expressions: {len(texts)} case texts x {repeat} interleaved passes per round, {rounds} rounds")
    for r in range(rounds):
        a, b = _rates(ours, peer, texts, repeat)
        ratios.append(a / b)
        print(f"  round {r + 1}: zonedb {a:,.0f} expr/s   cn2an {b:,.0f} expr/s   ratio {a / b:.2f}")
    print(f"  median ratio zonedb/cn2an: {statistics.median(ratios):.2f}x")


def bench_text(rounds: int, chars: int) -> None:
    text = make_text(chars)
    digits = re.compile(r"\d+")
    find_quantities(text)
    ratios: list[float] = []
    print(f"find_quantities on {len(text):,} generated characters "
          f"({len(find_quantities(text)):,} quantities), {rounds} rounds")
    for r in range(rounds):
        t0 = _clock()
        found = find_quantities(text)
        a = len(text) / (_clock() - t0)
        t0 = _clock()
        for _ in range(10):
            digits.findall(text)
        b = 10 * len(text) / (_clock() - t0)
        ratios.append(a / b)
        print(f"  round {r + 1}: find_quantities {a:,.0f} chars/s ({len(found):,} found)"
              f"   re.findall(\\d+) {b:,.0f} chars/s   ratio {a / b:.3f}")
    print(f"  median ratio find_quantities/re.findall: {statistics.median(ratios):.3f}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", type=Path, default=DEFAULT_CASES)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--chars", type=int, default=1_000_000)
    a = ap.parse_args(argv)
    if a.cases.exists():
        with a.cases.open(encoding="utf-8") as f:
            texts = [str(c["text"]) for c in json.load(f)]
        bench_expressions(texts, a.rounds, a.repeat)
    else:
        print(f"cases file {a.cases} not found: expression benchmark skipped")
    bench_text(a.rounds, a.chars)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
