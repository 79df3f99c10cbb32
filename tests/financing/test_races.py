"""Races answer 409 with an audit entry, never 500; every change that wins keeps its own documents."""
from __future__ import annotations

import os
import threading
from collections import Counter
from decimal import Decimal

import pytest
from django.db import IntegrityError, OperationalError, connection, connections
from rest_framework.test import APIClient

from core.errors import Conflict
from documents.models import Document
from financing import services
from financing.models import AuditEntry, PledgeApplication
from registration import services as registration
from registration.models import Filing
from tests.financing.states import application_in, payloads_for, both_sides_signed

# The real-stack run raises this (PLEDGEFLOW_RACE_ROUNDS=100) for the figures of issue 10.
ROUNDS = int(os.environ.get("PLEDGEFLOW_RACE_ROUNDS", "5"))


@pytest.mark.django_db
def test_file_registration_on_a_stale_copy_is_a_409_with_its_audit_entry(world):
    application = application_in("contracted", world)
    services.application_sign_filing(application=application, by=world.applicant)
    stale = PledgeApplication.objects.get(pk=application.pk)
    services.application_file_registration(application=application, by=world.officer)
    with pytest.raises(Conflict) as refused:
        services.application_file_registration(application=stale, by=world.officer)
    assert refused.value.code == "concurrent_transition"
    assert Filing.objects.filter(application=application).count() == 1
    outcomes = list(AuditEntry.objects.filter(application=application, transition="file_registration")
                    .order_by("id").values_list("outcome", "error_code"))
    assert outcomes == [("succeeded", ""), ("refused", "concurrent_transition")]


@pytest.mark.django_db
@pytest.mark.parametrize("error", [IntegrityError("duplicate key value violates unique constraint"),
                                   OperationalError("deadlock detected")])
def test_a_database_race_inside_a_transition_is_a_409_with_one_audit_entry(world, monkeypatch, error):
    application = application_in("contracted", world)
    if isinstance(error, OperationalError):
        class Deadlock(Exception):
            sqlstate = "40P01"
        error.__cause__ = Deadlock()

    def collides(**kwargs):
        raise error

    monkeypatch.setattr(registration, "filing_create", collides)
    with pytest.raises(Conflict) as refused:
        services.application_file_registration(application=application, by=world.officer)
    assert refused.value.code == "concurrent_transition"
    application.refresh_from_db()
    assert application.state == "contracted"
    entries = list(AuditEntry.objects.filter(application=application, transition="file_registration")
                   .values_list("outcome", "error_code"))
    assert entries == [("refused", "concurrent_transition")]


@pytest.mark.django_db
def test_an_operational_error_that_is_no_race_is_not_dressed_as_a_409(world, monkeypatch):
    """The database gone is not a lost race: it propagates (the edge answers 503), nothing half-done."""
    application = application_in("contracted", world)

    def gone(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(registration, "filing_create", gone)
    with pytest.raises(OperationalError):
        services.application_file_registration(application=application, by=world.officer)
    application.refresh_from_db()
    assert application.state == "contracted"


@pytest.mark.django_db
def test_two_changes_one_after_the_other_each_keep_their_own_notice(world):
    application = application_in("registered", world)
    for amount in ("1000000.00", "900000.00"):
        services.application_record_change(application=application, by=world.registrar,
                                           changes={"debt_amount": Decimal(amount)})
    entries = AuditEntry.objects.filter(application=application, transition="record_change", outcome="succeeded")
    notices = Document.objects.filter(application=application, kind="change_notice")
    assert sorted(n.audit_entry_id for n in notices) == sorted(e.pk for e in entries)
    assert len(set(n.audit_entry_id for n in notices)) == 2


def _race(application, name, payloads, users):
    """Fire `name` from each user at once over HTTP (one thread and connection each); the statuses."""
    barrier = threading.Barrier(len(payloads))
    statuses: list[int] = []

    def post(user, payload):
        client = APIClient()
        client.force_authenticate(user)
        barrier.wait()
        try:
            response = client.post(f"/api/v1/applications/{application.pk}/transitions/{name}/", payload,
                                   format="json")
            statuses.append(response.status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(u, p)) for u, p in zip(users, payloads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return sorted(statuses)


def _needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent connections need PostgreSQL; SQLite is covered by the stale-copy tests above")


@pytest.mark.django_db(transaction=True)
def test_concurrent_file_registration_pairs_give_one_200_and_one_409_never_a_500(world):
    _needs_postgresql()
    results = []
    for _ in range(ROUNDS):
        application = both_sides_signed(application_in("contracted", world), world)
        payload = payloads_for(application)["file_registration"]
        statuses = _race(application, "file_registration", [payload, payload], [world.officer, world.applicant])
        outcomes = sorted(AuditEntry.objects.filter(application=application, transition="file_registration")
                          .values_list("outcome", flat=True))
        results.append((statuses, outcomes, Filing.objects.filter(application=application).count()))
    statuses = Counter(status for r in results for status in r[0])
    print(f"\nfile_registration: {ROUNDS} concurrent pairs, statuses {dict(sorted(statuses.items()))}, "
          f"{sum(r[2] for r in results)} filings")
    assert all(r == ([200, 409], ["refused", "succeeded"], 1) for r in results), results


@pytest.mark.django_db(transaction=True)
def test_concurrent_record_change_pairs_each_get_their_change_notice(world):
    _needs_postgresql()
    results = []
    for _ in range(ROUNDS):
        application = application_in("registered", world)
        payloads = [{"changes": {"debt_amount": amount}} for amount in ("1000000.00", "900000.00")]
        statuses = _race(application, "record_change", payloads, [world.registrar, world.registrar])
        entries = set(AuditEntry.objects.filter(application=application, transition="record_change",
                                                outcome="succeeded").values_list("pk", flat=True))
        notices = list(Document.objects.filter(application=application, kind="change_notice")
                       .values_list("audit_entry_id", flat=True))
        results.append((statuses, len(entries), sorted(notices) == sorted(entries)))
    statuses = Counter(status for r in results for status in r[0])
    print(f"\nrecord_change: {ROUNDS} concurrent pairs, statuses {dict(sorted(statuses.items()))}, "
          f"{sum(r[1] for r in results)} changes, {sum(r[2] for r in results)} rounds with a notice for each")
    assert all(r == ([200, 200], 2, True) for r in results), results
