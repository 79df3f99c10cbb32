"""The daily sweep as beat sends it: by task name, through Redis, run by the worker on PostgreSQL."""
import datetime as dt

import pytest

from monitoring.models import Alert
from monitoring.tasks import monitor_pledges_run
from tests.factories import active_pledge, patent

pytestmark = [pytest.mark.realstack, pytest.mark.django_db(transaction=True)]


def test_the_worker_runs_the_scheduled_sweep(through_the_broker):
    application = active_pledge(patents=[patent(ownership_frozen=True), patent()])

    summary = monitor_pledges_run.apply_async(kwargs={"today": "2026-03-01"}).get(timeout=90)

    assert summary["opened"] == 1 and summary["pledges"] == 1
    alert = Alert.objects.get()
    assert (alert.application_id, alert.kind, alert.first_seen) == (application.id, "ownership_frozen",
                                                                    dt.date(2026, 3, 1))
    again = monitor_pledges_run.apply_async(kwargs={"today": "2026-03-01"}).get(timeout=90)
    assert again["opened"] == 0 and Alert.objects.count() == 1
