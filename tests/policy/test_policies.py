"""The shipped policies (R-SLA-3) and the validation of policy files."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from banchengshi.policy.rules import (
    LimitRule,
    Policy,
    PolicyError,
    available_policies,
    load_policy,
    parse_policy,
    policy_in_force,
)

SAME_DAY = "当日"


def limits_of(policy: Policy) -> dict[str, tuple[LimitRule, int]]:
    return {name: (limit.rule, limit.days) for name, limit in policy.limits.items()}


def test_three_policies_ship() -> None:
    assert available_policies() == ["chongming", "liuzhou", "putuo"]


def test_putuo() -> None:
    policy = load_policy("putuo")
    assert (policy.name, policy.version, policy.key) == ("putuo", "2023.3", "putuo@2023.3")
    assert limits_of(policy) == {
        "reply.simple": (LimitRule.SAME_DAY, 0),
        "reply.general": (LimitRule.WORKING_DAYS, 3),
        "reply.complex": (LimitRule.WORKING_DAYS, 7),
        "not_admissible": (LimitRule.WORKING_DAYS, 3),
        "cause_analysis": (LimitRule.SAME_DAY, 0),
        "extension.max_total": (LimitRule.WORKING_DAYS, 10),
        "return_visit": (LimitRule.WORKING_DAYS, 3),
        "hub_review": (LimitRule.WORKING_DAYS, 1),
    }
    assert policy.yellow_window == dt.timedelta(hours=24)
    with translation.override("zh-hans"):
        assert policy.limit("reply.simple").describe() == SAME_DAY
        assert policy.limit("reply.complex").describe() == "7个工作日"
    assert policy.clocks == {
        "not_admissible_reply": "not_admissible",
        "cause_analysis": "cause_analysis",
        "extension_cap": "extension.max_total",
        "return_visit": "return_visit",
        "hub_review": "hub_review",
    }
    assert policy.clock_limit("contact") is None
    cap = policy.clock_limit("extension_cap")
    assert cap is not None
    assert cap.days == 10


def test_chongming() -> None:
    policy = load_policy("chongming")
    assert (policy.name, policy.version) == ("chongming", "2023.3")
    assert limits_of(policy) == {
        "contact": (LimitRule.WORKING_DAYS, 1),
        "reply.simple": (LimitRule.SAME_DAY, 0),
        "reply.general": (LimitRule.WORKING_DAYS, 3),
        "reply.complex": (LimitRule.WORKING_DAYS, 5),
        "return_visit": (LimitRule.WORKING_DAYS, 3),
        "hub_review": (LimitRule.WORKING_DAYS, 1),
    }
    assert policy.yellow_window == dt.timedelta(hours=24)
    with translation.override("zh-hans"):
        assert policy.limit("contact").describe() == "1个工作日"
    contact = policy.clock_limit("contact")
    assert contact is not None
    assert contact.name == "contact"
    assert policy.clock_limit("cause_analysis") is None


def test_liuzhou() -> None:
    policy = load_policy("liuzhou")
    assert (policy.name, policy.version) == ("liuzhou", "2021.3")
    assert limits_of(policy) == {
        "reply.petitioner_side": (LimitRule.WORKING_DAYS, 3),
        "reply.department_side": (LimitRule.WORKING_DAYS, 10),
        "return_visit": (LimitRule.WORKING_DAYS, 3),
        "hub_review": (LimitRule.WORKING_DAYS, 1),
    }
    assert policy.yellow_window == dt.timedelta(hours=24)
    assert policy.clocks == {"return_visit": "return_visit", "hub_review": "hub_review"}


@pytest.mark.parametrize(
    ("name", "complexity", "expected"),
    [
        ("putuo", "simple", "reply.simple"),
        ("putuo", "general", "reply.general"),
        ("putuo", "complex", "reply.complex"),
        ("putuo", "special", "reply.complex"),
        ("putuo", "", "reply.general"),
        ("putuo", "unheard-of", "reply.general"),
        ("chongming", "simple", "reply.simple"),
        ("chongming", "general", "reply.general"),
        ("chongming", "complex", "reply.complex"),
        ("chongming", "special", "reply.complex"),
        ("chongming", "", "reply.general"),
    ],
)
def test_reply_limit_by_complexity(name: str, complexity: str, expected: str) -> None:
    policy = load_policy(name)
    assert policy.reply.by == "complexity"
    # The cause side plays no part where complexity decides.
    assert policy.reply_limit(complexity=complexity, cause_side="department").name == expected


@pytest.mark.parametrize(
    ("cause_side", "expected_name", "expected_days"),
    [
        ("petitioner", "reply.petitioner_side", 3),
        ("department", "reply.department_side", 10),
        ("", "reply.petitioner_side", 3),  # until the cause is analysed
    ],
)
def test_reply_limit_by_cause_side(cause_side: str, expected_name: str, expected_days: int) -> None:
    policy = load_policy("liuzhou")
    assert policy.reply.by == "cause_side"
    limit = policy.reply_limit(complexity="complex", cause_side=cause_side)
    assert (limit.name, limit.days) == (expected_name, expected_days)


def test_liuzhou_default_is_the_petitioner_side() -> None:
    assert load_policy("liuzhou").reply_limit().name == "reply.petitioner_side"


def test_the_policy_in_force_follows_the_setting(settings: object) -> None:
    settings.BANCHENGSHI_POLICY = "liuzhou"  # type: ignore[attr-defined]
    assert policy_in_force().name == "liuzhou"


def test_asking_for_a_limit_a_policy_lacks() -> None:
    with pytest.raises(PolicyError) as caught:
        load_policy("liuzhou").limit("contact")
    assert str(caught.value) == (
        "policy 'liuzhou' has no limit 'contact' "
        "(it has: reply.petitioner_side, reply.department_side, return_visit, hub_review)"
    )


@pytest.mark.parametrize("name", ["nowhere", "../putuo", "Putuo", ""])
def test_unknown_policy_name(name: str) -> None:
    with pytest.raises(PolicyError) as caught:
        load_policy(name)
    assert str(caught.value) == (f"unknown policy {name!r} (available: chongming, liuzhou, putuo)")


# --- parse_policy validation -----------------------------------------------------------------

VALID = """\
name = "test"
version = "1"
yellow_hours = 24

[limits."reply.simple"]
rule = "same_day"

[limits."reply.general"]
rule = "working_days"
days = 3

[clocks]
contact = "reply.general"

[clocks.reply]
by = "complexity"
default = "reply.general"
simple = "reply.simple"
"""


def error_of(text: str) -> str:
    with pytest.raises(PolicyError) as caught:
        parse_policy(text, "test.toml")
    return str(caught.value)


def test_the_base_text_is_valid() -> None:
    policy = parse_policy(VALID, "test.toml")
    assert limits_of(policy) == {
        "reply.simple": (LimitRule.SAME_DAY, 0),
        "reply.general": (LimitRule.WORKING_DAYS, 3),
    }
    assert policy.title == "test"
    assert policy.reply.choices == {"simple": "reply.simple"}


def test_policy_not_toml() -> None:
    assert error_of("name = ").startswith("test.toml: not valid TOML (")


def test_unknown_top_level_key() -> None:
    assert error_of("colour = 'red'\n" + VALID) == "test.toml: unknown keys colour"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('name = "test"\n', "", "test.toml: 'name' is required and must be a str"),
        ('version = "1"', "version = 1", "test.toml: 'version' is required and must be a str"),
        (
            "yellow_hours = 24",
            "yellow_hours = true",
            "test.toml: 'yellow_hours' is required and must be a int",
        ),
        (
            "yellow_hours = 24",
            "yellow_hours = 0",
            "test.toml: 'yellow_hours' must be between 1 and 240",
        ),
        (
            "yellow_hours = 24",
            "yellow_hours = 241",
            "test.toml: 'yellow_hours' must be between 1 and 240",
        ),
    ],
)
def test_bad_header(old: str, new: str, message: str) -> None:
    assert old in VALID
    assert error_of(VALID.replace(old, new, 1)) == message


def test_unknown_rule() -> None:
    text = VALID.replace('rule = "same_day"', 'rule = "calendar_days"')
    assert error_of(text) == (
        "test.toml: limit 'reply.simple': 'rule' must be 'same_day' or 'working_days'"
    )


@pytest.mark.parametrize(
    "days_line",
    [
        "",
        "days = 0",
        "days = -3",
        "days = 61",
        "days = 1000",
        "days = 2.5",
        'days = "3"',
        "days = true",
    ],
)
def test_bad_days(days_line: str) -> None:
    text = VALID.replace("days = 3", days_line)
    assert error_of(text) == (
        "test.toml: limit 'reply.general': 'days' must be a whole number from 1 to 60"
    )


@pytest.mark.parametrize("days", [1, 60])
def test_days_at_the_bounds_are_accepted(days: int) -> None:
    policy = parse_policy(VALID.replace("days = 3", f"days = {days}"), "test.toml")
    assert policy.limits["reply.general"].days == days


@pytest.mark.parametrize("days_line", ["days = 1", "days = 0"])
def test_same_day_with_days(days_line: str) -> None:
    text = VALID.replace('rule = "same_day"', f'rule = "same_day"\n{days_line}')
    assert error_of(text) == "test.toml: limit 'reply.simple': a same_day limit takes no 'days'"


def test_bad_limit_name() -> None:
    text = VALID.replace('[limits."reply.simple"]', '[limits."Reply Simple"]')
    assert error_of(text) == (
        "test.toml: limit 'Reply Simple': names are lower-case words joined by dots"
    )


def test_unknown_key_in_a_limit() -> None:
    text = VALID.replace("days = 3", "days = 3\nhours = 2")
    assert error_of(text) == "test.toml: limit 'reply.general': unknown keys hours"


def test_clock_naming_an_unknown_limit() -> None:
    text = VALID.replace('contact = "reply.general"', 'contact = "reply.urgent"')
    assert error_of(text) == "test.toml: clock 'contact' names unknown limit 'reply.urgent'"


def test_unknown_clock() -> None:
    text = VALID.replace('contact = "reply.general"', 'visit = "reply.general"')
    assert error_of(text) == (
        "test.toml: unknown clock 'visit' (known: reply, contact, "
        "not_admissible_reply, cause_analysis, extension_cap, return_visit, hub_review, "
        "rectification)"
    )


@pytest.mark.parametrize("by_line", ['by = "urgency"', ""])
def test_reply_rule_with_bad_by(by_line: str) -> None:
    text = VALID.replace('by = "complexity"', by_line)
    assert error_of(text) == (
        "test.toml: [clocks.reply]: 'by' must be 'complexity' or 'cause_side'"
    )


def test_reply_rule_with_a_choice_of_the_other_kind() -> None:
    text = VALID.replace('simple = "reply.simple"', 'department = "reply.simple"')
    assert error_of(text) == (
        "test.toml: [clocks.reply]: 'department' is not one of simple, general, complex, special"
    )


def test_reply_rule_naming_an_unknown_limit() -> None:
    text = VALID.replace('default = "reply.general"', 'default = "reply.normal"')
    assert error_of(text) == "test.toml: [clocks.reply]: names unknown limit 'reply.normal'"


def test_reply_rule_is_required() -> None:
    text = VALID.split("[clocks.reply]")[0]
    assert error_of(text) == "test.toml: [clocks.reply] is required"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'contact = "reply.general"',
            'contact = ["reply.general"]',
            "test.toml: clock 'contact' names unknown limit ['reply.general']",
        ),
        (
            'simple = "reply.simple"',
            'simple = ["reply.simple"]',
            "test.toml: [clocks.reply]: names unknown limit ['reply.simple']",
        ),
        (
            'default = "reply.general"',
            "default = { name = 1 }",
            "test.toml: [clocks.reply]: names unknown limit {'name': 1}",
        ),
    ],
)
def test_a_limit_reference_that_is_not_text(old: str, new: str, message: str) -> None:
    # Lists and tables are unhashable: they must be refused, not crash with a TypeError.
    assert error_of(VALID.replace(old, new)) == message
