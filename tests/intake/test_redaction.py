"""Redaction (R-Q-3) over generated forms: however a person writes a mobile number, an ID
number or a credit code, with whatever text around it, none of its digits stays readable."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from banchengshi.intake.redaction import MASK, redact
from banchengshi.knowledge.anonymise import anonymise

FULL_WIDTH = str.maketrans("0123456789xX", "０１２３４５６７８９ｘＸ")
SEPARATORS = ("", " ", "-", ".", "/", "－", "．", "　")


def _written(digits: str, groups: tuple[int, ...], separator: str, full_width: bool) -> str:
    parts, start = [], 0
    for size in groups:
        parts.append(digits[start : start + size])
        start += size
    text = separator.join(parts)
    return text.translate(FULL_WIDTH) if full_width else text


mobiles = st.builds(
    lambda second, rest: f"1{second}{rest}",
    st.sampled_from("3456789"),
    st.text("0123456789", min_size=9, max_size=9),
)
id_numbers = st.builds(
    lambda body, last: body + last,
    st.text("0123456789", min_size=17, max_size=17),
    st.sampled_from("0123456789xX"),
)
# Text around the number, ending and starting with something that is not a digit or letter.
around = st.text(st.sampled_from("电话联系手机号码身份证是，。：( )我的"), max_size=8)


@settings(max_examples=300, deadline=None)
@given(
    mobile=mobiles,
    groups=st.sampled_from([(11,), (3, 4, 4), (3, 8), (1, 2, 4, 4)]),
    separator=st.sampled_from(SEPARATORS),
    full_width=st.booleans(),
    before=around,
    after=around,
)
def test_a_mobile_number_however_written_is_blanked(
    mobile: str, groups: tuple[int, ...], separator: str, full_width: bool, before: str, after: str
) -> None:
    written = _written(mobile, groups, separator, full_width)
    text = f"{before}{written}{after}"
    out = redact(text)
    assert out == f"{before}{MASK}{after}"
    assert written not in anonymise(text)


@settings(max_examples=300, deadline=None)
@given(
    number=id_numbers,
    groups=st.sampled_from([(18,), (6, 8, 4), (6, 12)]),
    separator=st.sampled_from(SEPARATORS),
    full_width=st.booleans(),
    before=around,
    after=around,
)
def test_an_id_number_however_written_is_blanked(
    number: str, groups: tuple[int, ...], separator: str, full_width: bool, before: str, after: str
) -> None:
    text = f"{before}{_written(number, groups, separator, full_width)}{after}"
    assert redact(text) == f"{before}{MASK}{after}"
    assert redact(text, landlines=False) == f"{before}{MASK}{after}"


@pytest.mark.parametrize(
    ("text", "redacted"),
    [
        ("…联系人张伟 13912345678", "…联系人*** ***"),
        ("联系人：王小明，电话138.1234.5678", "联系人：***，电话***"),
        ("统一社会信用代码91310000MA1K35XX4B", "统一社会信用代码***"),
        ("2026-12-03下午三点，大渡河路1668号", "2026-12-03下午三点，大渡河路1668号"),
        ("办公室021-6123 4567", "办公室***"),
    ],
)
def test_the_issues_examples(text: str, redacted: str) -> None:
    assert redact(text) == redacted
