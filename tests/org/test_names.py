"""How a person's name is written (org.names): surname first without a space for Chinese
names, given name first for names in Latin script, the user name when none is recorded."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from banchengshi.org.names import full_name, written_name


@pytest.mark.parametrize(
    ("given", "surname", "expected"),
    [
        ("桂英", "邓", "邓桂英"),
        ("娜娜", "欧阳", "欧阳娜娜"),
        (" 桂英 ", " 邓 ", "邓桂英"),
        ("Anna", "Schmidt", "Anna Schmidt"),
        ("Jürgen", "Müller", "Jürgen Müller"),
        ("Mary-Jane", "O'Neil", "Mary-Jane O'Neil"),
        ("Anna", "", "Anna"),
        ("", "邓", "邓"),
        ("Guiying", "邓", "邓Guiying"),  # mixed scripts: Chinese order
        ("", "", ""),
    ],
)
def test_written_name(given: str, surname: str, expected: str) -> None:
    assert written_name(given, surname) == expected


def test_full_name_of_a_user() -> None:
    assert full_name(User(username="dgy", first_name="桂英", last_name="邓")) == "邓桂英"
    assert full_name(User(username="dgy")) == "dgy"
