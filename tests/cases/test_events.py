"""Every event name has its words: for the staff in Chinese and English, and for the public
either a step in plain words or an explicit decision that the step is internal."""

from __future__ import annotations

import pytest
from django.utils import translation

from banchengshi.cases.events import LABELS, CaseEvent, decided, event_label, requested
from banchengshi.intake.public_view import STEPS

# Steps of the units' own work that the tracking page does not show the petitioner.
INTERNAL = {
    CaseEvent.RETURN,
    CaseEvent.REQUEST_COHANDLING,
    CaseEvent.ANSWER_COHANDLING,
    CaseEvent.RECORD_CAUSE,
    CaseEvent.REQUEST_EXTENSION,
    CaseEvent.REQUEST_SUSPENSION,
    CaseEvent.REFUSE_EXTENSION,
    CaseEvent.REFUSE_SUSPENSION,
    CaseEvent.ATTACH,
    CaseEvent.RECOMPUTE_DEADLINES,
    CaseEvent.LINK_SIMILAR,  # grouped with similar cases: the staff's way of answering
    CaseEvent.WINDOW_RATING,  # the clerk opening the tablet; the rating itself is RATE
    CaseEvent.ADD_TO_LIBRARY,  # the library gets an anonymised draft; nothing for the petitioner
}


@pytest.mark.parametrize("event", list(CaseEvent))
def test_every_event_has_staff_words_in_both_languages(event: CaseEvent) -> None:
    with translation.override("en"):
        english = str(LABELS[event])
    with translation.override("zh-hans"):
        chinese = str(LABELS[event])
    assert english
    assert chinese != english
    assert any("\u4e00" <= ch <= "\u9fff" for ch in chinese)


def test_every_event_is_public_or_internal_by_decision() -> None:
    assert set(STEPS) | INTERNAL == set(CaseEvent)
    assert not set(STEPS) & INTERNAL


@pytest.mark.parametrize("event", list(STEPS))
def test_public_steps_are_worded_in_chinese(event: CaseEvent) -> None:
    with translation.override("zh-hans"):
        assert any("\u4e00" <= ch <= "\u9fff" for ch in str(STEPS[event]))


def test_an_event_name_from_elsewhere_is_shown_as_stored() -> None:
    with translation.override("zh-hans"):
        assert event_label("reply") == "答复"
        assert event_label("imported_later") == "imported_later"


def test_request_events_by_kind() -> None:
    assert requested("extension") is CaseEvent.REQUEST_EXTENSION
    assert decided("suspension", approved=False) is CaseEvent.REFUSE_SUSPENSION
    with pytest.raises(ValueError, match="'request_holiday' is not a valid CaseEvent"):
        requested("holiday")
