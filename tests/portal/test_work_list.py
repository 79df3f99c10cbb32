"""The home page's work list: filters, sorting and pages over what the person may see; the pipeline and alerts."""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from monitoring.models import Alert
from registration.models import Filing
from tests.factories import ApplicationFactory, PatentFactory
from tests.registration.states import filed_application


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def listed(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<tr data-application="(\d+)"', html)]


@pytest.fixture
def book(world):
    """Five applications of the officer's bank and one of another bank."""
    mine = [
        ApplicationFactory(bank=world.bank, enterprise=world.enterprise, state=state, amount_requested=Decimal(amount))
        for state, amount in (("draft", "1000000.00"), ("submitted", "3000000.00"), ("submitted", "2000000.00"),
                              ("under_review", "9000000.00"), ("approved", "500000.00"))
    ]
    theirs = ApplicationFactory(bank=world.other_bank, state="submitted", amount_requested=Decimal("2500000.00"))
    return mine, theirs


def test_the_work_list_filters_by_state_and_amount_within_what_the_person_sees(world, book):
    mine, theirs = book
    client = client_for(world.officer)
    everything = listed(client.get("/").content.decode())
    assert set(everything) == {a.pk for a in mine}  # never another bank's
    submitted = listed(client.get("/", {"state": "submitted"}).content.decode())
    assert set(submitted) == {mine[1].pk, mine[2].pk}
    ranged = listed(client.get("/", {"amount_min": "1000000", "amount_max": "3000000"}).content.decode())
    assert set(ranged) == {mine[0].pk, mine[1].pk, mine[2].pk}
    both = listed(client.get("/", {"state": ["submitted", "approved"], "amount_max": "2000000"}).content.decode())
    assert set(both) == {mine[2].pk, mine[4].pk}


def test_the_work_list_sorts_by_amount(world, book):
    mine, _ = book
    client = client_for(world.officer)
    largest_first = listed(client.get("/", {"sort": "amount_desc"}).content.decode())
    amounts = {a.pk: a.amount_requested for a in mine}
    assert [amounts[pk] for pk in largest_first] == sorted(amounts.values(), reverse=True)
    smallest_first = listed(client.get("/", {"sort": "amount_asc"}).content.decode())
    assert smallest_first == list(reversed(largest_first))


def test_a_filter_that_cannot_be_read_is_said_and_ignored_not_a_500(world, book):
    mine, _ = book
    response = client_for(world.officer).get("/", {"amount_min": "lots", "state": "nonsense", "sort": "random"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-error-for="amount_min"' in html
    assert set(listed(html)) == {a.pk for a in mine}


def test_the_work_list_pages_and_keeps_the_filters_on_each_page(world):
    for n in range(30):
        ApplicationFactory(bank=world.bank, state="submitted", amount_requested=Decimal(1000 + n))
    client = client_for(world.officer)
    first = client.get("/", {"state": "submitted", "sort": "amount_asc"}).content.decode()
    assert len(listed(first)) == 25
    assert "state=submitted&amp;sort=amount_asc&amp;page=2" in first
    second = client.get("/", {"state": "submitted", "sort": "amount_asc", "page": "2"}).content.decode()
    assert len(listed(second)) == 5 and not set(listed(first)) & set(listed(second))


def test_the_overdue_filter_finds_filings_past_their_deadline(world):
    late = filed_application(world)
    on_time = filed_application(world)
    Filing.objects.filter(application=late).update(deadline=timezone.localdate() - dt.timedelta(days=2))
    Filing.objects.filter(application=on_time).update(deadline=timezone.localdate() + dt.timedelta(days=20))
    html = client_for(world.registrar).get("/", {"deadline": "overdue"}).content.decode()
    assert listed(html) == [late.pk]
    assert "data-overdue" in html


def test_the_pipeline_counts_each_state_and_its_amount(world, book):
    html = client_for(world.officer).get("/").content.decode()
    assert 'data-count-state="submitted" data-count="2"' in html
    assert 'data-count-state="under_review" data-count="1"' in html
    assert "5,000,000" in html or "5000000" in html  # the two submitted applications' amounts together


def test_open_alerts_show_on_the_home_of_the_bank_that_holds_the_pledge_only(world):
    application = ApplicationFactory(bank=world.bank, enterprise=world.enterprise, state="disbursed")
    patent = PatentFactory(owners=[world.enterprise])
    today = timezone.localdate()
    Alert.objects.create(application=application, patent=patent, kind=Alert.Kind.values[0], severity="critical",
                         message="The annual fee is unpaid", first_seen=today, last_seen=today)
    assert "data-alerts" in client_for(world.officer).get("/").content.decode()
    assert "data-alerts" in client_for(world.applicant).get("/").content.decode()
    assert "data-alerts" not in client_for(world.other_officer).get("/").content.decode()


def test_the_home_page_title_is_only_its_name(world):
    html = client_for(world.officer).get("/").content.decode()
    title = html[html.index("<title>") + 7: html.index("</title>")]
    assert "<" not in title and "Work list" in title
    assert html.count("data-email-settings") == 1
