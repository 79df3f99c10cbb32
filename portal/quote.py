"""The quote calculator (an enterprise before it applies) and the appraiser's live preview: the quote
endpoint's serializer and engine (valuation.services.valuation_quote) behind a form; no rule here."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core.errors import DomainError, NotVisible, ValidationFailed, first_error_message
from financing import selectors
from patents.models import Patent
from portal import forms
from valuation.serializers import PatentValuationResultSerializer, QuoteRequestSerializer
from valuation.services import valuation_quote

QUOTE_PREFIX = "quote"
PATENT_FIELDS = ("number", "kind", "filing_date", "grant_date", "term_adjustment_days", "award")
PATENT_FLAGS = ("strategic_industry", "foreign_family")


def _approaches_from_post(post, number: str) -> dict:
    """One patent's income, cost, market, quality and weights, as the per-patent form posts them."""
    data = post.copy()
    data.setlist("patents", [number])
    entries = forms.valuation_patents_from_post(data)
    entry = dict(entries[0]) if entries and isinstance(entries, list) else {}
    entry.pop("number", None)
    return entry


def _quote(payload: dict) -> tuple[dict | None, dict, str]:
    """The quote's result as the API renders it, or the errors by field and a general message."""
    serializer = QuoteRequestSerializer(data=payload)
    try:
        if not serializer.is_valid():
            raise ValidationFailed.from_details(serializer.errors)
        result = valuation_quote(**serializer.validated_data)
    except DomainError as error:
        details = error.details if isinstance(error.details, dict) else {}
        flat = _flatten(details)
        return None, flat, "" if flat else error.message
    return PatentValuationResultSerializer(result).data, {}, ""


def _flatten(details, prefix: str = "") -> dict[str, str]:
    """Nested serializer errors as {"income.discount_rate": "message"}, to show each beside its input."""
    flat: dict[str, str] = {}
    if isinstance(details, dict):
        for key, value in details.items():
            flat.update(_flatten(value, f"{prefix}{key}."))
    elif isinstance(details, list) and details and all(isinstance(item, (dict, list)) for item in details):
        for index, value in enumerate(details):
            flat.update(_flatten(value, f"{prefix}{index}."))
    elif details:
        flat[prefix.rstrip(".")] = first_error_message(details)
    return flat


def _own_patents(user):
    if not getattr(user, "enterprise_id", None):
        return Patent.objects.none()
    return Patent.objects.filter(owners=user.enterprise_id).order_by("number")


@login_required
def quote(request: HttpRequest) -> HttpResponse:
    """What a patent is worth and how much it could secure, as the person types; stores nothing."""
    typed = request.POST if request.method == "POST" else None
    own = {p.number: p for p in _own_patents(request.user)}
    result, errors, general = None, {}, ""
    if typed is not None:
        patent: dict = {}
        chosen = own.get(typed.get("own_patent", ""))
        if chosen is not None:  # one of the enterprise's own patents: the register describes it
            patent = {
                "number": chosen.number, "kind": chosen.kind, "filing_date": chosen.filing_date.isoformat(),
                "grant_date": chosen.grant_date.isoformat() if chosen.grant_date else None,
                "term_adjustment_days": chosen.term_adjustment_days, "award": chosen.award,
                "strategic_industry": chosen.strategic_industry, "foreign_family": chosen.foreign_family,
            }
        else:
            patent = {name: typed.get(f"patent.{name}", "").strip() for name in PATENT_FIELDS}
            patent = {name: value for name, value in patent.items() if value != ""}
            patent.update({name: f"patent.{name}" in typed for name in PATENT_FLAGS})
        payload = {"patent": patent, **_approaches_from_post(typed, QUOTE_PREFIX)}
        if typed.get("valuation_date", "").strip():
            payload["valuation_date"] = typed["valuation_date"].strip()
        result, errors, general = _quote(payload)
    context = {
        "result": result, "errors": errors, "general_error": general, "typed": typed,
        "own_patents": list(own.values()),
        "kinds": Patent.Kind.choices,
        "awards": Patent.Award.choices,
        "today": timezone.localdate(),
        # What was typed for the patent, to refill its inputs (their names hold dots).
        "described": ({name: typed.get(f"patent.{name}", "") for name in PATENT_FIELDS}
                      | {name: f"patent.{name}" in typed for name in PATENT_FLAGS}) if typed is not None else {},
        "t": {"valuation_form": [dict(vp, legend=_("How to value it"))
                                 for vp in forms.valuation_form([QUOTE_PREFIX], typed=typed)]},
    }
    if request.htmx:
        return render(request, "portal/_quote_result.html", context)
    return render(request, "portal/quote.html", context, status=400 if (errors or general) else 200)


@login_required
@require_POST
def valuation_preview(request: HttpRequest, pk: int, number: str) -> HttpResponse:
    """The appraiser's preview of one pledged patent while the valuation form is filled in."""
    try:
        application = selectors.application_get_visible(user=request.user, pk=pk)
    except NotVisible:
        raise Http404("no such application") from None
    pledged = {pp.patent.number: pp.patent for pp in application.pledged_patents.select_related("patent")}
    patent = pledged.get(number)
    if patent is None:
        raise Http404("not a patent of this application")
    payload = {
        "patent": {
            "number": patent.number, "kind": patent.kind, "filing_date": patent.filing_date.isoformat(),
            "grant_date": patent.grant_date.isoformat() if patent.grant_date else None,
            "granted": patent.grant_date is not None,
            "term_adjustment_days": patent.term_adjustment_days, "award": patent.award,
            "strategic_industry": patent.strategic_industry, "foreign_family": patent.foreign_family,
        },
        "currency": application.currency,
        **_approaches_from_post(request.POST, number),
    }
    if request.POST.get("valuation_date", "").strip():
        payload["valuation_date"] = request.POST["valuation_date"].strip()
    result, errors, general = _quote(payload)
    return render(request, "portal/_quote_result.html", {
        "result": result, "errors": errors, "general_error": general, "preview": True,
    })
