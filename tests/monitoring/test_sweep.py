"""The post-loan sweep against the database: each kind of alert, idempotence, resolution, batching."""
import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from monitoring.models import Alert
from monitoring.services import monitor_pledges_run
from monitoring.tasks import monitor_pledges_run as monitor_task
from tests.factories import active_pledge, patent

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 1)


def alert_rows():
    return sorted(Alert.objects.values_list(
        "id", "application_id", "patent_id", "kind", "severity", "status", "message", "details", "first_seen",
        "last_seen", "resolved_on",
    ))


@pytest.mark.parametrize(
    "facts, kind, severity",
    [
        ({"annual_fee_paid_until": dt.date(2026, 4, 15)}, "annual_fee_due", "warning"),
        ({"annual_fee_paid_until": dt.date(2026, 2, 1)}, "annual_fee_unpaid", "critical"),
        ({"kind": "utility_model", "filing_date": dt.date(2016, 6, 1)}, "expiry_within_term", "critical"),
        ({"invalidation_pending": True}, "invalidation_pending", "critical"),
        ({"ownership_frozen": True}, "ownership_frozen", "critical"),
        ({"status": "invalidated"}, "not_in_force", "critical"),
    ],
)
def test_each_kind_of_trouble_raises_its_alert(facts, kind, severity):
    troubled = patent(**facts)
    application = active_pledge(patents=[troubled, patent()])

    summary = monitor_pledges_run(today=TODAY)

    alert = Alert.objects.get()
    assert (alert.application_id, alert.patent_id, alert.kind, alert.severity, alert.status) == (
        application.id, troubled.id, kind, severity, "open",
    )
    assert alert.first_seen == alert.last_seen == TODAY
    assert troubled.number in alert.message
    assert (summary.pledges, summary.patents, summary.opened) == (1, 2, 1)


@pytest.mark.parametrize("state", ["registered", "disbursed", "defaulted"])
def test_every_active_state_is_watched(state):
    active_pledge(state=state, patents=[patent(ownership_frozen=True)])
    assert monitor_pledges_run(today=TODAY).opened == 1


@pytest.mark.parametrize("state", ["draft", "submitted", "approved", "contracted", "registration_filed", "released",
                                   "disposed", "withdrawn"])
def test_applications_not_under_a_registered_pledge_are_not_watched(state):
    active_pledge(state=state, patents=[patent(ownership_frozen=True)])
    summary = monitor_pledges_run(today=TODAY)
    assert summary.pledges == 0 and not Alert.objects.exists()


def test_running_twice_creates_and_changes_nothing():
    active_pledge(patents=[patent(annual_fee_paid_until=dt.date(2026, 2, 1), invalidation_pending=True)])
    active_pledge(patents=[patent(kind="utility_model", filing_date=dt.date(2017, 6, 1))])
    first = monitor_pledges_run(today=TODAY)
    rows = alert_rows()

    second = monitor_pledges_run(today=TODAY)

    assert first.opened == 3 and len(rows) == 3
    assert (second.opened, second.updated, second.resolved, second.still_open) == (0, 0, 0, 3)
    assert alert_rows() == rows


def test_a_later_sweep_moves_last_seen_and_keeps_first_seen():
    active_pledge(patents=[patent(ownership_frozen=True)])
    monitor_pledges_run(today=TODAY)
    monitor_pledges_run(today=TODAY + dt.timedelta(days=1))
    alert = Alert.objects.get()
    assert (alert.first_seen, alert.last_seen, alert.status) == (TODAY, TODAY + dt.timedelta(days=1), "open")


def test_trouble_that_ends_is_resolved_and_a_recurrence_opens_a_new_alert():
    frozen = patent(ownership_frozen=True)
    active_pledge(patents=[frozen])
    monitor_pledges_run(today=TODAY)

    frozen.ownership_frozen = False
    frozen.save()
    summary = monitor_pledges_run(today=TODAY + dt.timedelta(days=1))
    assert summary.resolved == 1
    assert Alert.objects.get().resolved_on == TODAY + dt.timedelta(days=1)

    frozen.ownership_frozen = True
    frozen.save()
    monitor_pledges_run(today=TODAY + dt.timedelta(days=2))
    assert sorted(Alert.objects.values_list("status", "first_seen")) == [
        ("open", TODAY + dt.timedelta(days=2)), ("resolved", TODAY),
    ]


def test_a_fee_that_falls_due_turns_from_due_into_unpaid():
    active_pledge(patents=[patent(annual_fee_paid_until=dt.date(2026, 3, 10))])
    monitor_pledges_run(today=TODAY)
    monitor_pledges_run(today=dt.date(2026, 3, 11))
    assert sorted(Alert.objects.values_list("kind", "status")) == [
        ("annual_fee_due", "resolved"), ("annual_fee_unpaid", "open"),
    ]


def test_changed_facts_update_the_open_alert_in_place():
    late = patent(annual_fee_paid_until=dt.date(2026, 1, 1))
    active_pledge(patents=[late])
    monitor_pledges_run(today=TODAY)
    late.annual_fee_paid_until = dt.date(2026, 2, 1)  # one year paid, the next one now overdue
    late.save()

    summary = monitor_pledges_run(today=TODAY)

    alert = Alert.objects.get()
    assert summary.updated == 1 and summary.opened == 0
    assert alert.details["due_on"] == "2026-02-01" and alert.status == "open"


def test_alerts_of_a_loan_that_ended_are_resolved():
    application = active_pledge(patents=[patent(invalidation_pending=True)])
    monitor_pledges_run(today=TODAY)
    type(application).objects.filter(pk=application.pk).update(state="released")

    summary = monitor_pledges_run(today=TODAY + dt.timedelta(days=1))

    assert summary.resolved == 1 and Alert.objects.get().status == "resolved"


def test_loan_end_uses_the_signed_terms():
    # Expires 2027-05-31. A 12-month loan signed 2026-01-15 ends 2027-01-15: within the margin only.
    utility = patent(kind="utility_model", filing_date=dt.date(2017, 6, 1))
    active_pledge(patents=[utility], term_months=12)
    monitor_pledges_run(today=TODAY)
    assert Alert.objects.get().severity == "warning"

    Alert.objects.all().delete()
    utility2 = patent(kind="utility_model", filing_date=dt.date(2017, 6, 1))
    active_pledge(patents=[utility2], term_months=24)  # ends 2028-01-15: after expiry
    monitor_pledges_run(today=TODAY)
    assert Alert.objects.get(patent=utility2).severity == "critical"


def test_small_batches_give_the_same_alerts_as_one_batch():
    for n in range(7):
        active_pledge(patents=[patent(ownership_frozen=n % 2 == 0), patent(invalidation_pending=n % 3 == 0)])
    active_pledge(state="draft", patents=[patent(ownership_frozen=True)])  # inside the id range, not active

    small = monitor_pledges_run(today=TODAY, batch_size=2)
    by_small = sorted(Alert.objects.values_list("application_id", "patent_id", "kind"))
    Alert.objects.all().delete()
    whole = monitor_pledges_run(today=TODAY, batch_size=1000)

    assert small.batches == 4 and whole.batches == 1
    assert small.pledges == whole.pledges == 7
    assert by_small == sorted(Alert.objects.values_list("application_id", "patent_id", "kind"))


def test_the_number_of_queries_does_not_grow_with_the_pledges(django_assert_max_num_queries):
    for n in range(25):
        active_pledge(patents=[patent(ownership_frozen=True), patent(annual_fee_paid_until=dt.date(2026, 1, 1))])
    # 13 (one per batch reads its UCC-1s), and 3 per batch that opens alerts for their outbox events
    # (read them back, check, insert).
    with django_assert_max_num_queries(16):
        monitor_pledges_run(today=TODAY)
    with django_assert_max_num_queries(13):
        monitor_pledges_run(today=TODAY + dt.timedelta(days=1))


def test_the_command_prints_the_summary(capsys):
    active_pledge(patents=[patent(ownership_frozen=True)])
    call_command("monitor_pledges", "--today", "2026-03-01")
    out = capsys.readouterr().out
    assert "2026-03-01: 1 active pledges" in out and "alerts opened 1" in out


def test_the_command_refuses_a_bad_date():
    with pytest.raises(CommandError, match="--today"):
        call_command("monitor_pledges", "--today", "31/03/2026")


def test_the_task_takes_an_iso_date_and_returns_a_json_summary():
    active_pledge(patents=[patent(ownership_frozen=True)])
    result = monitor_task.apply(kwargs={"today": "2026-03-01"}).get()
    assert result["today"] == "2026-03-01" and result["opened"] == 1
