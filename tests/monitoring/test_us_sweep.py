"""The sweep on US pledges, read back through GET /api/v1/alerts/: a late recording, a UCC-1 in its
continuation window and after its lapse, and maintenance fees in place of annual fees."""
import datetime as dt

import pytest
from django.utils import timezone

from monitoring.models import Alert
from monitoring.services import monitor_pledges_run
from registration.models import UccFiling
from tests.factories import active_pledge, patent
from tests.financing.states import fire
from tests.registration.states import filed_application

pytestmark = [pytest.mark.django_db]

URL = "/api/v1/alerts/"
SIGNED = dt.date(2026, 1, 15)


def us_patent(owners, number="US10123456B2", **fields):
    return patent(owners=owners, number=number, jurisdiction="US", kind="invention",
                  filing_date=dt.date(2017, 3, 1), grant_date=dt.date(2019, 8, 20), **fields)


def alerts_seen(api, user):
    response = api(user).get(URL)
    assert response.status_code == 200, response.content
    return {(row["kind"], row["severity"]) for row in response.json()["results"]}


@pytest.mark.parametrize("today, severity", [(dt.date(2026, 4, 15), "warning"), (dt.date(2026, 4, 16), "critical")])
def test_a_us_agreement_not_recorded_three_months_after_execution(api, world, today, severity):
    for state in ("contracted", "registration_filed"):
        active_pledge(state=state, bank=world.bank, enterprise=world.enterprise, signed_on=SIGNED,
                      patents=[us_patent([world.enterprise], number=f"US1012345{len(state) % 10}B2")])
    # A Chinese pledge not yet registered is not watched at all.
    active_pledge(state="contracted", bank=world.bank, enterprise=world.enterprise, signed_on=SIGNED,
                  patents=[patent(owners=[world.enterprise], ownership_frozen=True)])
    monitor_pledges_run(today=today)
    assert alerts_seen(api, world.officer) == {("us_recording_due", severity)}
    assert Alert.objects.count() == 2
    alert = Alert.objects.first()
    assert alert.details == {"executed_on": "2026-01-15", "record_by": "2026-04-15"}


def test_recording_resolves_the_alert(api, world):
    application = filed_application(world, [us_patent([world.enterprise])])
    signed_on = application.terms.signed_on
    monitor_pledges_run(today=signed_on + dt.timedelta(days=100))
    assert Alert.objects.get().kind == "us_recording_due"
    fire(application=application, name="register", by=world.registrar,
         payload={"reel": 70001, "frame": 12, "recorded_on": timezone.localdate().isoformat()})
    monitor_pledges_run(today=signed_on + dt.timedelta(days=101))
    assert Alert.objects.get().status == "resolved"


@pytest.mark.parametrize("today, expected", [
    (dt.date(2026, 1, 3), set()),
    (dt.date(2026, 1, 4), {("ucc1_continuation_window", "warning")}),
    (dt.date(2026, 7, 4), {("ucc1_lapsed", "critical")}),
])
def test_a_ucc1_in_its_continuation_window_and_lapsed(api, world, today, expected):
    application = filed_application(world, [us_patent([world.enterprise], annual_fee_paid_until=dt.date(2027, 2, 20))])
    fire(application=application, name="register", by=world.registrar,
         payload={"reel": 70001, "frame": 12, "recorded_on": timezone.localdate().isoformat()})
    UccFiling.objects.create(filing=application.filings.get(), state="DE", file_number="2021 4455667",
                             filed_on=dt.date(2021, 7, 4), recorded_by=world.officer)
    monitor_pledges_run(today=today)
    assert {k for k in alerts_seen(api, world.officer) if k[0].startswith("ucc1")} == expected


@pytest.mark.parametrize("today, expected", [
    (dt.date(2026, 8, 19), set()),
    (dt.date(2026, 8, 20), {("maintenance_fee_due", "warning")}),
    (dt.date(2027, 2, 21), {("maintenance_fee_unpaid", "critical")}),
    (dt.date(2027, 8, 21), {("fee_lapsed", "critical")}),
])
def test_maintenance_fees_in_place_of_annual_fees(api, world, today, expected):
    # The 3.5-year fee paid: the fees run to the 7.5-year date, 2027-02-20.
    active_pledge(bank=world.bank, enterprise=world.enterprise, signed_on=dt.date(2026, 1, 15), term_months=12,
                  patents=[us_patent([world.enterprise], annual_fee_paid_until=dt.date(2027, 2, 20))])
    monitor_pledges_run(today=today)
    seen = alerts_seen(api, world.officer)
    assert not {k for k in seen if k[0].startswith("annual_fee")}
    assert {k for k in seen if k[0] in ("maintenance_fee_due", "maintenance_fee_unpaid", "fee_lapsed")} == expected
