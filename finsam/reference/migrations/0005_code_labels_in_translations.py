"""Drop the two label columns of `Code`: the wording now lives in `CodeTranslation` (and the
`labels` copy of the current national version), filled by 0004. The columns get a default first
so that going back can add them again (0004 backwards fills them)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reference", "0004_code_lists_version_one"),
    ]

    operations = [
        migrations.AlterField(
            model_name="code",
            name="label_sv",
            field=models.CharField(default="", max_length=200, verbose_name="benämning (svenska)"),
        ),
        migrations.AlterField(
            model_name="code",
            name="label_en",
            field=models.CharField(default="", max_length=200, verbose_name="benämning (engelska)"),
        ),
        migrations.RemoveField(model_name="code", name="label_en"),
        migrations.RemoveField(model_name="code", name="label_sv"),
    ]
