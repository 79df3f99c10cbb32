"""The home page's work list: filters, sorting and pages over what the selectors let this person see,
the pipeline by state (a chart), and the open alerts. Reads only; no rule of its own."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms as django_forms
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from financing import selectors
from financing.models import PledgeApplication, State
from monitoring.models import Alert
from monitoring.selectors import alerts_for_listing
from portal import forms
from registration.models import Filing
from registration.deadlines import add_working_days
from registration.services import registrar_calendar

PAGE_SIZE = 25
SORTS = {
    "updated": ("-updated_at", "-id"),
    "oldest": ("created_at", "id"),
    "amount_desc": ("-amount_requested", "-id"),
    "amount_asc": ("amount_requested", "id"),
}
SEVERITY_ORDER = {"critical": 0, "warning": 1, "info": 2}


class WorkListFilter(django_forms.Form):
    """What the person asked to see; a value that cannot be read is ignored and said beside its field."""

    state = django_forms.MultipleChoiceField(choices=State.choices, required=False, label=_("State"))
    amount_min = django_forms.DecimalField(required=False, min_value=0, max_digits=16, decimal_places=2,
                                           label=_("Amount from"))
    amount_max = django_forms.DecimalField(required=False, min_value=0, max_digits=16, decimal_places=2,
                                           label=_("Amount up to"))
    deadline = django_forms.ChoiceField(required=False, label=_("Registrar's deadline"), choices=[
        ("", _("Any")), ("overdue", _("Overdue")), ("soon", _("Due within 2 working days")),
    ])
    sort = django_forms.ChoiceField(required=False, label=_("Sort by"), choices=[
        ("updated", _("Latest change first")), ("oldest", _("Oldest first")),
        ("amount_desc", _("Largest amount first")), ("amount_asc", _("Smallest amount first")),
    ])


def _pending_filings(**deadline):
    return Filing.objects.filter(application=OuterRef("pk"), status=Filing.Status.PENDING, **deadline)


def work_list(user, params, *, today: dt.date | None = None) -> dict:
    """The page's rows, counts per state, the pipeline chart and the filter form, for `params` (request.GET)."""
    today = today or timezone.localdate()
    visible = selectors.applications_visible_to(user)
    form = WorkListFilter(params)
    form.is_valid()  # what could be read is in cleaned_data; the rest is said beside its field
    chosen: dict = form.cleaned_data
    listed = visible
    if chosen.get("state"):
        listed = listed.filter(state__in=chosen["state"])
    if chosen.get("amount_min") is not None:
        listed = listed.filter(amount_requested__gte=chosen["amount_min"])
    if chosen.get("amount_max") is not None:
        listed = listed.filter(amount_requested__lte=chosen["amount_max"])
    if chosen.get("deadline") == "overdue":
        listed = listed.filter(Exists(_pending_filings(deadline__lt=today)))
    elif chosen.get("deadline") == "soon":
        until = add_working_days(today, 2, **registrar_calendar())
        listed = listed.filter(Exists(_pending_filings(deadline__gte=today, deadline__lte=until)))
    order = SORTS.get(chosen.get("sort") or "updated", SORTS["updated"])
    page = Paginator(
        listed.select_related("bank", "enterprise").prefetch_related("filings").order_by(*order), PAGE_SIZE
    ).get_page(params.get("page"))
    rows = []
    for application in page.object_list:
        deadline = selectors.deadline_of(application)
        rows.append({
            "application": application, "deadline": deadline, "overdue": bool(deadline and deadline < today),
            "state_label": forms.STATE_LABELS.get(application.state, application.state),
        })
    by_state = {
        row["state"]: (row["n"], row["amount"] or Decimal("0"))
        for row in visible.order_by().values("state").annotate(n=Count("id"), amount=Sum("amount_requested"))
    }
    pipeline = [
        {"state": state, "label": label, "count": by_state[state][0], "amount": by_state[state][1]}
        for state, label in forms.STATE_LABELS.items() if state in by_state
    ]
    # The chart's geometry (server-drawn SVG, no script): one 24-unit row per state, bars up to 300 wide.
    widest = max((p["count"] for p in pipeline), default=0)
    for row, p in enumerate(pipeline):
        p["y"] = 24 * row
        p["bar"] = round(300 * p["count"] / widest) if widest else 0
    query = params.copy()
    query.pop("page", None)
    return {
        "form": form,
        "rows": rows,
        "page": page,
        "pipeline": pipeline,
        "pipeline_height": 24 * len(pipeline),
        "per_state": [(p["state"], p["label"], p["count"]) for p in pipeline],
        "filtered": any(chosen.get(name) not in (None, "", []) for name in ("state", "amount_min", "amount_max", "deadline")),
        "query": query.urlencode(),
    }


def open_alerts(user, *, limit: int = 10) -> list[Alert]:
    """The open alerts on this person's pledges, the most severe and the newest first."""
    alerts = list(alerts_for_listing(user).filter(status=Alert.Status.OPEN).order_by("-last_seen", "-id")[:200])
    alerts.sort(key=lambda a: SEVERITY_ORDER.get(a.severity, 9))
    return alerts[:limit]
