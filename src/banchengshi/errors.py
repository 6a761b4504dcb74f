"""Why an action was refused, with a stable code for the API and a message for people."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class ActionRefused(Exception):
    """codes: forbidden, not_found, invalid_state, invalid, conflict."""

    status = 400

    def __init__(self, code: str, message: str | Promise, field: str = "") -> None:
        super().__init__(str(message))
        self.code = code
        self.message = message
        self.field = field


class Forbidden(ActionRefused):
    status = 403

    def __init__(self, message: str | Promise) -> None:
        super().__init__("forbidden", message)


class NotFound(ActionRefused):
    status = 404

    def __init__(self, message: str | Promise) -> None:
        super().__init__("not_found", message)


class InvalidState(ActionRefused):
    status = 409

    def __init__(self, message: str | Promise) -> None:
        super().__init__("invalid_state", message)


class Conflict(ActionRefused):
    status = 409

    def __init__(self, message: str | Promise) -> None:
        super().__init__("conflict", message)


class InvalidInput(ActionRefused):
    """One or more fields are wrong; `errors` maps each field to its messages."""

    status = 422

    def __init__(self, errors: dict[str, list[str | Promise]]) -> None:
        field, messages = next(iter(errors.items()))
        super().__init__("invalid", messages[0], field)
        self.errors = errors


class StorageFull(InvalidInput):
    """The disk that keeps uploaded files is full (or over quota): nothing was stored, and
    the change the files came with was not made. Shown under the files' field on a form;
    507 with code storage_full in the API."""

    status = 507

    def __init__(self, field: str) -> None:
        super().__init__(
            {
                field: [
                    _(
                        "The server has no room to store files right now, so nothing was "
                        "saved. Please try again later; if it keeps happening, tell the "
                        "system administrators."
                    )
                ]
            }
        )
        self.code = "storage_full"
