"""bench.search and bench.proposals in their quick mode (SQLite): the databases are filled,
cloned and measured end to end, and the reports have their shape. Timings are not checked."""

from __future__ import annotations

import json

from bench.knowledge_data import QUICK

from bench import search


def test_it_reports_both_searches_and_the_proposals_at_both_sizes() -> None:
    figures = search.run(quick=True, with_proposals=True, engines=("sqlite",))

    small, large = str(QUICK.small), str(QUICK.large)
    sqlite = figures["engines"]["sqlite"]
    assert figures["sizes"] == [200, 600]
    assert figures["entries"] == [20, 60]
    assert set(sqlite) == {small, large, "ratio_p95", "fill"}
    assert [sqlite[small]["case_rows"], sqlite[large]["case_rows"]] == [200, 600]
    assert [sqlite[small]["entry_rows"], sqlite[large]["entry_rows"]] == [20, 60]
    for size in (small, large):
        for name in search.SEARCHES:
            assert set(sqlite[size][name]) == set(search.QUERIES)
            for kind in search.QUERIES:
                assert set(sqlite[size][name][kind]) == {"p50_ms", "p95_ms", "max_ms", "queries"}
    assert set(sqlite["ratio_p95"]) == set(search.SEARCHES)
    assert all(
        isinstance(value, float) and value > 0
        for by_kind in sqlite["ratio_p95"].values()
        for value in by_kind.values()
    )
    # Every case is cloned twice: a word is found three times as often, in the same share.
    matches = sqlite[small]["matches"]["cases"]
    assert matches["材料"] > 0
    assert sqlite[large]["matches"]["cases"] == {word: 3 * n for word, n in matches.items()}

    proposals = json.loads(QUICK.results("proposals").read_text(encoding="utf-8"))
    served = proposals["engines"]["sqlite"]
    assert proposals["name"] == "proposals"
    assert set(served) == {small, large, "ratio_large_to_small", "fill"}
    for size in (small, large):
        for endpoint in ("noop", "me", "proposals"):
            assert served[size][endpoint]["statuses"] == {"200": QUICK.repeat * 2}
        assert served[size]["proposals_to_me_p95"] > 0
    assert set(served["ratio_large_to_small"]) == {"noop", "me", "proposals", "proposals_to_me_p95"}
