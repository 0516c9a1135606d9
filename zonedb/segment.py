"""Chinese word segmentation: the only module that imports jieba (and its Rust port rjieba).

Two segmenters, both without HMM new-word guessing so that results are deterministic:

* :func:`cut` splits short indicator phrases with jieba's dictionary plus the packaged metric
  vocabulary as user words, so indicator names (规上工业增加值, 实际使用外资 …) stay single
  words.  Phrases repeat a lot, so results are cached.
* :func:`cut_for_search` segments whole articles for the full-text index with jieba's own
  dictionary.

Both run on rjieba, a Rust port of jieba that gives identical words (``tests/test_segment.py``
checks each against jieba itself on real texts), is many times faster and loads its
dictionary in a tenth of the time; without rjieba installed, jieba itself is used.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import lru_cache
from typing import Any

# A user word's frequency: high enough that an indicator name beats any split of it.
USER_WORD_FREQ = 200_000

Segmenter = Callable[[str], list[str]]


def _jieba_tokenizer() -> Any:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.initialize()
    return tok


@lru_cache(maxsize=1)
def user_words() -> tuple[str, ...]:
    """The indicator names and aliases of the packaged vocabulary (two characters or more)."""
    from zonedb.gazetteer import load_metrics

    return tuple(dict.fromkeys(w for m in load_metrics() for w in (m.name, *m.aliases) if len(w) >= 2))


@lru_cache(maxsize=1)
def tokenizer() -> Any:
    """jieba's tokenizer with the user words: the reference for :func:`cut`."""
    tok = _jieba_tokenizer()
    words = user_words()
    replaced = sum(tok.FREQ.get(w) or 0 for w in words)
    total = tok.total
    for word in words:
        tok.add_word(word, freq=USER_WORD_FREQ)
    # jieba adds a user word's frequency to the total even when the word was already in the
    # dictionary; the total stays the sum of the dictionary's frequencies here (as in jieba-rs).
    tok.total = total + USER_WORD_FREQ * len(words) - replaced
    return tok


def reference_cut(text: str) -> list[str]:
    """:func:`cut` done by jieba itself."""
    return tokenizer().lcut(text, HMM=False)


@lru_cache(maxsize=1)
def phrase_segmenter() -> Segmenter:
    """A callable ``text -> list of words`` on jieba's dictionary plus the user words."""
    try:
        import rjieba
    except ImportError:  # pragma: no cover - rjieba is a declared dependency
        return reference_cut
    jb = rjieba.Jieba()
    for word in user_words():
        jb.add_word(word, USER_WORD_FREQ, None)
    return lambda text: jb.cut(text, False)


@lru_cache(maxsize=1)
def search_segmenter() -> Segmenter:
    """A callable ``text -> list of words`` in jieba's search mode on its own dictionary."""
    try:
        import rjieba
    except ImportError:  # pragma: no cover - rjieba is a declared dependency
        return reference_cut_for_search
    return lambda text: rjieba.cut_for_search(text, False)


@lru_cache(maxsize=65536)
def _cut_cached(text: str) -> tuple[str, ...]:
    return tuple(phrase_segmenter()(text))


def cut(text: str) -> list[str]:
    """Precise-mode segmentation of a short phrase (words in order, concatenating back to ``text``)."""
    return list(_cut_cached(text))


@lru_cache(maxsize=1)
def _vocabulary() -> Any:
    from zonedb.gazetteer import Automaton

    return Automaton.build({w: (w,) for w in user_words()})


def vocabulary_words(text: str) -> list[str]:
    """The user-dictionary words (indicator names) that occur in ``text``, in order of occurrence."""
    return [m.surface for m in _vocabulary().find(text, overlapping=True)]


def cut_for_search(text: str) -> list[str]:
    """Search-mode segmentation: long words plus their shorter parts, for full-text indexes."""
    return search_segmenter()(text)


def reference_cut_for_search(text: str) -> list[str]:
    """The same segmentation done by jieba itself (the reference :func:`cut_for_search` must match)."""
    return _plain_tokenizer().lcut_for_search(text, HMM=False)


@lru_cache(maxsize=1)
def _plain_tokenizer() -> Any:
    return _jieba_tokenizer()


def warm_up() -> None:
    """Load both segmenters' dictionaries now (before worker processes are forked)."""
    phrase_segmenter()
    cut_for_search("")
