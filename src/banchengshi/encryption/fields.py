"""Model fields of encryption at rest.

`EncryptedCharField` is a CharField to forms, validation and code (its `max_length` is the
value's); the column holds a Fernet token as text. Equal values give different tokens, so
the field refuses to be compared in a query: a query that looked for a phone would find
nothing, silently. Where a value must be found, the model keeps a `SearchHashField` beside it
and queries go through `equal_to()`.

Why not a package of encrypted fields (django-fernet-encrypted-fields and its kind): they
derive the key from SECRET_KEY (rotating the session key would then lose the data), keep no
keyed hash to find a value, and let `filter(phone=…)` run and match nothing."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldError
from django.db import models
from django.db.models import Q, signals
from django.db.models.lookups import Exact, IsNull

from banchengshi.encryption.keys import HASH_LENGTH, decrypt, encrypt, search_hash, search_hashes


class EncryptedCharField(models.CharField):
    def get_internal_type(self) -> str:
        return "TextField"  # a token is about 100 characters whatever max_length says

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        return decrypt(value) if value else value

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        return encrypt(value) if value else value

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name == "isnull":
            return IsNull
        if lookup_name == "exact":
            return EmptyOnly
        return None  # Django then refuses the lookup as unsupported


class EmptyOnly(Exact):
    """`field=""` (has no value) is answerable; `field="138…"` is not."""

    def get_prep_lookup(self) -> Any:
        if self.rhs not in ("", None):
            raise FieldError(
                f"{self.lhs.target.name} is encrypted: find a value with encryption.fields."
                "equal_to() (its keyed hash), not by comparing the column."
            )
        return self.rhs


class SearchHashField(models.CharField):
    """The keyed hash of another field of the row, computed whenever the row is saved."""

    def __init__(self, *args: Any, source: str = "", **kwargs: Any) -> None:
        self.source = source
        kwargs["max_length"] = HASH_LENGTH
        kwargs["editable"] = False
        kwargs.setdefault("default", "")
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        for fixed in ("max_length", "editable", "default", "blank"):
            kwargs.pop(fixed, None)
        return name, path, args, kwargs

    def hash_of(self, value: str | None) -> str:
        return search_hash(self.source, value or "")

    def contribute_to_class(
        self, cls: type[models.Model], name: str, private_only: bool = False
    ) -> None:
        super().contribute_to_class(cls, name, private_only)
        if not cls._meta.abstract:
            signals.pre_save.connect(self._refuse_a_stale_hash, sender=cls, weak=False)

    def _refuse_a_stale_hash(self, *, update_fields: Any = None, **_: Any) -> None:
        """`save(update_fields=[source])` would write the value and keep the old hash (Django
        calls pre_save only for the fields it writes): the value could no longer be found."""
        if update_fields and self.source in update_fields and self.name not in update_fields:
            raise ValueError(
                f"save(update_fields=…) names {self.source} without {self.name}: "
                "its keyed hash would no longer match it."
            )

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        value = self.hash_of(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value


def equal_to(field: str, value: str, *, prefix: str = "") -> Q:
    """Rows whose `field` (an EncryptedCharField with a `<field>_hash` beside it) holds
    `value` exactly, found through the hash's index."""
    return Q(**{f"{prefix}{field}_hash__in": search_hashes(field, value)})
