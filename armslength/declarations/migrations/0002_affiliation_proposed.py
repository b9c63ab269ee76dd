from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("declarations", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="affiliation",
            name="proposed",
            field=models.JSONField(
                blank=True, default=dict, verbose_name="change awaiting review"
            ),
        ),
    ]
