"""Identifier validation and masking: the reference's examples, every error code, properties.

Rules and examples: /work/shared/reference/identifiers.md. The check characters the tests
expect are computed by a small implementation written here from the reference's weights,
independently of the module under test.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from functools import partial

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from banchengshi.identifiers import (
    MESSAGES,
    mask_id_number,
    mask_phone,
    validate_contact_phone,
    validate_credit_code,
    validate_id_number,
    validate_mobile,
)

TODAY = dt.date(2024, 1, 1)  # a fixed "today" for the birth-date bounds

# --- an independent implementation of the check characters, from the reference -------------

REF_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
REF_ID_TABLE = ["1", "0", "X", "9", "8", "7", "6", "5", "4", "3", "2"]
REF_CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
REF_CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def id_check(body: str) -> str:
    assert len(body) == 17
    total = 0
    for digit, weight in zip(body, REF_ID_WEIGHTS, strict=True):
        total += int(digit) * weight
    return REF_ID_TABLE[total % 11]


def credit_check(body: str) -> str:
    assert len(body) == 17
    total = 0
    for character, weight in zip(body, REF_CREDIT_WEIGHTS, strict=True):
        total += REF_CREDIT_ALPHABET.index(character) * weight
    return REF_CREDIT_ALPHABET[(31 - total % 31) % 31]


def test_reference_table_is_iso_7064_mod_11_2() -> None:
    """Cross-check: the table makes the full weighted sum (check weight 1, X = 10) ≡ 1 mod 11."""
    for residue, check in enumerate(REF_ID_TABLE):
        assert (residue + (10 if check == "X" else int(check))) % 11 == 1


def test_single_substitutions_are_always_detected_by_the_weights() -> None:
    """Premise of the substitution properties below, checked rather than assumed.

    Changing one body character by a nonzero difference d changes the weighted sum by w·d;
    that is never 0 modulo the (prime) modulus when no weight is 0 modulo it and |d| < modulus.
    The check character is a one-to-one function of the residue, so changing it alone fails too.
    """
    assert all(weight * d % 11 != 0 for weight in REF_ID_WEIGHTS for d in range(-9, 10) if d)
    assert len(set(REF_ID_TABLE)) == 11
    assert all(weight * d % 31 != 0 for weight in REF_CREDIT_WEIGHTS for d in range(-30, 31) if d)
    assert len(set(REF_CREDIT_ALPHABET)) == 31


# --- resident ID number ---------------------------------------------------------------------

VALID_IDS = ["11010519491231002X", "440524188001010014", "310107199003072012"]
ID_BORN_1799 = "110105179912310024"


@pytest.mark.parametrize("number", VALID_IDS)
def test_reference_ids_are_valid(number: str) -> None:
    assert id_check(number[:17]) == number[17]
    assert validate_id_number(number) == number
    assert validate_id_number(number, today=TODAY) == number


def test_id_born_before_1800_is_refused() -> None:
    assert id_check(ID_BORN_1799[:17]) == ID_BORN_1799[17]  # the check character is right
    error = raises(validate_id_number, ID_BORN_1799)
    assert error.code == "id_birth_date"
    assert error.params == {"date": "1799-12-31"}


def test_lower_case_x_is_accepted_and_upper_cased() -> None:
    assert validate_id_number("11010519491231002x") == "11010519491231002X"


def test_surrounding_whitespace_is_ignored() -> None:
    assert validate_id_number("  310107199003072012 ") == "310107199003072012"


def test_birth_date_today_is_accepted() -> None:
    number = "44052420240101001" + id_check("44052420240101001")
    assert validate_id_number(number, today=TODAY) == number


def test_earliest_birth_date_is_accepted() -> None:
    number = "44052418000101001" + id_check("44052418000101001")
    assert validate_id_number(number, today=TODAY) == number


def test_default_today_is_shanghai_date() -> None:
    # Born tomorrow (Shanghai time) is rejected without passing `today`; born today is not.
    from zoneinfo import ZoneInfo

    today = dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()
    tomorrow = today + dt.timedelta(days=1)
    born_today = f"310107{today:%Y%m%d}201"
    born_tomorrow = f"310107{tomorrow:%Y%m%d}201"
    assert validate_id_number(born_today + id_check(born_today))
    with pytest.raises(ValidationError) as info:
        validate_id_number(born_tomorrow + id_check(born_tomorrow))
    assert info.value.code == "id_birth_future"


def raises(func: Callable[[str], str], value: str) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        func(value)
    return info.value


id_number = partial(validate_id_number, today=TODAY)

# (validator, bad input, expected code, expected params or None)
ERROR_CASES: list[tuple[Callable[[str], str], str, str, dict[str, object] | None]] = [
    # ID: length
    (id_number, "11010519491231002", "id_length", {"length": 17}),
    (id_number, "11010519491231002X0", "id_length", {"length": 19}),
    (id_number, "", "id_length", {"length": 0}),
    # ID: characters
    (id_number, "1101051949A231002X", "id_characters", {"position": 11, "character": "A"}),
    (id_number, "1101051949123100XX", "id_characters", {"position": 17, "character": "X"}),
    (id_number, "11010519491231002Y", "id_characters", {"position": 18, "character": "Y"}),
    (id_number, "11010519491231 02X", "id_characters", {"position": 15, "character": " "}),
    # ID: one digit of each example altered (sequence code), then each check character altered
    (id_number, "11010519491231003X", "id_checksum", None),
    (id_number, "440524188001010024", "id_checksum", None),
    (id_number, "310107199003072022", "id_checksum", None),
    (id_number, "110105194912310020", "id_checksum", None),
    (id_number, "440524188001010015", "id_checksum", None),
    (id_number, "310107199003072013", "id_checksum", None),
    # ID: birth dates (check characters recomputed so that only the date is wrong)
    (id_number, "310107199002302015", "id_birth_date", {"digits": "19900230"}),
    (id_number, "310107199013012013", "id_birth_date", {"digits": "19901301"}),
    (id_number, ID_BORN_1799, "id_birth_date", {"date": "1799-12-31"}),
    (id_number, "440524202401020017", "id_birth_future", {"date": "2024-01-02"}),
    # credit code
    (validate_credit_code, "91310000MA1FL0000", "credit_length", {"length": 17}),
    (validate_credit_code, "91310000MA1FL0000N0", "credit_length", {"length": 19}),
    (validate_credit_code, "", "credit_length", {"length": 0}),
    (
        validate_credit_code,
        "91310000MAIFL0000N",
        "credit_character",
        {"position": 11, "character": "I"},
    ),
    (
        validate_credit_code,
        "91310000MA1FLO000N",
        "credit_character",
        {"position": 14, "character": "O"},
    ),
    (
        validate_credit_code,
        "91310000ma1fl000on",
        "credit_character",
        {"position": 17, "character": "O"},
    ),
    (
        validate_credit_code,
        "91310107MA1G0000-Q",
        "credit_character",
        {"position": 17, "character": "-"},
    ),
    (validate_credit_code, "91310000MA1FL0000M", "credit_checksum", None),
    (validate_credit_code, "91310000MA1FL0001N", "credit_checksum", None),
    (validate_credit_code, "91310107MA1G00000R", "credit_checksum", None),
    (validate_credit_code, "12310000425012346C", "credit_checksum", None),
    # phones
    (validate_mobile, "12812345678", "mobile_format", None),
    (validate_mobile, "1381234567", "mobile_format", None),
    (validate_mobile, "021-12345678", "mobile_format", None),
    (validate_contact_phone, "12812345678", "phone_format", None),
    (validate_contact_phone, "021-123456", "phone_format", None),
]


def _case_id(case: tuple[Callable[[str], str], str, str, dict[str, object] | None]) -> str:
    return f"{case[2]}:{case[1]!r}"


@pytest.mark.parametrize(
    ("func", "value", "code", "params"), ERROR_CASES, ids=[_case_id(case) for case in ERROR_CASES]
)
def test_error_codes_and_params(
    func: Callable[[str], str], value: str, code: str, params: dict[str, object] | None
) -> None:
    error = raises(func, value)
    assert error.code == code
    if params is None:
        assert not error.params
    else:
        assert error.params is not None
        assert {key: error.params[key] for key in params} == params
    [message] = error.messages
    assert message
    assert "%(" not in message


def test_every_error_code_is_triggered() -> None:
    codes = {code for _, _, code, _ in ERROR_CASES}
    assert codes == {
        "id_length",
        "id_characters",
        "id_checksum",
        "id_birth_date",
        "id_birth_future",
        "credit_length",
        "credit_character",
        "credit_checksum",
        "mobile_format",
        "phone_format",
    }


def _rendered(func: Callable[[str], str], value: str) -> str:
    [message] = raises(func, value).messages
    return message


def test_every_message_is_triggered() -> None:
    with translation.override("en"):
        rendered = {_rendered(func, value) for func, value, _, _ in ERROR_CASES}
        templates = [str(message) for message in MESSAGES.values()]
    for template in templates:
        pattern = re.sub(r"%\\\(\w+\\\)s", ".*", re.escape(template))
        assert any(re.fullmatch(pattern, text) for text in rendered), template


def test_messages_name_the_wrong_character_and_its_position() -> None:
    with translation.override("en"):
        message = _rendered(validate_credit_code, "91310000MAIFL0000N")
    assert "11" in message
    assert "letter I" in message


def test_checksum_messages_do_not_reveal_the_check_character() -> None:
    with translation.override("en"):
        id_message = _rendered(id_number, "310107199003072013")
        credit_message = _rendered(validate_credit_code, "91310000MA1FL0000M")
    assert id_message == "The ID number's check digit is wrong: please check the number."
    assert credit_message == "The credit code's check character is wrong: please check the code."
    for message in (id_message, credit_message):
        assert not re.search(r"\b[0-9A-Z]\b", message)  # no lone digit or letter in them


@pytest.mark.parametrize(
    ("func", "value", "code", "params"), ERROR_CASES, ids=[_case_id(case) for case in ERROR_CASES]
)
def test_messages_render_in_chinese(
    func: Callable[[str], str], value: str, code: str, params: dict[str, object] | None
) -> None:
    with translation.override("en"):
        english = _rendered(func, value)
    with translation.override("zh-hans"):
        chinese = _rendered(func, value)
    assert chinese != english
    assert re.search(r"[\u4e00-\u9fff]", chinese), chinese
    assert "%(" not in chinese
    for key, param in (params or {}).items():
        assert str(param) in chinese, key


# --- unified social credit code -------------------------------------------------------------

VALID_CREDIT_CODES = ["91310000MA1FL0000N", "91310107MA1G00000Q", "12310000425012345C"]


@pytest.mark.parametrize("code", VALID_CREDIT_CODES)
def test_reference_credit_codes_are_valid(code: str) -> None:
    assert credit_check(code[:17]) == code[17]
    assert validate_credit_code(code) == code
    assert validate_credit_code(code.lower()) == code
    assert validate_credit_code(f" {code} ") == code


@pytest.mark.parametrize("letter", ["I", "O", "S", "V", "Z", "i", "o", "s", "v", "z"])
def test_excluded_letters_are_rejected_with_their_position(letter: str) -> None:
    error = raises(validate_credit_code, "913100" + letter + "0MA1FL0000N")
    assert error.code == "credit_character"
    assert error.params == {"position": 7, "character": letter.upper()}
    with translation.override("en"):
        [message] = error.messages
    assert f"letter {letter.upper()}" in message
    assert "Character 7 " in message


# --- phones ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("13812345678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("+8613812345678", "13812345678"),
        ("8613812345678", "13812345678"),
        ("86 138-1234-5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        (" 19912345678 ", "19912345678"),
    ],
)
def test_valid_mobiles(value: str, expected: str) -> None:
    assert validate_mobile(value) == expected
    assert validate_contact_phone(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "12812345678",  # second digit 2
        "1381234567",  # 10 digits
        "138123456789",  # 12 digits
        "",
        "021-12345678",  # a landline
        "0771-1234567",
        "+1 138 1234 5678",
        "+86 12812345678",
        "1381234567a",
    ],
)
def test_invalid_mobiles(value: str) -> None:
    assert raises(validate_mobile, value).code == "mobile_format"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("021-12345678", "021-12345678"),
        ("02112345678", "021-12345678"),
        ("021 1234 5678", "021-12345678"),
        ("0771-1234567", "0771-1234567"),
        ("07711234567", "0771-1234567"),
        ("0771-12345678", "0771-12345678"),
        ("010-12345678-123", "010-12345678-123"),
        ("01012345678-123456", "010-12345678-123456"),
    ],
)
def test_valid_landlines(value: str, expected: str) -> None:
    assert validate_contact_phone(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "12812345678",
        "1381234567",
        "",
        "021-123456",  # 6-digit number
        "021-123456789",  # 9-digit number
        "21-12345678",  # no leading 0
        "0211-2345678",  # 02x area codes have three digits
        "077-11234567",  # 03xx..09xx area codes have four
        "010-12345678-1234567",  # 7-digit extension
        "021--12345678",
        "021-12345678-",
        "(021)12345678",
        "phone",
    ],
)
def test_invalid_contact_phones(value: str) -> None:
    assert raises(validate_contact_phone, value).code == "phone_format"


# --- full-width input (what a Chinese input method types) -----------------------------------


@pytest.mark.parametrize(
    ("validator", "value", "expected"),
    [
        (validate_mobile, "１３８１２３４５６７８", "13812345678"),
        (validate_mobile, "＋８６　１３８－１２３４－５６７８", "13812345678"),
        (validate_contact_phone, "１３８１２３４５６７８", "13812345678"),
        (validate_contact_phone, "０２１－１２３４５６７８", "021-12345678"),
        (validate_contact_phone, "０２１１２３４５６７８－１２３", "021-12345678-123"),
        (
            partial(validate_id_number, today=TODAY),
            "３１０１０７１９９００３０７２０１２",
            "310107199003072012",
        ),
        (id_number, "11010519491231002ｘ", "11010519491231002X"),
        (
            partial(validate_id_number, today=TODAY),
            "１１０１０５１９４９１２３１００２Ｘ",
            "11010519491231002X",
        ),
        (validate_credit_code, "９１３１０１０７ＭＡ１Ｇ０００００Ｑ", "91310107MA1G00000Q"),
        (validate_credit_code, "９１３１０１０７ｍａ１ｇ０００００ｑ", "91310107MA1G00000Q"),
        (validate_credit_code, "　91310107MA1G00000Q　", "91310107MA1G00000Q"),
    ],
)
def test_full_width_characters_are_the_ascii_ones(
    validator: Callable[[str], str], value: str, expected: str
) -> None:
    assert validator(value) == expected


def test_full_width_mistakes_are_named_as_ascii() -> None:
    error = raises(validate_credit_code, "９１３１００Ｉ０ＭＡ１ＦＬ００００Ｎ")
    assert (error.code, error.params) == ("credit_character", {"position": 7, "character": "I"})
    error = raises(id_number, "３１０１０７１９９００３０７２０１Ａ")
    assert (error.code, error.params) == ("id_characters", {"position": 18, "character": "A"})
    with translation.override("zh-hans"):
        [message] = error.messages
    assert message == (
        "身份证号码第 18 位（“A”）不符合要求：身份证号码由 17 位数字加 1 位数字或 X 组成。"
    )


# --- masks ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("13812345678", "138****5678"),
        ("+86 138-1234-5678", "138****5678"),
        ("１３８１２３４５６７８", "138****5678"),
        ("021-12345678", "021-******78"),
        ("02112345678", "021-******78"),
        ("0771-1234567", "0771-*****67"),
        ("010-12345678-123", "010-******78-***"),
        ("", ""),
        ("12345", "***45"),  # not a phone: at most the last two characters show
        ("123", "***"),
    ],
)
def test_mask_phone(value: str, expected: str) -> None:
    assert mask_phone(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("310107199003072012", "310107********2012"),
        ("11010519491231002X", "110105********002X"),
        ("", ""),
        ("1234567890", "**********"),
    ],
)
def test_mask_id_number(value: str, expected: str) -> None:
    assert mask_id_number(value) == expected


# --- properties -----------------------------------------------------------------------------

address_codes = st.from_regex(r"[1-9][0-9]{5}", fullmatch=True)
birth_dates = st.dates(min_value=dt.date(1800, 1, 1), max_value=TODAY)
sequence_codes = st.from_regex(r"[0-9]{3}", fullmatch=True)


@st.composite
def valid_id_numbers(draw: st.DrawFn) -> str:
    born = draw(birth_dates)
    body = draw(address_codes) + f"{born.year:04d}{born.month:02d}{born.day:02d}"
    body += draw(sequence_codes)
    return body + id_check(body)


@settings(max_examples=300, deadline=None)
@given(number=valid_id_numbers())
def test_generated_ids_are_accepted(number: str) -> None:
    assert validate_id_number(number, today=TODAY) == number
    assert validate_id_number(number.lower(), today=TODAY) == number
    masked = mask_id_number(number)
    assert masked == number[:6] + "*" * 8 + number[-4:]


@settings(max_examples=500, deadline=None)
@given(number=valid_id_numbers(), position=st.integers(0, 17), data=st.data())
def test_any_single_substitution_in_an_id_is_rejected(
    number: str, position: int, data: st.DataObject
) -> None:
    allowed = "0123456789X" if position == 17 else "0123456789"
    replacement = data.draw(st.sampled_from([c for c in allowed if c != number[position]]))
    changed = number[:position] + replacement + number[position + 1 :]
    # The check character is verified before the birth date, so even a change that makes the
    # date impossible or future is reported as a checksum error.
    assert raises(id_number, changed).code == "id_checksum"


credit_bodies = st.text(alphabet=REF_CREDIT_ALPHABET, min_size=17, max_size=17)


@settings(max_examples=300, deadline=None)
@given(body=credit_bodies)
def test_generated_credit_codes_are_accepted(body: str) -> None:
    code = body + credit_check(body)
    assert validate_credit_code(code) == code
    assert validate_credit_code(code.lower()) == code


@settings(max_examples=500, deadline=None)
@given(body=credit_bodies, position=st.integers(0, 17), data=st.data())
def test_any_single_substitution_in_a_credit_code_is_rejected(
    body: str, position: int, data: st.DataObject
) -> None:
    code = body + credit_check(body)
    replacement = data.draw(
        st.sampled_from([c for c in REF_CREDIT_ALPHABET if c != code[position]])
    )
    changed = code[:position] + replacement + code[position + 1 :]
    assert raises(validate_credit_code, changed).code == "credit_checksum"


@settings(max_examples=200, deadline=None)
@given(rest=st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
def test_generated_mobiles_are_accepted_and_masked(rest: str) -> None:
    assert validate_mobile(f"+86 {rest[:3]} {rest[3:7]} {rest[7:]}") == rest
    assert mask_phone(rest) == rest[:3] + "****" + rest[7:]
