"""The registrar's pages: the desk of filings by deadline, a filing with its pre-check, the patent register
(search, edit) and its CSV import. Thin views over registration's and patents' selectors and services."""
from __future__ import annotations

import io
import uuid

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import Enterprise
from core.errors import DomainError, NotVisible, PermissionRefused, ValidationFailed
from patents.imports import UnreadableFile, csv_rows, patents_import
from patents.models import Patent
from patents.numbers import PatentNumberError, normalise_patent_number
from patents.serializers import PatentSerializer
from patents.services import may_write_register, patent_update
from portal import forms
from registration import selectors as desk
from registration.deadlines import is_overdue
from registration.models import Filing
from registration.refusals import GROUND_TITLES
from registration.services import filing_precheck

PAGE_SIZE = 50
# What the desk can show; "pending" (awaiting a decision) first, as a registrar starts the day.
DESK_VIEWS = ("pending", "overdue", "registered", "refused", "cancelled", "all")
# The CSV a registrar may upload at once: a region's register fits well within it.
MAX_IMPORT_BYTES = 20 * 1024 * 1024
REJECTS_SESSION_KEY = "patent_import_rejects"


def _desk_or_403(user, **filters):
    try:
        return desk.filings_for_desk(user, **filters)
    except PermissionRefused as refused:
        raise PermissionDenied(refused.message) from None


def _ground_title(code: str) -> str:
    titles = GROUND_TITLES.get(code)
    if titles is None:
        return code
    return titles[1] if (get_language() or "").startswith("zh") else titles[0]


@login_required
def desk_list(request: HttpRequest) -> HttpResponse:
    """Filings by deadline, soonest first, overdue ones flagged."""
    show = request.GET.get("show", "pending")
    if show not in DESK_VIEWS:
        show = "pending"
    today = timezone.localdate()
    filters: dict = {"today": today}
    if show == "overdue":
        filters["overdue"] = True
    elif show != "all":
        filters["status"] = show
    page = Paginator(_desk_or_403(request.user, **filters), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {"filing": f, "overdue": f.status == Filing.Status.PENDING and is_overdue(f.deadline, today=today)}
        for f in page.object_list
    ]
    overdue_count = _desk_or_403(request.user, overdue=True, today=today).count()
    return render(request, "portal/desk.html", {
        "rows": rows, "page": page, "show": show, "views": DESK_VIEWS, "today": today, "overdue_count": overdue_count,
    })


@login_required
def desk_filing(request: HttpRequest, pk: int) -> HttpResponse:
    """One filing: its particulars, every refusal ground the pre-check finds with its evidence, and the decision forms."""
    _desk_or_403(request.user)
    try:
        filing = desk.filing_get_for_desk(request.user, pk=pk)
    except NotVisible:
        raise Http404("no such filing") from None
    today = timezone.localdate()
    pending = filing.status == Filing.Status.PENDING
    grounds = filing_precheck(filing=filing, on=today) if pending else []
    shown_grounds = [
        {"code": g.code, "title": _ground_title(g.code), "patent": g.patent, "evidence": sorted(g.evidence.items())}
        for g in grounds
    ]
    application = filing.application
    transitions = []
    if pending:
        found = {g.code for g in grounds}
        for transition in application.get_available_user_state_transitions(request.user):
            inputs = forms.transition_inputs(transition.name)
            for item in inputs:
                if item.name == "grounds":
                    item.values = sorted(found)  # what the pre-check found, for the registrar to confirm
            transitions.append({
                "name": transition.name,
                "label": forms.TRANSITION_LABELS.get(transition.name, transition.name),
                "inputs": inputs,
                "error": "",
                "valuation_form": None,
            })
    return render(request, "portal/desk_filing.html", {
        "filing": filing,
        "application": application,
        "patents": list(filing.filed_patents.all()),
        "overdue": pending and is_overdue(filing.deadline, today=today),
        "grounds": shown_grounds,
        "decided_grounds": [
            {"code": code, "title": _ground_title(code)}
            for code in (g.get("code", "") if isinstance(g, dict) else g for g in (filing.grounds or []))
        ],
        "transitions": transitions,
        "today": today,
    })


# --- the patent register -------------------------------------------------------------------------


@login_required
def patent_list(request: HttpRequest) -> HttpResponse:
    """The register, searched by number (any spelling) or title; registrars and admins may edit from here."""
    query = request.GET.get("q", "").strip()
    patents = Patent.objects.prefetch_related("owners").order_by("number")
    if query:
        match = Q(title__icontains=query)
        try:
            match |= Q(number__startswith=normalise_patent_number(query))
        except (PatentNumberError, ValueError):
            match |= Q(number__icontains=query.replace(" ", "").upper())
        patents = patents.filter(match)
    enterprise_id = getattr(request.user, "enterprise_id", None)
    mine = bool(enterprise_id) and request.GET.get("mine", "1" if not query else "") == "1"
    if mine:
        patents = patents.filter(owners=enterprise_id)
    page = Paginator(patents, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portal/patents.html", {
        "page": page, "query": query, "may_write": may_write_register(request.user),
        "may_choose_mine": bool(enterprise_id), "mine": mine,
    })


EDITABLE_FLAGS = ("ownership_frozen", "invalidation_pending", "same_day_twin", "foreign_family", "strategic_industry")
FLAG_LABELS = {
    "ownership_frozen": _("Ownership frozen (dispute or court preservation order)"),
    "invalidation_pending": _("Invalidation request pending"),
    "same_day_twin": _("Utility model with a same-day invention twin"),
    "foreign_family": _("Granted family member abroad"),
    "strategic_industry": _("Strategic emerging industry"),
}
EDITABLE_FIELDS = ("title", "grant_date", "status", "annual_fee_paid_until", "award", "term_adjustment_days")


def _may_write_or_403(user) -> None:
    if not may_write_register(user):
        raise PermissionDenied("only registrars and administrators may change the patent register")


@login_required
def patent_edit(request: HttpRequest, number: str) -> HttpResponse:
    """Edit one patent: the API's serializer reads the form, patents.services applies the register's rules."""
    _may_write_or_403(request.user)
    try:
        patent = Patent.objects.prefetch_related("owners").get(number=normalise_patent_number(number))
    except (Patent.DoesNotExist, PatentNumberError, ValueError):
        raise Http404("no such patent") from None
    errors: dict = {}
    general = ""
    status = 200
    saved = request.GET.get("saved") == "1"
    if request.method == "POST":
        data = {name: request.POST.get(name, "") for name in EDITABLE_FIELDS}
        for name in ("grant_date", "annual_fee_paid_until"):
            data[name] = data[name] or None
        data.update({name: name in request.POST for name in EDITABLE_FLAGS})
        data["owners"] = request.POST.getlist("owners")
        serializer = PatentSerializer(patent, data=data, partial=True)
        try:
            if not serializer.is_valid():
                raise ValidationFailed.from_details(serializer.errors)
            patent_update(patent=patent, by=request.user, **serializer.validated_data)
        except DomainError as error:
            details = error.details if isinstance(error.details, dict) else {}
            errors = {key: forms.first_message(value) for key, value in details.items()}
            general = "" if errors else error.message
            status = error.status_code
        else:
            return redirect(f"{request.path}?saved=1")
    typed = request.POST if request.method == "POST" else None
    owner_ids = ({int(v) for v in typed.getlist("owners") if v.isdigit()} if typed is not None
                 else {o.pk for o in patent.owners.all()})
    return render(request, "portal/patent_edit.html", {
        "patent": patent,
        "typed": typed,
        "errors": errors,
        "general_error": general,
        "saved": saved,
        "statuses": Patent.Status.choices,
        "awards": Patent.Award.choices,
        "flags": [(name, FLAG_LABELS[name], (name in typed) if typed is not None else getattr(patent, name),
                   errors.get(name, "")) for name in EDITABLE_FLAGS],
        "enterprises": Enterprise.objects.order_by("name"),
        "owner_ids": owner_ids,
    }, status=status)


@login_required
def patent_import(request: HttpRequest) -> HttpResponse:
    """Upload a CSV of the register; rows load whole or not at all; the rejected rows come back as a file."""
    _may_write_or_403(request.user)
    result = None
    error = ""
    status = 200
    rejects_key = ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error, status = "Choose a CSV file to upload.", 400
        elif upload.size > MAX_IMPORT_BYTES:
            error, status = f"The file is larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB.", 413
        else:
            try:
                text = io.TextIOWrapper(upload.file, encoding="utf-8-sig", newline="")
                rows, fieldnames = csv_rows(text, name=upload.name)
                result = patents_import(rows=rows, fieldnames=fieldnames, by=request.user)
            except UnreadableFile as unreadable:
                error, status = str(unreadable), 400
            else:
                if result.rejected:
                    rejects_key = uuid.uuid4().hex
                    stored = request.session.get(REJECTS_SESSION_KEY, {})
                    # Only the latest few imports' rejects are kept with the session.
                    stored = dict(list(stored.items())[-4:])
                    stored[rejects_key] = {"name": f"rejected-{upload.name}", "csv": result.rejects_csv()}
                    request.session[REJECTS_SESSION_KEY] = stored
    return render(request, "portal/patent_import.html", {
        "result": result, "error": error, "rejects_key": rejects_key, "max_mb": MAX_IMPORT_BYTES // (1024 * 1024),
    }, status=status)


@login_required
def patent_import_rejects(request: HttpRequest, key: str) -> HttpResponse:
    """The rejected rows of one of this person's imports, with an "errors" column, to correct and load again."""
    _may_write_or_403(request.user)
    stored = request.session.get(REJECTS_SESSION_KEY, {}).get(key)
    if stored is None:
        raise Http404("no such import in this session")
    response = HttpResponse(stored["csv"].encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{stored["name"]}"'
    return response
