"""Phones and ID numbers of door-to-door requests and remote sessions encrypted at rest."""

from django.db import migrations

import banchengshi.encryption.fields
from banchengshi.encryption.migrating import encrypt_existing


class Migration(migrations.Migration):
    dependencies = [
        ("neighborhood", "0005_assistance_registered_index"),
    ]

    operations = [
        migrations.AlterField(
            model_name="assistancerequest",
            name="phone",
            field=banchengshi.encryption.fields.EncryptedCharField(
                max_length=24, verbose_name="phone"
            ),
        ),
        migrations.AlterField(
            model_name="remotesession",
            name="id_number",
            field=banchengshi.encryption.fields.EncryptedCharField(
                blank=True, max_length=18, verbose_name="ID number"
            ),
        ),
        migrations.AlterField(
            model_name="remotesession",
            name="phone",
            field=banchengshi.encryption.fields.EncryptedCharField(
                max_length=24, verbose_name="phone"
            ),
        ),
        encrypt_existing("neighborhood_assistancerequest", {"phone": None}),
        encrypt_existing("neighborhood_remotesession", {"phone": None, "id_number": None}),
    ]
