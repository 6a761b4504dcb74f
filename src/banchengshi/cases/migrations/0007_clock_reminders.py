from typing import Any

from django.db import migrations, models


def arm_running_clocks(apps: Any, schema_editor: Any) -> None:
    """Clocks running when reminders arrive get their first reminder, as a new one would."""
    from banchengshi.cases.clocks import arm
    from banchengshi.policy.rules import parse_policy
    from banchengshi.workdays.registry import current_calendar

    clock_model = apps.get_model("cases", "Clock")
    calendar = current_calendar()
    policies: dict[int, Any] = {}
    running = clock_model.objects.filter(stopped_at__isnull=True, paused_at__isnull=True)
    for clock in running.select_related("case__policy").iterator(chunk_size=2000):
        row = clock.case.policy
        if row.pk not in policies:
            policies[row.pk] = parse_policy(row.content, row.key)
        arm(clock, policies[row.pk], calendar)
        clock.save(update_fields=["remind_at", "remind_level"])


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0006_provisional_deadlines"),
        ("workdays", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="clock",
            name="remind_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="clock",
            name="remind_level",
            field=models.CharField(blank=True, max_length=16),
        ),
        migrations.AddIndex(
            model_name="clock",
            index=models.Index(
                condition=models.Q(("remind_at__isnull", False)),
                fields=["remind_at"],
                name="clock_remind_at",
            ),
        ),
        migrations.AddIndex(
            model_name="clock",
            index=models.Index(
                condition=models.Q(("paused_at__isnull", True), ("stopped_at__isnull", True)),
                fields=["due"],
                name="clock_running_due",
            ),
        ),
        migrations.RunPython(arm_running_clocks, migrations.RunPython.noop),
    ]
