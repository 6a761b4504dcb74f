"""Staff mobiles and TOTP secrets encrypted at rest (banchengshi.encryption)."""

from django.db import migrations

import banchengshi.encryption.fields
import banchengshi.org.models
from banchengshi.encryption.migrating import encrypt_existing


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0005_passwordrecord_twofactordevice"),
    ]

    operations = [
        migrations.AlterField(
            model_name="staffprofile",
            name="mobile",
            field=banchengshi.encryption.fields.EncryptedCharField(
                blank=True,
                max_length=20,
                validators=[banchengshi.org.models._mobile],
                verbose_name="mobile number",
            ),
        ),
        migrations.AlterField(
            model_name="twofactordevice",
            name="secret",
            field=banchengshi.encryption.fields.EncryptedCharField(max_length=64),
        ),
        encrypt_existing("org_staffprofile", {"mobile": None}),
        encrypt_existing("org_twofactordevice", {"secret": None}, pk="user_id"),
    ]
