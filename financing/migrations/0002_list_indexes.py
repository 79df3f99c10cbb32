"""Indexes matching each list ordering within a bank's, an enterprise's and the whole scope (issue 11).

The (bank, state) and (enterprise, state) indexes are prefixes of the new state ones and go.
"""
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('financing', '0001_initial'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='pledgeapplication',
            name='financing_p_bank_id_332be8_idx',
        ),
        migrations.RemoveIndex(
            model_name='pledgeapplication',
            name='financing_p_enterpr_924666_idx',
        ),
        migrations.AddIndex(
            model_name='pledgeapplication',
            index=models.Index(fields=['bank', '-created_at', '-id'], name='application_bank_recent'),
        ),
        migrations.AddIndex(
            model_name='pledgeapplication',
            index=models.Index(fields=['bank', 'state', '-created_at', '-id'], name='application_bank_state_recent'),
        ),
        migrations.AddIndex(
            model_name='pledgeapplication',
            index=models.Index(fields=['bank', '-amount_requested', '-id'], name='application_bank_amount'),
        ),
        migrations.AddIndex(
            model_name='pledgeapplication',
            index=models.Index(fields=['enterprise', '-created_at', '-id'], name='application_ent_recent'),
        ),
        migrations.AddIndex(
            model_name='pledgeapplication',
            index=models.Index(fields=['enterprise', 'state', '-created_at', '-id'], name='application_ent_state_recent'),
        ),
        migrations.AddIndex(
            model_name='pledgeapplication',
            index=models.Index(fields=['enterprise', '-amount_requested', '-id'], name='application_ent_amount'),
        ),
        migrations.AddIndex(
            model_name='pledgeapplication',
            index=models.Index(fields=['-created_at', '-id'], name='application_recent'),
        ),
    ]
