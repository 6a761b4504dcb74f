from django.db.models import Q, QuerySet

from banchengshi.catalog.models import Matter
from banchengshi.org.models import Unit


def search_matters(
    text: str = "", *, public_only: bool = False, department_id: int | None = None
) -> QuerySet[Matter]:
    matters = Matter.objects.filter(is_active=True).select_related("owning_department")
    if public_only:
        matters = matters.filter(is_public=True)
    if department_id is not None:
        matters = matters.filter(owning_department_id=department_id)
    text = text.strip()
    if text:
        matters = matters.filter(Q(name__icontains=text) | Q(code__istartswith=text))
    return matters.order_by("code")


def public_matter(code: str) -> Matter | None:
    """One matter of the public service guide, with where it is handled."""
    return (
        search_matters(public_only=True)
        .filter(code=code)
        .prefetch_related("handling_centers")
        .first()
    )


def guide_departments() -> QuerySet[Unit]:
    """The departments that own public matters, for the guide's filter."""
    owners = Matter.objects.filter(is_public=True, is_active=True).values("owning_department")
    return Unit.objects.filter(pk__in=owners, is_active=True).order_by("path")
