"""Phones, ID numbers and credit codes encrypted at rest (banchengshi.encryption), each with
its keyed hash, and the petitioner lookups' indexes moved to the hashes."""

from django.conf import settings
from django.db import migrations, models

import banchengshi.encryption.fields
from banchengshi.encryption.migrating import encrypt_existing


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0011_search_buckets"),
        ("catalog", "0001_initial"),
        ("org", "0006_encrypt_mobiles_and_secrets"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="case",
            name="case_phone_received",
        ),
        migrations.RemoveIndex(
            model_name="case",
            name="case_id_number_received",
        ),
        migrations.RemoveIndex(
            model_name="case",
            name="case_credit_code_received",
        ),
        migrations.AddField(
            model_name="case",
            name="credit_code_hash",
            field=banchengshi.encryption.fields.SearchHashField(source="credit_code"),
        ),
        migrations.AddField(
            model_name="case",
            name="id_number_hash",
            field=banchengshi.encryption.fields.SearchHashField(source="id_number"),
        ),
        migrations.AddField(
            model_name="case",
            name="phone_hash",
            field=banchengshi.encryption.fields.SearchHashField(source="phone"),
        ),
        migrations.AlterField(
            model_name="case",
            name="credit_code",
            field=banchengshi.encryption.fields.EncryptedCharField(
                blank=True, max_length=18, verbose_name="unified social credit code"
            ),
        ),
        migrations.AlterField(
            model_name="case",
            name="id_number",
            field=banchengshi.encryption.fields.EncryptedCharField(
                blank=True, max_length=18, verbose_name="ID number"
            ),
        ),
        migrations.AlterField(
            model_name="case",
            name="phone",
            field=banchengshi.encryption.fields.EncryptedCharField(
                max_length=24, verbose_name="phone"
            ),
        ),
        encrypt_existing(
            "cases_case",
            {
                "phone": "phone_hash",
                "id_number": "id_number_hash",
                "credit_code": "credit_code_hash",
            },
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["phone_hash", "-received_at"], name="case_phone_received"),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["id_number_hash", "-received_at"], name="case_id_number_received"
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["credit_code_hash", "-received_at"], name="case_credit_code_received"
            ),
        ),
    ]
