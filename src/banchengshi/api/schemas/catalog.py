"""Units, service matters, coded causes and the caller: read straight from their rows."""

from __future__ import annotations

from django.contrib.auth.models import User
from pydantic import BaseModel

from banchengshi.api.schemas.base import Out
from banchengshi.org.names import full_name
from banchengshi.org.scope import Scope


class UnitRef(Out):
    id: int
    code: str
    name: str
    kind: str


class MatterRef(Out):
    id: int
    code: str
    name: str


class UnitOut(Out):
    id: int
    code: str
    name: str
    kind: str
    parent_id: int | None


class MatterOut(Out):
    id: int
    code: str
    name: str
    owning_department_id: int | None
    legal_limit_days: int | None
    online: bool
    whole_city: bool
    door_to_door: bool
    remote: bool
    is_public: bool


class MatterListOut(BaseModel):
    items: list[MatterOut]
    total: int
    limit: int
    offset: int


# A cause of causes.toml; `label` in the request's language. (No docstring: it would become
# the OpenAPI description, which clients already have without one.)
class CauseOut(Out):
    code: str
    side: str
    label: str


class RoleOut(BaseModel):
    unit_id: int
    role: str


class MeOut(BaseModel):
    id: int
    username: str
    full_name: str
    sees_all: bool
    roles: list[RoleOut]

    @classmethod
    def of(cls, user: User, scope: Scope) -> MeOut:
        return cls(
            id=user.pk,
            username=user.get_username(),
            full_name=full_name(user),
            sees_all=scope.sees_all,
            roles=[
                RoleOut(unit_id=unit, role=role)
                for unit, roles in sorted(scope.roles_by_unit.items())
                for role in sorted(roles)
            ],
        )
