"""Chinese word segmentation: the only module that imports jieba (and its Rust port rjieba).

Two segmenters, both without HMM new-word guessing so that results are deterministic:

* :func:`cut` splits short indicator phrases with jieba plus a user dictionary made from the
  packaged metric vocabulary, so indicator names (规上工业增加值, 实际使用外资 …) stay single
  words.  Phrases repeat a lot, so results are cached.
* :func:`cut_for_search` segments whole articles for the full-text index with jieba's own
  dictionary.  It runs on rjieba, a Rust port of jieba that gives identical words on this
  dictionary (``tests/test_segment.py`` checks it on real texts) about twenty times faster;
  without rjieba installed, jieba itself is used.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any


def _jieba_tokenizer() -> Any:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.initialize()
    return tok


@lru_cache(maxsize=1)
def tokenizer() -> Any:
    """The jieba tokenizer with zonedb's user words (indicator names)."""
    tok = _jieba_tokenizer()
    from zonedb.gazetteer import load_metrics

    for metric in load_metrics():
        for word in (metric.name, *metric.aliases):
            if len(word) >= 2:
                tok.add_word(word, freq=200000)
    return tok


@lru_cache(maxsize=1)
def search_segmenter() -> Any:
    """A callable ``text -> list of words`` in jieba's search mode on its own dictionary."""
    try:
        import rjieba
    except ImportError:  # pragma: no cover - rjieba is a declared dependency
        return reference_cut_for_search
    return lambda text: rjieba.cut_for_search(text, False)


@lru_cache(maxsize=65536)
def _cut_cached(text: str) -> tuple[str, ...]:
    return tuple(tokenizer().lcut(text, HMM=False))


def cut(text: str) -> list[str]:
    """Precise-mode segmentation of a short phrase (words in order, concatenating back to ``text``)."""
    return list(_cut_cached(text))


@lru_cache(maxsize=1)
def _vocabulary() -> Any:
    from zonedb.gazetteer import Automaton, load_metrics

    words = {w for m in load_metrics() for w in (m.name, *m.aliases) if len(w) >= 2}
    return Automaton.build({w: (w,) for w in words})


def vocabulary_words(text: str) -> list[str]:
    """The user-dictionary words (indicator names) that occur in ``text``, in order of occurrence."""
    return [m.surface for m in _vocabulary().find(text, overlapping=True)]


def cut_for_search(text: str) -> list[str]:
    """Search-mode segmentation: long words plus their shorter parts, for full-text indexes."""
    return list(search_segmenter()(text))


def reference_cut_for_search(text: str) -> list[str]:
    """The same segmentation done by jieba itself (the reference :func:`cut_for_search` must match)."""
    return _plain_tokenizer().lcut_for_search(text, HMM=False)


@lru_cache(maxsize=1)
def _plain_tokenizer() -> Any:
    return _jieba_tokenizer()
