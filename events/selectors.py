"""Reads of the events app: who subscribes to an event, who is awaited next, what a user may see of webhooks."""
from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from accounts.roles import APPLICANT, BANK_OFFICER, BANK_ROLES, IP_OFFICE, REGISTRAR, role_of
from core.errors import NotVisible
from events.models import Delivery, EmailPreference, Event, Webhook
from financing.models import PledgeApplication
from financing.selectors import applications_visible_to

# Who may manage webhooks: a bank's officer, for its bank; a local IP office, for its region.
WEBHOOK_ROLES = (BANK_OFFICER, IP_OFFICE)

# Transitions that move an application forward: whoever may fire one of these now is awaited.
# The others (withdraw, reject, send back, default, cancel, record a change) are always open to
# someone in some states, but nobody is waiting on them.
FORWARD_TRANSITIONS = frozenset({
    "submit", "complete_valuation", "start_review", "recommend", "approve", "sign_contracts", "sign_filing",
    "file_registration", "register", "request_correction", "refuse_registration", "disburse", "release", "dispose",
})


def webhooks_visible_to(user) -> QuerySet[Webhook]:
    """A bank officer sees (and manages) its bank's webhooks, an IP office its own; nobody else any."""
    role = role_of(user)
    if role == BANK_OFFICER and getattr(user, "bank_id", None):
        return Webhook.objects.filter(bank_id=user.bank_id)
    if role == IP_OFFICE and getattr(user, "ip_office_id", None):
        return Webhook.objects.filter(ip_office_id=user.ip_office_id)
    return Webhook.objects.none()


def webhook_get_visible(*, user, pk) -> Webhook:
    try:
        return webhooks_visible_to(user).get(pk=pk)
    except (Webhook.DoesNotExist, ValueError, TypeError):
        raise NotVisible("no such webhook", code="not_found") from None


def deliveries_of(*, webhook: Webhook) -> QuerySet[Delivery]:
    return webhook.deliveries.select_related("event").prefetch_related("attempt_log").order_by("-created_at", "-id")


def delivery_get_visible(*, user, webhook_pk, pk) -> Delivery:
    webhook = webhook_get_visible(user=user, pk=webhook_pk)
    try:
        return webhook.deliveries.select_related("event", "webhook").get(pk=pk)
    except (Delivery.DoesNotExist, ValueError, TypeError):
        raise NotVisible("no such delivery", code="not_found") from None


def webhooks_for_event(event: Event) -> QuerySet[Webhook]:
    """The active subscriptions that get `event` and asked for its type: the application's own bank's,
    and the local IP office's of the enterprise's region."""
    region = getattr(event.enterprise, "region", "") if event.enterprise_id else ""
    scope = Q(bank_id=event.bank_id)
    if region:
        scope |= Q(ip_office__region=region)
    hooks = Webhook.objects.filter(scope, active=True)
    return [hook for hook in hooks if event.type in hook.events]


def _emailable(users) -> list:
    opted_out = set(
        EmailPreference.objects.filter(user__in=[u.pk for u in users], email_enabled=False).values_list("user_id", flat=True)
    )
    return [u for u in users if u.is_active and u.email and u.pk not in opted_out]


def users_awaited_by(application: PledgeApplication) -> list:
    """The people who may move `application` forward now: its bank's staff, its enterprise's applicants, registrars.

    From the state machine's own declarations (each transition's roles, source states and
    conditions) and the users' visibility, so it agrees with what the API offers them.
    """
    User = get_user_model()
    candidates = User.objects.filter(
        Q(bank_id=application.bank_id) | Q(enterprise_id=application.enterprise_id) | Q(groups__name=REGISTRAR),
        is_active=True,
    ).distinct()
    awaited = []
    for user in candidates:
        if role_of(user) not in (APPLICANT, REGISTRAR, *BANK_ROLES):
            continue
        names = {t.name for t in application.get_available_user_state_transitions(user)}
        if names & FORWARD_TRANSITIONS and applications_visible_to(user).filter(pk=application.pk).exists():
            awaited.append(user)
    return awaited


def applicants_of(application: PledgeApplication) -> list:
    User = get_user_model()
    return list(User.objects.filter(enterprise_id=application.enterprise_id, groups__name=APPLICANT, is_active=True))


def email_enabled_for(user) -> bool:
    return not EmailPreference.objects.filter(user=user, email_enabled=False).exists()
