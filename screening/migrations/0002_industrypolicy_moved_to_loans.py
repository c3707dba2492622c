# The industry policy now belongs to the ledger (loans 0005 takes it over in the migration
# state); the table screening_industrypolicy stays and keeps its rows.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('screening', '0001_initial'),
        ('loans', '0005_industrypolicy'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='IndustryPolicy')],
            database_operations=[],
        ),
    ]
