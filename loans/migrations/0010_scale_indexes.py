"""Issue 15: the index today's dashboard figures are read from at a province's scale."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("loans", "0009_coming_due_dates"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="loan",
            index=models.Index(
                condition=models.Q(("status", "active")),
                fields=["branch", "officer", "product", "risk_class", "bucket"],
                include=("balance", "days_past_due"),
                name="loan_figures_idx",
            ),
        ),
    ]
