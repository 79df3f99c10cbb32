"""Contradiction (3): one patent, one expiry. A US design's term runs from grant on the register, in a valuation,
in the monitoring sweep and in the registrar's pre-check alike (before, valuation and monitoring counted from filing)."""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from financing.models import State
from tests.financing.states import fire
from monitoring.models import Alert
from monitoring.services import monitor_pledges_run
from patents.models import Patent
from registration import refusals
from registration.services import pledge_filing_of
from tests.factories import ApplicationFactory, PatentFactory
from tests.factories import active_pledge
from tests.registration.states import filed_application
from valuation.calculations import years_between
from valuation.models import PatentValuation

# A US design filed 2020-01-01 and granted 2022-06-01 runs 15 years from grant: its last day is
# 2037-06-01. Counted from filing it would be 2035-01-01, which valuation and monitoring used to do.
FILED, GRANTED, LAST_DAY = dt.date(2020, 1, 1), dt.date(2022, 6, 1), dt.date(2037, 6, 1)


def us_design(world, number: str) -> Patent:
    return PatentFactory(number=number, jurisdiction="US", kind="design", filing_date=FILED, grant_date=GRANTED,
                         owners=[world.enterprise])


def test_a_us_design_expires_on_the_same_day_everywhere(world):
    patent = us_design(world, "USD912345S")

    # The register.
    assert patent.expiry_date == LAST_DAY

    # A valuation stores the same expiry, and the remaining term up to it.
    application = ApplicationFactory(state=State.SUBMITTED, enterprise=world.enterprise, bank=world.bank,
                                     created_by=world.applicant, patents=[patent])
    today = timezone.localdate()
    fire(application=application, name="complete_valuation", by=world.appraiser, payload={
        "valuation_date": today.isoformat(),
        "patents": [{"number": patent.number, "cost": {"replacement_cost": "1000000.00"}}],
    })
    valued = PatentValuation.objects.get(patent=patent)
    assert valued.expiry_date == LAST_DAY
    protected_years = years_between(today, LAST_DAY + dt.timedelta(days=1))
    assert valued.remaining_term_years == protected_years.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)

    # The monitoring sweep: an 11-year loan from 2026-03-02 needs protection until 2038-03-01.
    active_pledge(patents=[patent], signed_on=dt.date(2026, 3, 2), term_months=132)
    monitor_pledges_run(today=dt.date(2026, 3, 2))
    alert = Alert.objects.get(patent=patent, kind=Alert.Kind.EXPIRY_WITHIN_TERM)
    assert alert.details["expiry_date"] == LAST_DAY.isoformat()

    # The registrar's pre-check: a debt term through the last day is fine, one day more is not.
    # (Another US design with the same dates: a patent is under one pledge at a time.)
    filing = filed_application(world, [us_design(world, "USD912346S")]).filings.get()
    on = dt.date(2026, 3, 2)
    fits = refusals.refusal_grounds(pledge_filing_of(filing, term_end=LAST_DAY), on=on)
    assert refusals.TERM_EXCEEDS_PATENT not in {g.code for g in fits}
    beyond = refusals.refusal_grounds(pledge_filing_of(filing, term_end=LAST_DAY + dt.timedelta(days=1)), on=on)
    (ground,) = [g for g in beyond if g.code == refusals.TERM_EXCEEDS_PATENT]
    assert ground.evidence["expiry_date"] == LAST_DAY.isoformat()

