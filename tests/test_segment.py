"""Segmentation: the fast search segmenter gives exactly jieba's words; phrases keep indicator names."""

from __future__ import annotations

import re

import pytest

from tests.conftest import corpus_texts
from zonedb.segment import (
    USER_WORD_FREQ,
    _plain_tokenizer,
    cut,
    cut_for_search,
    phrase_segmenter,
    reference_cut,
    reference_cut_for_search,
    tokenizer,
    user_words,
)

OWN_TEXT = (
    "今年以来，高平经济技术开发区完成规上工业增加值36.68亿元，同比增长63.1%；"
    "实际使用外资1.2亿美元，新签约项目16个，总投资48.4亿元。"
)


def test_indicator_names_stay_whole_words() -> None:
    assert "规上工业增加值" in cut("完成规上工业增加值")
    assert "实际使用外资" in cut("实际使用外资")
    assert "".join(cut("区内企业发放扶持资金")) == "区内企业发放扶持资金"


def test_phrase_segmentation_matches_jieba_with_user_words() -> None:
    # 米直道赛: split differently when the total counts a re-added dictionary word twice
    for phrase in ("米直道赛两项冠军", "完成规上工业增加值36.68亿元", "实际使用外资1.2亿美元", OWN_TEXT):
        assert phrase_segmenter()(phrase) == reference_cut(phrase), phrase
    plain, tok = _plain_tokenizer(), tokenizer()
    replaced = sum(plain.FREQ.get(w) or 0 for w in user_words())
    assert replaced > 0  # some indicator names are jieba words already
    assert tok.total == plain.total + USER_WORD_FREQ * len(user_words()) - replaced


def test_phrase_segmentation_matches_jieba_on_real_texts() -> None:
    """Every clause (and every whole file) of a sample of the corpus: the fast phrase segmenter
    gives jieba's words."""
    n = 0
    for name, text in corpus_texts(10):
        assert phrase_segmenter()(text) == reference_cut(text), name
        for clause in re.split(r"[，。；：、\n]", text):
            if clause:
                n += 1
                assert phrase_segmenter()(clause) == reference_cut(clause), clause
    assert n > 1000


def test_search_segmentation_matches_jieba_on_own_text() -> None:
    words = cut_for_search(OWN_TEXT)
    assert words == reference_cut_for_search(OWN_TEXT)
    assert {"开发区", "增加值", "外资"} <= set(words)


def test_search_segmentation_matches_jieba_on_real_texts() -> None:
    for name, text in corpus_texts(20):
        assert cut_for_search(text) == reference_cut_for_search(text), name


@pytest.mark.parametrize("text", ["", "   ", "GDP增长5%", "①②③", "\x00\x01"])
def test_edge_inputs(text: str) -> None:
    assert cut_for_search(text) == reference_cut_for_search(text)
    assert cut(text) == reference_cut(text)
