"""Every message in the Chinese catalogue is translated, and the compiled catalogue is current."""

import ast
from pathlib import Path

import pytest
from django.utils import translation

LOCALE = Path(__file__).resolve().parents[1] / "src" / "banchengshi" / "locale"


def _entries(po: Path) -> list[tuple[str, str, str, str, bool]]:
    """(context, msgid, msgid_plural, msgstr, fuzzy) of each entry, header excluded; a plural
    entry by its first form (Chinese has one)."""
    found = []
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        lines = block.splitlines()
        ids = [i for i, line in enumerate(lines) if line.startswith("msgid ")]
        strs = [i for i, line in enumerate(lines) if line.startswith(("msgstr ", "msgstr[0] "))]
        if not ids or not strs:
            continue
        plural = [i for i, line in enumerate(lines) if line.startswith("msgid_plural")]
        msgid = "".join(
            ast.literal_eval(part[part.index('"') :])
            for part in lines[ids[0] : (plural or strs)[0]]
        )
        msgid_plural = (
            "".join(
                ast.literal_eval(part[part.index('"') :]) for part in lines[plural[0] : strs[0]]
            )
            if plural
            else ""
        )
        contexts = [line for line in lines if line.startswith("msgctxt ")]
        context = ast.literal_eval(contexts[0][len("msgctxt ") :]) if contexts else ""
        ends = [i for i, line in enumerate(lines) if i > strs[0] and line.startswith("msgstr[")]
        msgstr = "".join(
            ast.literal_eval(part[part.index('"') :])
            for part in lines[strs[0] : (ends or [len(lines)])[0]]
            if part.startswith(("msgstr", '"'))
        )
        if msgid:
            fuzzy = any(line.startswith("#, fuzzy") for line in lines)
            found.append((context, msgid, msgid_plural, msgstr, fuzzy))
    return found


ZH = _entries(LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po")


def test_catalogue_is_not_empty() -> None:
    assert len(ZH) > 100


@pytest.mark.parametrize(
    ("context", "msgid", "msgid_plural", "msgstr", "fuzzy"),
    ZH,
    ids=[f"{e[0]}|{e[1][:40]}" if e[0] else e[1][:40] for e in ZH],
)
def test_every_message_has_a_current_chinese_translation(
    context: str, msgid: str, msgid_plural: str, msgstr: str, fuzzy: bool
) -> None:
    assert msgstr, f"no Chinese translation for {msgid!r}"
    assert not fuzzy, f"fuzzy translation for {msgid!r}"
    with translation.override("zh-hans"):
        if msgid_plural:
            compiled = translation.ngettext(msgid, msgid_plural, 1)
        elif context:
            compiled = translation.pgettext(context, msgid)
        else:
            compiled = translation.gettext(msgid)
        assert compiled == msgstr, "recompile the catalogue (msgfmt)"
