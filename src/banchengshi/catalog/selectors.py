from django.db.models import Q, QuerySet

from banchengshi.catalog.models import Matter


def search_matters(text: str = "", *, public_only: bool = False) -> QuerySet[Matter]:
    matters = Matter.objects.filter(is_active=True).select_related("owning_department")
    if public_only:
        matters = matters.filter(is_public=True)
    text = text.strip()
    if text:
        matters = matters.filter(Q(name__icontains=text) | Q(code__istartswith=text))
    return matters.order_by("code")
