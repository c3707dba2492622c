# The industry policy moves from the screening app to the ledger. The table stays where it
# is (screening_industrypolicy): only Django's idea of which app owns the model changes.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('loans', '0004_loan_history_without_schedule_terms'),
        ('screening', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='IndustryPolicy',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.CharField(max_length=10, unique=True, verbose_name='GB/T 4754 code')),
                        ('name', models.CharField(max_length=100, verbose_name='industry')),
                        ('level', models.CharField(choices=[('allowed', 'Allowed'), ('restricted', 'Restricted (strict review)'), ('prohibited', 'Prohibited')], max_length=12, verbose_name='policy')),
                        ('reason', models.TextField(blank=True, verbose_name='reason')),
                        ('source', models.CharField(blank=True, max_length=200, verbose_name='source')),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('updated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'industry policy',
                        'verbose_name_plural': 'industry policies',
                        'db_table': 'screening_industrypolicy',
                        'ordering': ['code'],
                        'constraints': [models.CheckConstraint(condition=models.Q(('code__regex', '^[A-T][0-9]{0,4}$')), name='industry_policy_code_format')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
