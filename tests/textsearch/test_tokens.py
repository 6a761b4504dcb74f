"""Index tokens and query phrases: bigrams of Han runs with the run's last character, words of
letters and digits, NFKC and case folding on both sides."""

from __future__ import annotations

from banchengshi.textsearch.tokens import (
    MAX_INDEXED_CHARS,
    MAX_QUERY_PHRASES,
    Phrase,
    index_text,
    index_tokens,
    key_token,
    query_phrases,
)


def test_a_han_run_is_its_bigrams_and_its_last_character() -> None:
    assert index_tokens("办社保卡") == ["办社", "社保", "保卡", "卡"]
    assert index_tokens("卡") == ["卡"]


def test_punctuation_and_spaces_end_a_run() -> None:
    assert index_text("社保，医保 户口。") == "社保 保 医保 保 户口 口"


def test_letters_and_digits_are_words_apart_from_han() -> None:
    assert index_tokens("3号楼WiFi密码abc_123") == [
        "3",
        "号楼",
        "楼",
        "wifi",
        "密码",
        "码",
        "abc",
        "123",
    ]


def test_full_width_and_case_are_folded() -> None:
    assert index_tokens("ＡＢＣ１２３ Straße") == ["abc123", "strasse"]


def test_text_beyond_the_limit_is_not_indexed() -> None:
    assert index_tokens("社" * MAX_INDEXED_CHARS + "保") == ["社社"] * (MAX_INDEXED_CHARS - 1) + [
        "社"
    ]


def test_a_key_token_is_the_whole_string_in_letters_and_digits() -> None:
    assert key_token("上海 某某·科技（3M）有限公司") == "上海某某科技3m有限公司"
    assert key_token("Zhang San") == "zhangsan"
    assert key_token("，。") == ""


def test_query_phrases_by_length() -> None:
    assert query_phrases("保") == [Phrase(("保",), prefix=True)]
    assert query_phrases("社保") == [Phrase(("社保",))]
    assert query_phrases("社保卡") == [Phrase(("社保", "保卡"))]
    assert query_phrases("户口迁移难") == [Phrase(("户口", "口迁", "迁移", "移难"))]
    assert query_phrases("WiFi密码 6") == [
        Phrase(("wifi",)),
        Phrase(("密码",)),
        Phrase(("6",), prefix=True),
    ]
    assert query_phrases("12345转来") == [Phrase(("12345",)), Phrase(("转来",))]
    assert query_phrases("转来 123") == [Phrase(("转来",)), Phrase(("123",), prefix=True)]
    assert query_phrases("，。！") == []


def test_a_query_keeps_its_first_phrases() -> None:
    assert len(query_phrases(" ".join("abcdefghijklmnopqrstuvwxyz"))) == MAX_QUERY_PHRASES
