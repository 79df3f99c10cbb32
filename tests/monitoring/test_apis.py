"""GET /api/v1/alerts/: who sees which alerts, the filters, the shape, and a bounded number of queries."""
import datetime as dt

import pytest

from monitoring.models import Alert
from monitoring.services import monitor_pledges_run
from tests.factories import active_pledge, patent

pytestmark = [pytest.mark.django_db]

URL = "/api/v1/alerts/"
TODAY = dt.date(2026, 3, 1)


@pytest.fixture
def alerts(world):
    """Alerts on a pledge to the world's bank by its enterprise, and on one to another bank by another firm."""
    ours = active_pledge(
        bank=world.bank, enterprise=world.enterprise,
        patents=[patent(owners=[world.enterprise], ownership_frozen=True),
                 patent(owners=[world.enterprise], annual_fee_paid_until=dt.date(2026, 4, 1))],
    )
    theirs = active_pledge(
        bank=world.other_bank, enterprise=world.other_enterprise,
        patents=[patent(owners=[world.other_enterprise], invalidation_pending=True)],
    )
    monitor_pledges_run(today=TODAY)
    return ours, theirs


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_bank_staff_see_their_banks_alerts_only(world, api, alerts):
    ours, theirs = alerts
    mine = set(Alert.objects.filter(application=ours).values_list("id", flat=True))
    assert len(mine) == 2
    assert ids(api(world.officer).get(URL)) == mine
    assert ids(api(world.approver).get(URL)) == mine
    assert ids(api(world.other_officer).get(URL)) == set(
        Alert.objects.filter(application=theirs).values_list("id", flat=True)
    )


def test_the_applicant_sees_its_own_enterprises_alerts(world, api, alerts):
    ours, theirs = alerts
    assert ids(api(world.applicant).get(URL)) == set(Alert.objects.filter(application=ours).values_list("id", flat=True))
    assert ids(api(world.other_applicant).get(URL)) == set(
        Alert.objects.filter(application=theirs).values_list("id", flat=True)
    )


@pytest.mark.parametrize("role", ["appraiser", "registrar"])
def test_appraisers_and_registrars_see_none(world, api, alerts, role):
    assert ids(api(getattr(world, role)).get(URL)) == set()


def test_the_admin_sees_all(world, api, alerts):
    assert len(ids(api(world.admin).get(URL))) == 3


def test_anonymous_callers_are_refused(api, alerts):
    response = api().get(URL)
    assert response.status_code in (401, 403)
    assert "error" in response.json()


def test_an_alert_of_another_bank_is_404_not_403(world, api, alerts):
    _, theirs = alerts
    other = Alert.objects.get(application=theirs)
    response = api(world.officer).get(f"{URL}{other.id}/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_the_shape_of_an_alert(world, api, alerts):
    ours, _ = alerts
    frozen = Alert.objects.get(application=ours, kind="ownership_frozen")
    body = api(world.officer).get(f"{URL}{frozen.id}/").json()
    assert body == {
        "id": frozen.id,
        "application": ours.id,
        "application_reference": ours.reference,
        "patent": frozen.patent.number,
        "patent_title": frozen.patent.title,
        "kind": "ownership_frozen",
        "severity": "critical",
        "status": "open",
        "message": frozen.message,
        "details": {},
        "first_seen": "2026-03-01",
        "last_seen": "2026-03-01",
        "resolved_on": None,
    }


def test_filters(world, api, alerts):
    ours, _ = alerts
    client = api(world.officer)
    due = Alert.objects.get(application=ours, kind="annual_fee_due")
    assert ids(client.get(URL, {"kind": "annual_fee_due"})) == {due.id}
    assert ids(client.get(URL, {"severity": "warning"})) == {due.id}
    assert len(ids(client.get(URL, {"kind": ["annual_fee_due", "ownership_frozen"]}))) == 2
    assert len(ids(client.get(URL, {"status": "open", "application": ours.id}))) == 2
    assert ids(client.get(URL, {"status": "resolved"})) == set()
    # Any accepted spelling of the number finds it.
    number = due.patent.number  # e.g. ZL202110100001.5
    spaced = f"{number[:2]} {number[2:6]} {number[6]} {number[7:]}"
    assert ids(client.get(URL, {"patent": spaced})) == {due.id}
    assert ids(client.get(URL, {"seen_since": "2026-03-02"})) == set()


@pytest.mark.parametrize(
    "params, field",
    [({"kind": "bogus"}, "kind"), ({"patent": "ZL202110921116.0"}, "patent"), ({"seen_since": "yesterday"}, "seen_since")],
)
def test_bad_filters_are_400_naming_the_field(world, api, alerts, params, field):
    response = api(world.officer).get(URL, params)
    assert response.status_code == 400
    assert field in response.json()["error"]["message"]


def test_listing_takes_a_fixed_number_of_queries(world, api, alerts, django_assert_max_num_queries):
    for _ in range(10):
        active_pledge(bank=world.bank, patents=[patent(invalidation_pending=True)])
    monitor_pledges_run(today=TODAY)
    client = api(world.officer)
    with django_assert_max_num_queries(5):
        assert len(ids(client.get(URL))) == 12
