"""Contacts keep when they were entered apart from when they took place, with a reason for a
late entry (补录); follow-ups keep how they were closed; each branch sets its late-entry window.

``entered_at`` is the former ``created_at`` (set by the server when the row was written), so
existing rows keep their true entry time. Follow-ups closed before a contact or a reason was
required get a reason that says so; who closed them was never recorded and stays empty."""

import datetime

import django.db.models.deletion
import django.db.models.expressions
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

LEGACY_CLOSE_REASON = (
    "旧记录：当时一键关闭，未记录联系或原因"
    " (closed with one click before a contact or a reason was required)"
)


def mark_legacy_closed_follow_ups(apps, schema_editor):
    FollowUpTask = apps.get_model("loan_collections", "FollowUpTask")
    FollowUpTask.objects.filter(done_at__isnull=False).update(close_reason=LEGACY_CLOSE_REASON)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("loan_collections", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField(model_name="contactattempt", old_name="created_at", new_name="entered_at"),
        migrations.AlterField(
            model_name="contactattempt",
            name="entered_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, editable=False, verbose_name="entered at"
            ),
        ),
        migrations.AddField(
            model_name="contactattempt",
            name="late_entry_reason",
            field=models.TextField(blank=True, verbose_name="late entry reason"),
        ),
        migrations.AddField(
            model_name="collectionsettings",
            name="late_entry_hours",
            field=models.PositiveSmallIntegerField(
                default=48,
                verbose_name="a contact entered more than this many hours after it took place needs a reason",
            ),
        ),
        migrations.AddField(
            model_name="followuptask",
            name="close_reason",
            field=models.TextField(blank=True, verbose_name="reason for closing"),
        ),
        migrations.AddField(
            model_name="followuptask",
            name="closed_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="closed by",
            ),
        ),
        migrations.AddField(
            model_name="followuptask",
            name="closed_by_contact",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="closed_follow_ups",
                to="loan_collections.contactattempt",
                verbose_name="closed by the contact",
            ),
        ),
        migrations.RunPython(mark_legacy_closed_follow_ups, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="collectionsettings",
            constraint=models.CheckConstraint(
                condition=models.Q(("late_entry_hours__gte", 1)), name="collection_settings_late_entry_positive"
            ),
        ),
        migrations.AddConstraint(
            model_name="contactattempt",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "contacted_at__lte",
                        django.db.models.expressions.CombinedExpression(
                            models.F("entered_at"), "+", models.Value(datetime.timedelta(seconds=300))
                        ),
                    )
                ),
                name="contact_not_after_entry",
            ),
        ),
        migrations.AddConstraint(
            model_name="followuptask",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("done_at__isnull", True),
                        ("closed_by__isnull", True),
                        ("closed_by_contact__isnull", True),
                        ("close_reason", ""),
                    ),
                    models.Q(
                        ("done_at__isnull", False),
                        models.Q(
                            ("closed_by_contact__isnull", False),
                            models.Q(("close_reason", ""), _negated=True),
                            _connector="OR",
                        ),
                    ),
                    _connector="OR",
                ),
                name="follow_up_closed_by_contact_or_reason",
            ),
        ),
    ]
