"""Every message the code can show is in both catalogues, translated into Chinese as a Chinese
sentence that names no command, and the compiled catalogue is current."""

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import translation

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "banchengshi"
LOCALE = PACKAGE / "locale"


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
EN = _entries(LOCALE / "en" / "LC_MESSAGES" / "django.po")


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


def _ids(entries: list[tuple[str, str, str, str, bool]]) -> set[tuple[str, str, str]]:
    return {(context, msgid, plural) for context, msgid, plural, _msgstr, _fuzzy in entries}


@pytest.fixture(scope="module")
def messages_in_the_code(tmp_path_factory: pytest.TempPathFactory) -> set[tuple[str, str, str]]:
    """Every message of the Python code and the templates, extracted by `makemessages` from a
    copy of the package (so that the catalogues in the tree are not touched)."""
    if shutil.which("xgettext") is None:
        pytest.skip("xgettext is not installed (Debian package gettext)")
    copy = tmp_path_factory.mktemp("messages") / "banchengshi"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("locale", "static", "__pycache__"))
    (copy / "locale").mkdir()
    # Without settings, makemessages writes to the `locale` folder where it runs.
    env = {name: value for name, value in os.environ.items() if name != "DJANGO_SETTINGS_MODULE"}
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "zh_Hans", "--no-location"],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    return _ids(_entries(copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize(("language", "catalogue"), [("zh_Hans", ZH), ("en", EN)])
def test_every_message_of_the_code_is_in_the_catalogue(
    messages_in_the_code: set[tuple[str, str, str]],
    language: str,
    catalogue: list[tuple[str, str, str, str, bool]],
) -> None:
    """A message missing from a catalogue would be shown in English to a Chinese reader; run
    `django-admin makemessages -l zh_Hans -l en` in src/banchengshi and translate."""
    assert messages_in_the_code - _ids(catalogue) == set(), f"missing from the {language} catalogue"
    assert _ids(catalogue) - messages_in_the_code == set(), f"{language}: no longer in the code"


COMMAND = re.compile(r"banchengshi |`")
PLACEHOLDER_OR_TAG = re.compile(r"%\(\w+\)[sd]|%[sd]|<[^>]*>")
# Three English words in a row: an untranslated sentence, or one left inside the translation.
ENGLISH_WORDS = re.compile(r"[A-Za-z]+(?:[ ,'-]+[A-Za-z]+){2,}")


@pytest.mark.parametrize(
    ("context", "msgid", "msgstr"),
    [(e[0], e[1], e[3]) for e in ZH],
    ids=[f"{e[0]}|{e[1][:40]}" if e[0] else e[1][:40] for e in ZH],
)
def test_every_chinese_message_is_chinese_and_names_no_command(
    context: str, msgid: str, msgstr: str
) -> None:
    for text in (msgid, msgstr):
        assert COMMAND.search(text) is None, f"a command in {text!r}"
    words = PLACEHOLDER_OR_TAG.sub(" ", msgstr)
    assert not words.isascii(), f"{msgstr!r} is not Chinese"
    assert ENGLISH_WORDS.search(words) is None, f"English left in {msgstr!r}"
