"""An annual fee unpaid past its 6-month grace period: the patent lapsed as from the due date, the collateral is gone."""
import datetime as dt

import pytest

from monitoring import watch
from monitoring.models import Alert
from monitoring.services import monitor_pledges_run
from patents.facts import PatentFacts
from patents.terms import fee_grace_ends, fee_lapse_date
from registration import refusals
from tests.factories import active_pledge, patent

DUE = dt.date(2025, 8, 31)
POLICY = watch.WatchPolicy(fee_notice_days=90, protection_margin_months=6)


def test_the_grace_period_is_six_months_and_the_lapse_runs_from_the_due_date():
    assert fee_grace_ends(DUE) == dt.date(2026, 2, 28)  # clamped to the month's end
    assert fee_lapse_date(paid_until=DUE, on=dt.date(2026, 2, 28)) is None  # the last day of grace
    assert fee_lapse_date(paid_until=DUE, on=dt.date(2026, 3, 1)) == DUE
    assert fee_lapse_date(paid_until=None, on=dt.date(2030, 1, 1)) is None
    facts = PatentFacts(number="ZL202110921116.9", jurisdiction="CN", kind="invention",
                        filing_date=dt.date(2021, 8, 12), grant_date=dt.date(2023, 5, 9), annual_fee_paid_until=DUE)
    assert facts.in_force_on(dt.date(2026, 2, 28)) and not facts.in_force_on(dt.date(2026, 3, 1))


def test_the_watch_says_the_collateral_is_gone_once_the_grace_period_ends():
    facts = PatentFacts(number="ZL202110921116.9", jurisdiction="CN", kind="invention",
                        filing_date=dt.date(2021, 8, 12), grant_date=dt.date(2023, 5, 9), annual_fee_paid_until=DUE)
    within = watch.pledge_findings(patent=facts, loan_start=dt.date(2025, 6, 1), term_months=12,
                                   today=dt.date(2026, 2, 28), policy=POLICY)
    assert [(f.kind, f.severity) for f in within] == [("annual_fee_unpaid", "critical")]
    after = watch.pledge_findings(patent=facts, loan_start=dt.date(2025, 6, 1), term_months=12,
                                  today=dt.date(2026, 3, 1), policy=POLICY)
    assert [(f.kind, f.severity) for f in after] == [("fee_lapsed", "critical")]
    assert after[0].details["lapsed_on"] == DUE.isoformat() and "collateral is gone" in after[0].message


def test_the_precheck_finds_a_lapsed_patent_not_in_force():
    facts = PatentFacts(number="ZL202110921116.9", jurisdiction="CN", kind="invention", title="T",
                        filing_date=dt.date(2021, 8, 12), grant_date=dt.date(2023, 5, 9), annual_fee_paid_until=DUE)
    filing = refusals.PledgeFiling(
        pledgor_id=1, pledgee_id=2, debt_kind="loan", debt_amount=1, debt_currency="CNY",
        term_end=dt.date(2027, 1, 1),
        patents=(refusals.PatentOnRegister(facts=facts, owner_ids=frozenset({1})),),
    )
    grounds = refusals.refusal_grounds(filing, on=dt.date(2026, 3, 2))
    assert [g.code for g in grounds] == ["PATENT_NOT_IN_FORCE", "ANNUAL_FEE_UNPAID"]
    assert grounds[0].evidence["lapsed_on"] == DUE.isoformat()


@pytest.mark.django_db
def test_the_sweep_raises_a_critical_alert_the_bank_reads_over_the_api(world, api):
    pledge = active_pledge(
        bank=world.bank, enterprise=world.enterprise,
        patents=[patent(owners=[world.enterprise], annual_fee_paid_until=DUE)],
    )
    monitor_pledges_run(today=dt.date(2026, 2, 20))
    assert list(Alert.objects.filter(application=pledge, status="open").values_list("kind", flat=True)) == [
        "annual_fee_unpaid"
    ]
    monitor_pledges_run(today=dt.date(2026, 3, 2))
    open_alerts = Alert.objects.filter(application=pledge, status="open")
    assert list(open_alerts.values_list("kind", "severity")) == [("fee_lapsed", "critical")]
    rows = api(world.officer).get("/api/v1/alerts/").json()["results"]
    lapsed = [row for row in rows if row["kind"] == "fee_lapsed"]
    assert len(lapsed) == 1 and lapsed[0]["severity"] == "critical"
    assert "collateral is gone" in lapsed[0]["message"]


@pytest.mark.django_db
def test_a_patent_released_from_the_pledge_is_no_longer_watched(world):
    from django.utils import timezone

    from tests.financing.states import application_in, fire

    from tests.factories import PatentFactory

    # Fees paid relative to today (not `patent()`'s fixed 2027 date): the walk to disbursed registers
    # the pledge today, whatever day the suite runs on.
    lapsing, kept = PatentFactory(owners=[world.enterprise]), PatentFactory(owners=[world.enterprise])
    application = application_in("disbursed", world, patents=[kept, lapsing])
    lapsing.annual_fee_paid_until = timezone.localdate() - dt.timedelta(days=10)  # falls due while pledged
    lapsing.save()
    monitor_pledges_run(today=timezone.localdate())
    assert Alert.objects.filter(application=application, patent=lapsing, status="open").exists()
    fire(application=application, name="record_change", by=world.registrar,
         payload={"changes": {"release_patents": [lapsing.number]}})
    monitor_pledges_run(today=timezone.localdate())
    assert not Alert.objects.filter(application=application, patent=lapsing, status="open").exists()
