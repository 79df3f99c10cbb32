"""The portal's pages: thin views over the selectors and services the API uses; no rule of their own."""
from __future__ import annotations

import hashlib

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Bank
from accounts.roles import APPLICANT, BANK_OFFICER, BANK_ROLES, IP_OFFICE, role_of
from core.errors import DomainError, NotVisible, ValidationFailed
from documents.apis import MAX_UPLOAD_BYTES
from documents.selectors import document_by_hash_or_id, documents_of
from events.selectors import email_enabled_for
from events.services import email_preference_set
from financing import inputs, selectors, services
from financing.models import PledgeApplication
from patents.models import Patent
from portal import charts, forms, worklist
from programmes import selectors as programmes
from programmes import services as programme_services
from programmes.publicity import publicity_due
from programmes.serializers import ClaimInput, DecisionInput, EnrolmentInput, ProgrammeInput, RepaymentInput
from registration.selectors import public_register
from valuation.selectors import valuation_current_for

CREATE_FIELDS = ("bank", "patents", "amount_requested", "currency", "term_months", "purpose", "co_owner_consent")


def _errors_by_field(error: DomainError, fields) -> tuple[dict, str]:
    """The service's error placed beside the field it names; else shown above the form."""
    details = error.details if isinstance(error.details, dict) else {}
    named = [key for key in details if key in fields]
    if not named:
        return {}, error.message
    if error.code != "invalid":
        # A service's own refusal (e.g. a patent not owned) says it best in its own words.
        return {key: error.message for key in named}, ""
    return {key: forms.first_message(details[key]) for key in named}, ""


def _statistics(user) -> dict:
    """The user's statistics (all periods) with a bar chart of loans disbursed by month."""
    figures = programmes.statistics_for(user=user)
    months = figures["by_month"][-12:]
    return {"statistics": figures, "chart": charts.bars([(m["month"], m["amount"]) for m in months])}


def _office_home(request: HttpRequest, *, error: DomainError | None = None, status: int = 200) -> HttpResponse:
    user = request.user
    claims = list(programmes.claims_visible_to(user)[:50])
    return render(request, "portal/office_home.html", {
        "office": user.ip_office,
        "programmes": [(p, use, use.available(p.budget))
                       for p, use in ((p, programmes.budget_use(p)) for p in programmes.programmes_visible_to(user))],
        "pending": [c for c in claims if c.status == "pending"],
        "decided": [c for c in claims if c.status != "pending"],
        "kinds": ProgrammeInput().fields["kind"].choices.items(),
        "typed": request.POST if error is not None else None,
        "error": error.message if error is not None else "",
        **_statistics(user),
    }, status=status)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The work list: what this person may see, filtered and sorted as asked, the pipeline, the open alerts."""
    if role_of(request.user) == IP_OFFICE:
        return _office_home(request)
    role = role_of(request.user)
    listing = worklist.work_list(request.user, request.GET)
    if role == APPLICANT:
        for row in listing["rows"]:
            row["publicity_due"] = publicity_due(row["application"]) if row["application"].state in (
                "registered", "disbursed") else None
    return render(request, "portal/home.html", {
        **listing,
        "alerts": worklist.open_alerts(request.user),
        "may_apply": role == APPLICANT,
        "email_enabled": email_enabled_for(request.user),
        **(_statistics(request.user) if role in BANK_ROLES and request.user.bank_id else {}),
    })


def _posted(serializer_class, data) -> dict:
    """A form's fields as the API's payload: the CSRF token and fields left blank are not sent."""
    data = {key: value for key, value in data.items() if key != "csrfmiddlewaretoken" and value != ""}
    payload = serializer_class(data=data)
    if not payload.is_valid():
        raise ValidationFailed.from_details(payload.errors)
    return {key: value for key, value in payload.validated_data.items()}


@login_required
@require_POST
def programme_new(request: HttpRequest) -> HttpResponse:
    """The office's programme form: the API's payload, with shares as share_<party> fields."""
    data = {key: value for key, value in request.POST.items() if not key.startswith("share_")}
    shares = {key[6:]: value for key, value in request.POST.items() if key.startswith("share_") and value != ""}
    if shares and data.get("kind") == "risk_pool":
        data["shares"] = shares
    try:
        values = _posted(ProgrammeInput, data)
        if "shares" in values:
            values["shares"] = dict(values["shares"])
        programme_services.programme_create(by=request.user, **values)
    except DomainError as error:
        return _office_home(request, error=error, status=error.status_code)
    return redirect("portal:home")


@login_required
@require_POST
def claim_decide(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    try:
        claim = programmes.claim_get_visible(user=request.user, pk=pk)
    except NotVisible:
        raise Http404("no such claim") from None
    decide = {"approve": programme_services.claim_approve, "reject": programme_services.claim_reject}.get(decision)
    if decide is None:
        raise Http404("no such decision")
    try:
        decide(claim=claim, by=request.user, note=_posted(DecisionInput, request.POST)["note"])
    except DomainError as error:
        return _office_home(request, error=error, status=error.status_code)
    return redirect(reverse("portal:home") + f"#claim-{pk}")


@login_required
@require_POST
def loan_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """The lending officer's enrolment, repayment and claim forms on the application page."""
    application = _visible_or_404(request.user, pk)
    try:
        if action == "enrol":
            values = _posted(EnrolmentInput, request.POST)
            try:
                programme = programmes.programme_get_visible(user=request.user, pk=values["programme"])
            except NotVisible as error:
                raise ValidationFailed(error.message, details={"programme": [error.message]}) from None
            programme_services.enrolment_create(application=application, programme=programme,
                                                ip_secured_amount=values.get("ip_secured_amount"), by=request.user)
        elif action == "repay":
            programme_services.repayment_record(application=application, by=request.user,
                                                **_posted(RepaymentInput, request.POST))
        elif action == "claim":
            values = _posted(ClaimInput, request.POST)
            enrolment = programmes.enrolment_get_visible(user=request.user, pk=values["enrolment"])
            programme_services.claim_create(enrolment=enrolment, by=request.user,
                                            appraisal_fee=values.get("appraisal_fee"))
        else:
            raise Http404("no such action")
    except DomainError as error:
        return _application_page(request, application, failed=action, error=error, status=error.status_code)
    return redirect(reverse("portal:application", kwargs={"pk": pk}) + f"#done-{action}")


@login_required
@require_POST
def email_settings(request: HttpRequest) -> HttpResponse:
    """The home page's e-mail switch: notices of what awaits the user and of its applications' changes."""
    email_preference_set(user=request.user, email_enabled=request.POST.get("email_enabled") == "on")
    return redirect("portal:home")


def _own_patents(user):
    return Patent.objects.filter(owners=user.enterprise_id).order_by("number") if user.enterprise_id else Patent.objects.none()


@login_required
def application_new(request: HttpRequest) -> HttpResponse:
    """The applicant's form: the API's create payload, validated by the API's serializer, then the service."""
    errors: dict = {}
    general = ""
    typed = request.POST if request.method == "POST" else None
    status = 200
    if request.method == "POST":
        serializer = inputs.ApplicationWriteSerializer(data=request.POST)
        try:
            if not serializer.is_valid():
                raise ValidationFailed.from_details(serializer.errors)
            application = services.application_create(by=request.user, **serializer.validated_data)
        except DomainError as error:
            errors, general = _errors_by_field(error, CREATE_FIELDS)
            status = error.status_code
        else:
            return redirect("portal:application", pk=application.pk)
    return render(request, "portal/application_new.html", {
        "banks": Bank.objects.order_by("name"),
        "own_patents": _own_patents(request.user),
        "currencies": inputs.CURRENCIES,
        "typed": typed,
        "chosen_patents": typed.getlist("patents") if typed is not None else [],
        "chosen_consent": typed.getlist("co_owner_consent") if typed is not None else [],
        "errors": errors,
        "general_error": general,
        "may_apply": role_of(request.user) == APPLICANT,
    }, status=status)


@login_required
def application_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a draft: the API's write serializer reads the form, financing.services.application_update decides."""
    application = _visible_or_404(request.user, pk)
    errors: dict = {}
    general = ""
    status = 200
    if request.method == "POST":
        typed = request.POST
        serializer = inputs.ApplicationWriteSerializer(data=request.POST)
        try:
            if not serializer.is_valid():
                raise ValidationFailed.from_details(serializer.errors)
            services.application_update(application=application, by=request.user, **serializer.validated_data)
        except DomainError as error:
            errors, general = _errors_by_field(error, CREATE_FIELDS)
            status = error.status_code
        else:
            return redirect("portal:application", pk=application.pk)
    else:
        typed = QueryDict(mutable=True)
        typed.update({"bank": str(application.bank_id), "amount_requested": str(application.amount_requested),
                      "currency": application.currency, "term_months": str(application.term_months),
                      "purpose": application.purpose})
        pledged = list(application.pledged_patents.select_related("patent"))
        typed.setlist("patents", [pp.patent.number for pp in pledged])
        typed.setlist("co_owner_consent", [pp.patent.number for pp in pledged if getattr(pp, "co_owner_consent", False)])
        if application.state != "draft" or role_of(request.user) != APPLICANT:
            general = _("Only the enterprise's applicant may edit an application, and only while it is a draft.")
            status = 403 if role_of(request.user) != APPLICANT else 409  # the API's order: role, then state
    return render(request, "portal/application_new.html", {
        "editing": application,
        "banks": Bank.objects.order_by("name"),
        "own_patents": _own_patents(request.user),
        "currencies": inputs.CURRENCIES,
        "typed": typed,
        "chosen_patents": typed.getlist("patents"),
        "chosen_consent": typed.getlist("co_owner_consent"),
        "errors": errors,
        "general_error": general,
        "may_apply": role_of(request.user) == APPLICANT,
    }, status=status)


def _visible_or_404(user, pk) -> PledgeApplication:
    try:
        return selectors.application_get_visible(user=user, pk=pk)
    except NotVisible:
        raise Http404("no such application") from None


def _blocked_notes(application: PledgeApplication, user) -> list[dict]:
    """Transitions this user's role may fire from here but the service refuses (four-eyes), with its reason."""
    notes = []
    for transition in application.get_available_state_transitions():
        try:
            services.transition_authorise(application=application, name=transition.name, by=user)
        except DomainError as error:
            if error.code == "four_eyes":
                notes.append({"name": transition.name, "label": forms.TRANSITION_LABELS.get(transition.name, transition.name),
                              "message": error.message, "code": error.code})
    return notes


def _application_page(request, application, *, failed: str = "", error: DomainError | None = None, status=200):
    user = request.user
    credit = selectors.credit_view_of(user)
    terms = getattr(application, "terms", None)
    shown_terms = None
    if terms is not None:
        names = credit.terms or ("amount", "annual_rate", "term_months", "signed_on", "maturity_date",
                                 "disbursed_on", "repaid_on")
        shown_terms = [(name, forms.FIELD_LABELS.get(name, name.replace("_", " ")), getattr(terms, name, None))
                       for name in names if getattr(terms, name, None) not in (None, "")]
    valuation = valuation_current_for(application) if credit.valuation else None
    transitions = []
    for transition in application.get_available_user_state_transitions(user):
        mine = transition.name == failed
        field_errors = {}
        if mine and error is not None and isinstance(error.details, dict):
            field_errors = error.details
        transitions.append({
            "name": transition.name,
            "label": forms.TRANSITION_LABELS.get(transition.name, transition.name),
            "inputs": forms.transition_inputs(
                transition.name, typed=request.POST if mine else None, errors=field_errors
            ),
            "error": error.message if mine and error is not None else "",
            "valuation_form": forms.valuation_form(
                [pp.patent.number for pp in application.pledged_patents.all()], typed=request.POST if mine else None
            ) if transition.name == "complete_valuation" else None,
        })
    loan_forms = ("enrol", "repay", "claim")
    failed_elsewhere = error is not None and failed not in {t["name"] for t in transitions} | set(loan_forms)
    lending_officer = role_of(user) == BANK_OFFICER and user.bank_id == application.bank_id
    disbursed = terms is not None and terms.disbursed_on is not None
    valuation_patents = list(valuation.patent_valuations.select_related("patent")) if valuation is not None else []
    return render(request, "portal/application.html", {
        "application": application,
        "state_label": forms.STATE_LABELS.get(application.state, application.state),
        "pledged": list(application.pledged_patents.all()),
        "terms": shown_terms,
        "recommender": terms.recommended_by if terms is not None and credit.terms is None else None,
        "valuation": valuation,
        "valuation_patents": valuation_patents,
        "valuation_charts": charts.valuation_charts(valuation_patents, labels=forms.QUALITY_GROUP_LABELS),
        "documents": documents_of(application=application, user=user),
        "timeline": [
            {"entry": e, "transition_label": forms.TRANSITION_LABELS.get(e.transition, e.transition),
             "source_label": forms.STATE_LABELS.get(e.source_state, e.source_state),
             "target_label": forms.STATE_LABELS.get(e.target_state, e.target_state)}
            for e in selectors.audit_entries_for(application=application)
        ],
        "deadline": selectors.deadline_of(application),
        "transitions": transitions,
        "blocked": _blocked_notes(application, user),
        "page_error": error.message if failed_elsewhere else "",
        "page_error_code": error.code if error is not None else "",
        "loan_error": {"action": failed, "message": error.message, "details": error.details}
        if error is not None and failed in loan_forms else None,
        "ledger": {
            "outstanding_principal": programmes.outstanding_principal(application),
            "interest_paid": programmes.interest_paid(application),
            "repayments": list(application.repayments.all()),
        } if disbursed and credit.terms is None else None,
        "enrolments": list(programmes.enrolments_visible_to(user).filter(application=application))
        if disbursed else [],
        "enrol_programmes": list(programmes.programmes_visible_to(user))
        if lending_officer and application.state == "disbursed" else [],
        "lending_officer": lending_officer and disbursed,
        "publicity_due": publicity_due(application) if role_of(user) == APPLICANT and application.state in (
            "registered", "disbursed") else None,
    }, status=status)


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _application_page(request, _visible_or_404(request.user, pk))


@login_required
@require_POST
def application_transition(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """Fire one transition from its form; a refusal re-renders the page with the service's reason."""
    application = _visible_or_404(request.user, pk)
    if name not in services.TRANSITIONS:
        raise Http404("no such transition")
    payload = forms.payload_from_post(name, request.POST)
    try:
        services.application_transition(
            application=application, name=name, by=request.user, payload=payload, validate=forms.validate_posted
        )
    except DomainError as error:
        application = _visible_or_404(request.user, pk)  # as it stands: the refusal changed nothing
        return _application_page(request, application, failed=name, error=error, status=error.status_code)
    return redirect(reverse("portal:application", kwargs={"pk": pk}) + f"#done-{name}")


def register_search(request: HttpRequest) -> HttpResponse:
    """The public pledge register, as GET /api/v1/register/?patent= shows it."""
    patent = request.GET.get("patent", "").strip()
    result, error, status = None, "", 200
    if patent:
        try:
            result = public_register(patent=patent)
        except DomainError as refused:
            error, status = refused.message, refused.status_code
    return render(request, "portal/register.html", {"patent": patent, "result": result, "error": error}, status=status)


def verify(request: HttpRequest, key: str) -> HttpResponse:
    """The page a document's QR code opens: which document, of which application and stage; check a PDF."""
    try:
        document = document_by_hash_or_id(key)
    except NotVisible:
        raise Http404("no document has this hash or id") from None
    check = None
    status = 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None or upload.size > MAX_UPLOAD_BYTES:
            check = {"error": True}
            status = 400
        else:
            digest = hashlib.sha256()
            for chunk in upload.chunks():
                digest.update(chunk)
            check = {"sha256": digest.hexdigest(), "matches": digest.hexdigest() == document.sha256}
    meta = (document.content or {}).get("meta") or {}
    return render(request, "portal/verify.html", {
        "document": document,
        "issued_on": meta.get("issued_on"),
        "registration_number": meta.get("registration_number") or "",
        "stage_label": forms.STATE_LABELS.get(document.stage, document.stage),
        "check": check,
    }, status=status)
