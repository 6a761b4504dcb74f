"""Benchmarks (`python -m bench NAME`): see docs/performance.md."""

import os

# What a process started without DEBUG needs (settings.py refuses to start without them): keys
# of the benches only, never of a real site; the caller's own, when set, are used instead.
_BENCH_SECRETS = {
    "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789",
    "BANCHENGSHI_FIELD_KEYS": "Hq7n4Jb7Yd2o2m9w3C1fQm6q0n0Sx8vF6b3yKc5pR0E=",
    "BANCHENGSHI_SEARCH_KEYS": "bench-only-search-key-not-for-production",
}


def production_secrets() -> dict[str, str]:
    return {name: os.environ.get(name, value) for name, value in _BENCH_SECRETS.items()}
