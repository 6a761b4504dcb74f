"""The map from our SMS templates to those registered with the provider (templates.toml, or
the file named by BANCHENGSHI_SMS_TEMPLATES), validated when loaded: every template of ours
present, each with a code and parameters that name values the template has. A system check
(banchengshi.E201) refuses to start with a file that does not validate."""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from banchengshi.notify.messages import VALUES

PACKAGED = Path(__file__).resolve().parent / "templates.toml"
PARAM_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,31}")


class TemplateMapError(ValueError):
    """The file does not validate: every problem found, one per line."""


@dataclass(frozen=True)
class ProviderTemplate:
    code: str
    # (provider parameter, our value), in the file's order.
    params: tuple[tuple[str, str], ...]

    def fill(self, values: dict[str, str]) -> dict[str, str]:
        return {name: values[ours] for name, ours in self.params}


@dataclass(frozen=True)
class TemplateMap:
    sign_name: str
    max_length: int
    templates: dict[str, ProviderTemplate]


def parse_template_map(data: dict[str, Any], source: str) -> TemplateMap:
    problems: list[str] = []
    unknown = set(data) - {"sign_name", "max_length", "templates"}
    if unknown:
        problems.append(f"unknown keys: {', '.join(sorted(unknown))}")
    sign_name = data.get("sign_name")
    if not isinstance(sign_name, str) or not sign_name.strip():
        problems.append("sign_name: the registered signature is required")
    max_length = data.get("max_length", 35)
    if not isinstance(max_length, int) or isinstance(max_length, bool) or max_length < 1:
        problems.append("max_length: a whole number of characters, at least 1")
    raw = data.get("templates")
    templates: dict[str, ProviderTemplate] = {}
    if not isinstance(raw, dict):
        problems.append("[templates]: missing")
        raw = {}
    for name in sorted(set(VALUES) - set(raw)):
        problems.append(f"[templates.{name}]: missing")
    for name, entry in raw.items():
        where = f"[templates.{name}]"
        if name not in VALUES:
            problems.append(f"{where}: not a template of ours ({', '.join(VALUES)})")
            continue
        if not isinstance(entry, dict) or set(entry) - {"code", "params"}:
            problems.append(f"{where}: only code and params are allowed")
            continue
        code = entry.get("code")
        if not isinstance(code, str) or not code.strip():
            problems.append(f"{where} code: the provider's template code is required")
        params = entry.get("params", {})
        if not isinstance(params, dict):
            problems.append(f"{where} params: a table of provider name = our value")
            continue
        for param, ours in params.items():
            if not PARAM_NAME.fullmatch(param):
                problems.append(f"{where} params: {param!r} is not a parameter name")
            if ours not in VALUES[name]:
                problems.append(
                    f"{where} params.{param}: {ours!r} is not a value of this template "
                    f"({', '.join(VALUES[name])})"
                )
        if isinstance(code, str):
            templates[name] = ProviderTemplate(code.strip(), tuple(params.items()))
    if problems:
        raise TemplateMapError(f"{source}:\n" + "\n".join(f"  {p}" for p in problems))
    return TemplateMap(str(sign_name).strip(), int(max_length), templates)


def load_template_map(path: Path) -> TemplateMap:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise TemplateMapError(f"{path}: {exc}") from exc
    return parse_template_map(data, str(path))


@functools.cache
def _cached(path: str) -> TemplateMap:
    return load_template_map(Path(path))


def template_map() -> TemplateMap:
    """The map in force (cached per process and file)."""
    return _cached(str(settings.BANCHENGSHI_SMS_TEMPLATES or PACKAGED))
