"""Text → index tokens and query → phrases, for Chinese, Latin and digits alike.

Chinese has no spaces between words and most search words have two characters (社保, 医保,
户口), so a run of Han characters is indexed as its overlapping bigrams followed by its last
character alone: "办社保卡" → 办社 社保 保卡 卡. Every character then starts a token, so that

- a 1-character query is a prefix query ("保" → 保*: 保卡 and the final 保 both start with it);
- a 2-character query is one token (社保);
- a longer one is the phrase of its bigrams in order ("社保卡" → "社保 保卡").

Trigram indexes, the usual alternative, cannot find a 2-character word without scanning.
Runs of other letters and digits are words ("wifi", "2026"), the query's last one queried as
a prefix. Text is NFKC-normalised (full-width Ａ１ → a1) and case-folded on both sides.

The tokens are separated by spaces and contain only letters and digits, so SQLite's
`unicode61` tokenizer and PostgreSQL's default parser with the `simple` configuration both
read back exactly these tokens (checked by the tests on both engines)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Han ideographs (basic, extension A, compatibility, extensions B and beyond) and the
# iteration marks 々 and 〇, which live inside Chinese words.
HAN = "\u3005\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
_RUNS = re.compile(rf"([{HAN}]+)|((?:(?![{HAN}])[^\W_])+)")
# Text beyond this many characters is not indexed: it bounds a row's index size, and
# PostgreSQL keeps token positions only up to 16,383.
MAX_INDEXED_CHARS = 4000
# A query's first phrases only; more words would narrow nothing a person reads.
MAX_QUERY_PHRASES = 12
# A whole-string token (a name) is cut here; PostgreSQL refuses lexemes over 2 KB.
MAX_KEY_CHARS = 100


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _bigrams(run: str) -> list[str]:
    return [run[i : i + 2] for i in range(len(run) - 1)] + [run[-1]]


def index_tokens(*texts: str) -> list[str]:
    """The tokens of texts, in order; each text is cut at MAX_INDEXED_CHARS."""
    tokens: list[str] = []
    for text in texts:
        for han, word in _RUNS.findall(normalise(text[:MAX_INDEXED_CHARS])):
            tokens.extend(_bigrams(han) if han else [word])
    return tokens


def index_text(*texts: str) -> str:
    """What a token column holds: the tokens separated by spaces."""
    return " ".join(index_tokens(*texts))


def key_token(text: str) -> str:
    """The whole string as one token (letters and digits only), for "starts with" searches
    of short values such as names: "上海 某某·科技" → 上海某某科技."""
    return "".join(ch for ch in normalise(text) if ch.isalnum() and ch != "_")[:MAX_KEY_CHARS]


@dataclass(frozen=True)
class Phrase:
    """Tokens that must follow one another; with `prefix` the last may be longer."""

    tokens: tuple[str, ...]
    prefix: bool = False


def query_phrases(query: str) -> list[Phrase]:
    """The phrases a query asks for (all of them must be found): a Han run of one character
    as a prefix, a longer Han run as the phrase of its bigrams, a word as itself, or as a
    prefix when it ends the query (it may still be being typed). A word followed by more was
    typed whole; as a prefix it would cost every row of every token it begins (both indexes
    expand a prefix before they intersect), e.g. all hotline cases for 12345转来."""
    phrases: list[Phrase] = []
    runs = _RUNS.findall(normalise(query))
    for i, (han, word) in enumerate(runs):
        if word:
            phrases.append(Phrase((word,), prefix=i == len(runs) - 1))
        elif len(han) == 1:
            phrases.append(Phrase((han,), prefix=True))
        else:
            phrases.append(Phrase(tuple(han[i : i + 2] for i in range(len(han) - 1))))
    return phrases[:MAX_QUERY_PHRASES]
