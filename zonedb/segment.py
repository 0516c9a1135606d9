"""Chinese word segmentation: the only module that imports jieba.

One tokenizer is built lazily with a user dictionary made from the packaged metric
vocabulary, so indicator names (规上工业增加值, 实际使用外资 …) stay single words.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def tokenizer() -> Any:
    """The shared jieba tokenizer with zonedb's user words."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.initialize()
    from zonedb.gazetteer import load_metrics

    for metric in load_metrics():
        for word in (metric.name, *metric.aliases):
            if len(word) >= 2:
                tok.add_word(word, freq=200000)
    return tok


def cut(text: str) -> list[str]:
    """Precise-mode segmentation (words in order, concatenating back to ``text``)."""
    return tokenizer().lcut(text, HMM=False)


def cut_for_search(text: str) -> list[str]:
    """Search-mode segmentation: long words plus their shorter parts, for full-text indexes."""
    return tokenizer().lcut_for_search(text, HMM=False)
