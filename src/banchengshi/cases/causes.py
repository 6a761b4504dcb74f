"""The coded causes (R-DIS-5), read from causes.toml and validated at import."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import get_language

SIDES = ("petitioner", "department", "either")


@dataclass(frozen=True)
class Cause:
    code: str
    side: str
    zh: str
    en: str

    @property
    def label(self) -> str:
        return self.zh if (get_language() or "zh-hans").startswith("zh") else self.en


def _load(path: Path) -> dict[str, Cause]:
    raw = tomllib.loads(path.read_text(encoding="utf-8")).get("causes", {})
    found: dict[str, Cause] = {}
    for code, spec in raw.items():
        if spec.get("side") not in SIDES or not spec.get("zh") or not spec.get("en"):
            raise ValueError(f"{path.name}: cause {code!r} needs side ({'/'.join(SIDES)}), zh, en")
        found[code] = Cause(code, spec["side"], spec["zh"], spec["en"])
    if not found:
        raise ValueError(f"{path.name}: no causes")
    return found


CAUSES = _load(Path(__file__).resolve().parent / "causes.toml")


def get(code: str) -> Cause | None:
    return CAUSES.get(code)
