"""The evaluators' mobiles encrypted at rest (banchengshi.encryption)."""

from django.db import migrations

import banchengshi.encryption.fields
from banchengshi.encryption.migrating import encrypt_existing


class Migration(migrations.Migration):
    dependencies = [
        ("evaluation", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="evaluation",
            name="mobile",
            field=banchengshi.encryption.fields.EncryptedCharField(
                blank=True, max_length=11, verbose_name="mobile phone"
            ),
        ),
        migrations.AlterField(
            model_name="evaluationinvite",
            name="mobile",
            field=banchengshi.encryption.fields.EncryptedCharField(max_length=11),
        ),
        encrypt_existing("evaluation_evaluation", {"mobile": None}),
        encrypt_existing("evaluation_evaluationinvite", {"mobile": None}),
    ]
