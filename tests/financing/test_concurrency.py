"""Two people firing at once: exactly one wins, the other gets 409, and the audit shows both."""
from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from rest_framework.test import APIClient

from core.errors import Conflict
from financing import services
from financing.models import AuditEntry, PledgeApplication
from tests.factories import UserFactory
from tests.financing.states import application_in


def test_two_approvals_on_stale_copies_one_wins_one_gets_409(db, world):
    """Both approvers loaded the application while it was `recommended`; both fire approve."""
    second_approver = UserFactory(role="bank_approver", bank=world.bank)
    application = application_in("recommended", world)
    copy_1 = PledgeApplication.objects.get(pk=application.pk)
    copy_2 = PledgeApplication.objects.get(pk=application.pk)

    services.application_approve(application=copy_1, by=world.approver)
    with pytest.raises(Conflict) as refused:
        services.application_approve(application=copy_2, by=second_approver)

    assert refused.value.code == "concurrent_transition"
    fresh = PledgeApplication.objects.select_related("terms").get(pk=application.pk)
    assert fresh.state == "approved"
    # The loser's writes (its name as approver) were rolled back with its transition.
    assert fresh.terms.approved_by == world.approver
    approvals = AuditEntry.objects.filter(application=application, transition="approve").order_by("id")
    assert [(e.actor, e.outcome, e.error_code) for e in approvals] == [
        (world.approver, "succeeded", ""),
        (second_approver, "refused", "concurrent_transition"),
    ]


def test_different_transitions_racing_from_the_same_state(db, world):
    """An approver approves while the officer, on an older copy, asks for revaluation."""
    application = application_in("recommended", world)
    officers_copy = PledgeApplication.objects.get(pk=application.pk)
    services.application_approve(application=application, by=world.approver)
    with pytest.raises(Conflict):
        services.application_request_revaluation(application=officers_copy, by=world.officer, note="expired")
    assert PledgeApplication.objects.get(pk=application.pk).state == "approved"


@pytest.mark.django_db(transaction=True)
def test_two_approvals_over_http_at_the_same_moment(world):
    """Two threads, two connections, released together by a barrier. Needs a server database."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent connections need PostgreSQL; SQLite is covered by the stale-copy test above")
    second_approver = UserFactory(role="bank_approver", bank=world.bank)
    for _ in range(5):
        application = application_in("recommended", world)
        barrier = threading.Barrier(2)
        statuses = []

        def approve(user, application=application, barrier=barrier, statuses=statuses):
            client = APIClient()
            client.force_authenticate(user)
            barrier.wait()
            try:
                response = client.post(f"/api/v1/applications/{application.pk}/transitions/approve/", {}, format="json")
                statuses.append(response.status_code)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=approve, args=(u,)) for u in (world.approver, second_approver)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert sorted(statuses) == [200, 409]
        assert PledgeApplication.objects.get(pk=application.pk).state == "approved"
        outcomes = sorted(
            AuditEntry.objects.filter(application=application, transition="approve").values_list("outcome", flat=True)
        )
        assert outcomes == ["refused", "succeeded"]
