"""A person's channels per kind of notice: the defaults file, saving a choice (with the mobile
number SMS go to), and the refusals in words."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation

from banchengshi.errors import InvalidInput
from banchengshi.notify.actions import check_save_preferences
from banchengshi.notify.models import NotificationKind, NotificationPreference
from banchengshi.notify.preferences import DEFAULTS, Channel, load_defaults, preferences_of
from banchengshi.org.models import StaffProfile
from tests.cases.conftest import Org

pytestmark = pytest.mark.django_db
K = NotificationKind


def test_the_defaults_file() -> None:
    assert DEFAULTS[K.CASE_DISPATCHED] == frozenset()
    assert DEFAULTS[K.REMINDER_RED] == {Channel.SMS, Channel.EMAIL}
    assert DEFAULTS[K.SUPERVISION_OPENED] == {Channel.SMS}
    assert set(DEFAULTS) == set(NotificationKind)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('"case.vanished" = ["sms"]', "test.toml: 'case.vanished' is no kind of notice"),
        (
            '"case.dispatched" = ["fax"]',
            "test.toml: 'case.dispatched' must list channels among sms, email",
        ),
        (
            '"case.dispatched" = "sms"',
            "test.toml: 'case.dispatched' must list channels among sms, email",
        ),
    ],
)
def test_a_wrong_defaults_file_is_refused_naming_the_fault(text: str, message: str) -> None:
    with pytest.raises(ImproperlyConfigured) as info:
        load_defaults(text, "test.toml")
    assert str(info.value) == message


def test_saving_a_choice(org: Org) -> None:
    org.handler_a.email = "a@putuo.example"
    org.handler_a.save()
    check_save_preferences(
        org.handler_a,
        choices={"case.dispatched": ["sms", "email"], "reminder.red": ["email"]},
        mobile="139 1234 5678",
    )
    assert StaffProfile.objects.get(user=org.handler_a).mobile == "13912345678"
    mine = preferences_of(org.handler_a.pk)
    assert mine[K.CASE_DISPATCHED] == {Channel.SMS, Channel.EMAIL}
    assert mine[K.REMINDER_RED] == {Channel.EMAIL}
    # Once chosen, a kind left out is the inbox only, whatever its default.
    assert mine[K.SUPERVISION_OPENED] == frozenset()
    assert NotificationPreference.objects.filter(user=org.handler_a).count() == len(K)
    # Saving again replaces the choice.
    check_save_preferences(org.handler_a, choices={}, mobile="")
    assert set(preferences_of(org.handler_a.pk).values()) == {frozenset()}
    assert StaffProfile.objects.get(user=org.handler_a).mobile == ""


def refusal(org: Org, **kwargs: object) -> dict[str, list[str]]:
    with translation.override("en"):
        with pytest.raises(InvalidInput) as info:
            check_save_preferences(org.handler_a, **kwargs)  # type: ignore[arg-type]
        errors = info.value.errors
        return {field: [str(m) for m in messages] for field, messages in errors.items()}


def test_sms_need_a_mobile_number_and_email_an_address(org: Org) -> None:
    assert refusal(org, choices={"reminder.red": ["sms", "email"]}, mobile="") == {
        "mobile": ["Give your mobile number to receive notices by SMS."],
        "email": ["Your account has no e-mail address; ask your administrator to add one."],
    }
    assert refusal(org, choices={}, mobile="021-12345678") == {
        "mobile": ["Enter an 11-digit mobile number starting with 1, such as 13812345678."]
    }
    assert not StaffProfile.objects.exists()


def test_unknown_kinds_and_channels_are_refused(org: Org) -> None:
    assert refusal(org, choices={"case.vanished": ["sms"]}, mobile="") == {
        "kind": ["Unknown kind of notice."]
    }
    assert refusal(org, choices={"case.dispatched": ["fax"]}, mobile="") == {
        "channel": ["Choose SMS or e-mail."]
    }
