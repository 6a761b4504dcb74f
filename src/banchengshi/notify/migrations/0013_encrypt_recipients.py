"""The outbox's recipients (phones, e-mail addresses) encrypted at rest."""

from django.db import migrations

import banchengshi.encryption.fields
from banchengshi.encryption.migrating import encrypt_existing


class Migration(migrations.Migration):
    dependencies = [
        ("notify", "0012_report_ready_kind"),
    ]

    operations = [
        migrations.AlterField(
            model_name="outboxmessage",
            name="recipient",
            field=banchengshi.encryption.fields.EncryptedCharField(
                max_length=254, verbose_name="recipient"
            ),
        ),
        encrypt_existing("notify_outboxmessage", {"recipient": None}),
    ]
