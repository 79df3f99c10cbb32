"""What each stage document says, gathered from the application, its terms, valuation and registration filing.

The one place that reads the database for the PDFs: it turns rows into the plain
content dataclasses of documents.pdf.content. Valuation and registration rows
are read defensively (getattr with defaults), so a document still says what is
known when a figure is missing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from documents.pdf import content as c
from documents.pdf.wording import DEBT_KINDS, bilingual

# transition -> the stage of DOMAIN.md §6 its documents belong to
STAGES: dict[str, str] = {
    "submit": "submitted",
    "complete_valuation": "valued",
    "approve": "approved",
    "reject": "rejected",
    "sign_contracts": "contracted",
    "file_registration": "registration_filed",
    "register": "registered",
    "refuse_registration": "registration_refused",
    "record_change": "changed",
    "release": "released",
    "dispose": "disposed",
}

# kinds that differ by patent office: (China, United States)
_BY_OFFICE = {
    "file_registration": ("registration_application", "us_recordation_cover_sheet"),
    "release": ("cancellation_notice", "us_release_cover_sheet"),
    "dispose": ("cancellation_notice", "us_release_cover_sheet"),
}
_FIXED = {
    "submit": ("application_form",),
    "complete_valuation": ("valuation_report",),
    "approve": ("credit_approval_letter",),
    "reject": ("rejection_letter",),
    "sign_contracts": ("loan_contract", "pledge_contract"),
    "register": ("registration_notice",),
    "refuse_registration": ("refusal_notice",),
    "record_change": ("change_notice",),
    "dispose": ("enforcement_record",),
}
US_KINDS = frozenset({"us_recordation_cover_sheet", "us_release_cover_sheet"})


def kinds_for(*, application, transition: str) -> tuple[str, ...]:
    """The document kinds a transition produces (WORKFLOW.md); US patents get the US cover sheets.

    A portfolio with patents at both offices gets both forms, each listing its own office's patents.
    The registration of a disposed pledge is cancelled too, so disposal also gives a cancellation notice.
    """
    kinds = list(_FIXED.get(transition, ()))
    if transition in _BY_OFFICE:
        china, united_states = _BY_OFFICE[transition]
        offices = {pp.patent.jurisdiction for pp in application.pledged_patents.select_related("patent")}
        if offices != {"US"}:  # China, and anywhere not the US, files the CN form
            kinds.append(china)
        if "US" in offices:
            kinds.append(united_states)
    return tuple(kinds)


# --- small readers ----------------------------------------------------------------------------


def _person(user) -> str:
    if user is None:
        return ""
    return (user.get_full_name() or "").strip() or user.username


def _day(moment) -> dt.date | None:
    if moment is None:
        return None
    if isinstance(moment, dt.datetime):
        return timezone.localdate(moment) if timezone.is_aware(moment) else moment.date()
    return moment


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    return Decimal(str(value))


def enterprise_party(enterprise) -> c.Party:
    return c.Party(
        name=enterprise.name,
        name_zh=getattr(enterprise, "name_zh", "") or "",
        address=getattr(enterprise, "address", "") or "",
        credit_code=getattr(enterprise, "credit_code", "") or "",
    )


def bank_party(bank) -> c.Party:
    return c.Party(name=bank.name, name_zh=getattr(bank, "name_zh", "") or "", address=getattr(bank, "address", "") or "")


def _patent_line(patent, consent: bool | None) -> c.PatentLine:
    try:
        expiry = patent.expiry_date
    except Exception:  # a patent whose term cannot be computed still belongs on the list
        expiry = None
    co_owned = len(patent.owners.all()) > 1
    return c.PatentLine(
        number=patent.number,
        title=patent.title,
        kind=patent.kind,
        jurisdiction=patent.jurisdiction,
        filing_date=patent.filing_date,
        grant_date=patent.grant_date,
        expiry_date=expiry,
        status=patent.status,
        co_owner_consent=consent if co_owned else None,
    )


def application_patents(application, jurisdiction: str | None = None) -> tuple[c.PatentLine, ...]:
    pledged = application.pledged_patents.select_related("patent").prefetch_related("patent__owners").order_by("id")
    return tuple(
        _patent_line(pp.patent, pp.co_owner_consent)
        for pp in pledged
        if jurisdiction is None or pp.patent.jurisdiction == jurisdiction
    )


def _filed_patents(filing, application, jurisdiction: str | None = None) -> tuple[c.PatentLine, ...]:
    filed = getattr(filing, "filed_patents", None)
    if filed is None:
        return application_patents(application, jurisdiction)
    rows = filed.select_related("patent").prefetch_related("patent__owners").order_by("id")
    patents = tuple(
        _patent_line(fp.patent, fp.co_owner_consent)
        for fp in rows
        if jurisdiction is None or fp.patent.jurisdiction == jurisdiction
    )
    return patents or application_patents(application, jurisdiction)


def _terms(application):
    try:
        return application.terms
    except Exception:  # no terms recommended yet
        return None


def _current_valuation(application):
    valuations = getattr(application, "valuations", None)
    if valuations is None:
        return None
    return valuations.order_by("-version").first()


def _filings(application):
    filings = getattr(application, "filings", None)
    return filings.order_by("-sequence") if filings is not None else None


def _latest_filing(application, *statuses: str):
    filings = _filings(application)
    if filings is None:
        return None
    if statuses:
        filings = filings.filter(status__in=statuses)
    return filings.first()


def registration_number_of(application) -> str:
    filings = _filings(application)
    if filings is None:
        return ""
    filing = filings.exclude(registration_number__isnull=True).exclude(registration_number="").first()
    return filing.registration_number if filing else ""


def _pledgor(filing, application) -> c.Party:
    party = enterprise_party(application.enterprise)
    if filing is None:
        return party
    return c.Party(
        name=getattr(filing, "pledgor_name", "") or party.name,
        name_zh=getattr(filing, "pledgor_name_zh", "") or party.name_zh,
        address=getattr(filing, "pledgor_address", "") or party.address,
        credit_code=party.credit_code,
    )


def _pledgee(filing, application) -> c.Party:
    party = bank_party(application.bank)
    if filing is None:
        return party
    return c.Party(
        name=getattr(filing, "pledgee_name", "") or party.name,
        name_zh=getattr(filing, "pledgee_name_zh", "") or party.name_zh,
        address=getattr(filing, "pledgee_address", "") or party.address,
    )


def _money(amount, currency: str) -> c.Money:
    return c.Money(_decimal(amount) if amount is not None else Decimal("0"), currency or "CNY")


# --- per kind -----------------------------------------------------------------------------------


class Gathering:
    """Everything one document needs to know about its stage occurrence."""

    def __init__(self, *, application, audit_entry, verify_url: str):
        self.application = application
        self.entry = audit_entry
        self.issued_on = _day(audit_entry.at) or timezone.localdate()
        self.payload = audit_entry.payload if isinstance(audit_entry.payload, dict) else {}
        self.actor = _person(audit_entry.actor)
        self.terms = _terms(application)
        self.verify_url = verify_url

    def meta(self, *, registration_number: str = "") -> c.DocumentMeta:
        return c.DocumentMeta(
            application_reference=self.application.reference,
            issued_on=self.issued_on,
            verify_url=self.verify_url,
            registration_number=registration_number,
        )

    @property
    def enterprise(self) -> c.Party:
        return enterprise_party(self.application.enterprise)

    @property
    def bank(self) -> c.Party:
        return bank_party(self.application.bank)

    def loan(self) -> c.Money:
        amount = self.terms.amount if self.terms else self.application.amount_requested
        return _money(amount, self.application.currency)

    def debt_term(self, filing=None) -> tuple[dt.date, dt.date]:
        start = getattr(filing, "term_start", None) or (self.terms.signed_on if self.terms else None) or self.issued_on
        end = getattr(filing, "term_end", None) or (self.terms.maturity_date if self.terms else None) or start
        return start, end


def _application_form(g: Gathering) -> c.ApplicationForm:
    a = g.application
    return c.ApplicationForm(
        meta=g.meta(),
        applicant=g.enterprise,
        bank=g.bank,
        amount_requested=_money(a.amount_requested, a.currency),
        term_months=a.term_months,
        purpose=a.purpose,
        patents=application_patents(a),
        submitted_on=g.issued_on,
        submitted_by=g.actor or _person(a.created_by),
    )


def _cash_flows(workings: dict) -> tuple[c.CashFlowYear, ...]:
    rows = []
    for year in workings.get("cash_flows") or ():
        rows.append(
            c.CashFlowYear(
                year=int(year.get("year", len(rows) + 1)),
                revenue=_decimal(year.get("revenue")) or Decimal("0"),
                protected_fraction=_decimal(year.get("protected_fraction")) or Decimal("0"),
                royalty_after_tax=_decimal(year.get("after_tax", year.get("royalty_after_tax"))) or Decimal("0"),
                discount_factor=_decimal(year.get("discount_factor")) or Decimal("0"),
                present_value=_decimal(year.get("present_value")) or Decimal("0"),
            )
        )
    return tuple(rows)


def _quality(workings: dict) -> tuple[tuple[c.QualityDimension, ...], tuple[str, ...]]:
    quality = workings.get("quality") or {}
    scores, weights = quality.get("dimensions") or {}, quality.get("weights") or {}
    dimensions = tuple(
        c.QualityDimension(name=name, score=_decimal(score) or Decimal("0"), weight=_decimal(weights.get(name)) or Decimal("0"))
        for name, score in scores.items()
    )
    defaulted = tuple(str(item).split(".")[-1] for item in quality.get("defaulted") or ())
    return dimensions, defaulted


def _patent_valuation(row, application) -> c.PatentValuation:
    workings = row.workings if isinstance(getattr(row, "workings", None), dict) else {}
    inputs = row.inputs if isinstance(getattr(row, "inputs", None), dict) else {}
    income = inputs.get("income") or {}
    dimensions, defaulted = _quality(workings)
    line = _patent_line(row.patent, None)
    if getattr(row, "expiry_date", None):
        line = dataclasses.replace(line, expiry_date=row.expiry_date)
    categories = row.high_value_categories or workings.get("high_value_categories") or ()
    return c.PatentValuation(
        patent=line,
        value=_decimal(row.value) or Decimal("0"),
        income_value=_decimal(row.income_value),
        cost_value=_decimal(row.cost_value),
        market_value=_decimal(row.market_value),
        weights={k: _decimal(v) for k, v in (workings.get("weights") or inputs.get("weights") or {}).items()},
        royalty_rate=_decimal(income.get("royalty_rate")),
        tax_rate=_decimal(income.get("tax_rate")),
        discount_rate=_decimal(income.get("discount_rate")),
        cash_flows=_cash_flows(workings),
        remaining_term_years=_decimal(row.remaining_term_years),
        quality_score=_decimal(row.quality_score),
        quality_dimensions=dimensions,
        defaulted_indicators=defaulted,
        high_value_categories=tuple(cat["code"] if isinstance(cat, dict) else str(cat) for cat in categories),
        ltv_base=_decimal(workings.get("ltv_base")),
        ltv_adjustments=tuple(
            c.LtvAdjustment(reason=str(adj.get("reason", "")), points=_decimal(adj.get("points")) or Decimal("0"))
            for adj in workings.get("ltv_adjustments") or ()
        ),
        ltv=_decimal(row.ltv) or Decimal("0"),
        max_loan=_decimal(row.max_loan) or Decimal("0"),
    )


def _valuation_report(g: Gathering) -> c.ValuationReport:
    a = g.application
    valuation = _current_valuation(a)
    if valuation is None:
        raise LookupError("the application has no valuation to report")
    rows = valuation.patent_valuations.select_related("patent").prefetch_related("patent__owners").order_by("id")
    appraiser = _person(valuation.appraiser) or g.actor
    firm = getattr(valuation.appraiser, "appraisal_firm", None)
    return c.ValuationReport(
        meta=g.meta(),
        enterprise=g.enterprise,
        bank=g.bank,
        # The firm signs and seals the report; an appraiser without a recorded firm signs alone.
        appraiser=c.Party(name=firm.name, name_zh=firm.name_zh, address=firm.address) if firm else c.Party(name=appraiser),
        appraiser_name=appraiser,
        valuation_date=valuation.valuation_date,
        valid_until=valuation.valid_until,
        currency=valuation.currency,
        patents=tuple(_patent_valuation(row, a) for row in rows),
        total_value=_decimal(valuation.total_value) or Decimal("0"),
        loan_cap=_decimal(valuation.loan_cap) or Decimal("0"),
        amount_requested=_money(a.amount_requested, a.currency),
        note=valuation.note or "",
    )


def _credit_approval_letter(g: Gathering) -> c.CreditApprovalLetter:
    terms, valuation = g.terms, _current_valuation(g.application)
    if terms is None:
        raise LookupError("the application has no loan terms")
    return c.CreditApprovalLetter(
        meta=g.meta(),
        bank=g.bank,
        enterprise=g.enterprise,
        amount=g.loan(),
        annual_rate=_decimal(terms.annual_rate),
        term_months=terms.term_months,
        patents=application_patents(g.application),
        recommended_by=_person(terms.recommended_by),
        approved_by=_person(terms.approved_by) or g.actor,
        approved_on=_day(terms.approved_at) or g.issued_on,
        loan_cap=_money(valuation.loan_cap, valuation.currency) if valuation else None,
        note=str(g.payload.get("note") or ""),
    )


def _rejection_letter(g: Gathering) -> c.RejectionLetter:
    a = g.application
    reasons = g.payload.get("reasons") or a.rejection_reasons or []
    return c.RejectionLetter(
        meta=g.meta(),
        bank=g.bank,
        enterprise=g.enterprise,
        amount_requested=_money(a.amount_requested, a.currency),
        term_months=a.term_months,
        reasons=tuple(str(reason) for reason in reasons),
        rejected_by=g.actor,
        rejected_on=g.issued_on,
        note=str(g.payload.get("note") or ""),
    )


def _contract_numbers(g: Gathering) -> tuple[str, str]:
    return f"{g.application.reference}-LC", f"{g.application.reference}-PC"


def _loan_contract(g: Gathering) -> c.LoanContract:
    terms = g.terms
    if terms is None:
        raise LookupError("the application has no loan terms")
    starts_on, matures_on = g.debt_term()
    loan_number, pledge_number = _contract_numbers(g)
    return c.LoanContract(
        meta=g.meta(),
        contract_number=loan_number,
        lender=g.bank,
        borrower=g.enterprise,
        amount=g.loan(),
        annual_rate=_decimal(terms.annual_rate),
        term_months=terms.term_months,
        starts_on=starts_on,
        matures_on=matures_on,
        purpose=g.application.purpose,
        patents=application_patents(g.application),
        pledge_contract_number=pledge_number,
        signed_on=terms.signed_on or g.issued_on,
    )


def _debt_kind(code: str) -> tuple[str, str]:
    return bilingual(DEBT_KINDS, code or "loan")


def _pledge_contract(g: Gathering) -> c.PledgeContract:
    starts_on, ends_on = g.debt_term()
    loan_number, pledge_number = _contract_numbers(g)
    kind_zh, kind_en = _debt_kind("loan")
    return c.PledgeContract(
        meta=g.meta(),
        contract_number=pledge_number,
        pledgor=g.enterprise,
        pledgee=g.bank,
        debtor=g.enterprise,
        debt_kind_zh=kind_zh,
        debt_kind_en=kind_en,
        debt_amount=g.loan(),
        debt_starts_on=starts_on,
        debt_ends_on=ends_on,
        loan_contract_number=loan_number,
        patents=application_patents(g.application),
        signed_on=(g.terms.signed_on if g.terms else None) or g.issued_on,
    )


def _filing_debt(g: Gathering, filing) -> c.Money:
    amount = getattr(filing, "debt_amount", None)
    if amount is None:
        return g.loan()
    return _money(amount, getattr(filing, "debt_currency", "") or g.application.currency)


def _registration_application(g: Gathering) -> c.RegistrationApplication:
    filing = _latest_filing(g.application)
    starts_on, ends_on = g.debt_term(filing)
    kind_zh, kind_en = _debt_kind(getattr(filing, "debt_kind", ""))
    return c.RegistrationApplication(
        meta=g.meta(),
        pledgor=_pledgor(filing, g.application),
        pledgee=_pledgee(filing, g.application),
        debt_kind_zh=kind_zh,
        debt_kind_en=kind_en,
        debt_amount=_filing_debt(g, filing),
        debt_starts_on=starts_on,
        debt_ends_on=ends_on,
        pledge_contract_number=_contract_numbers(g)[1],
        patents=_filed_patents(filing, g.application, "CN"),
        filed_on=_day(getattr(filing, "filed_at", None)) or g.issued_on,
        filed_by=_person(getattr(filing, "filed_by", None)) or g.actor,
        acknowledged=tuple(getattr(filing, "acknowledged", None) or g.payload.get("acknowledged") or ()),
        filing_number=getattr(filing, "sequence", 1) or 1,
    )


def _ucc(filing) -> tuple[str, str]:
    statements = getattr(filing, "ucc_filings", None)
    statement = statements.order_by("-id").first() if statements is not None else None
    return (statement.state, statement.file_number) if statement else ("", "")


def _us_recordation_cover_sheet(g: Gathering) -> c.UsCoverSheet:
    filing = _latest_filing(g.application)
    pledgee = _pledgee(filing, g.application)
    state, file_number = _ucc(filing)
    return c.UsCoverSheet(
        meta=g.meta(),
        conveying_party=_pledgor(filing, g.application),
        receiving_party=pledgee,
        nature_of_conveyance="Security Agreement",
        execution_date=(g.terms.signed_on if g.terms else None) or g.issued_on,
        patents=_filed_patents(filing, g.application, "US"),
        correspondence_name=pledgee.name,
        correspondence_address=pledgee.address,
        signer_name=_person(getattr(filing, "filed_by", None)) or g.actor,
        signed_on=_day(getattr(filing, "filed_at", None)) or g.issued_on,
        ucc_state=state,
        ucc_file_number=file_number,
    )


def _registration_notice(g: Gathering) -> c.RegistrationNotice:
    filing = _latest_filing(g.application, "registered", "cancelled")
    if filing is None:
        raise LookupError("the application has no registered filing")
    starts_on, ends_on = g.debt_term(filing)
    return c.RegistrationNotice(
        meta=g.meta(registration_number=filing.registration_number or ""),
        registration_number=filing.registration_number or "",
        registered_on=filing.registered_on or g.issued_on,
        pledgor=_pledgor(filing, g.application),
        pledgee=_pledgee(filing, g.application),
        debt_amount=_filing_debt(g, filing),
        debt_starts_on=starts_on,
        debt_ends_on=ends_on,
        patents=_filed_patents(filing, g.application),
        registrar_name=_person(getattr(filing, "decided_by", None)) or g.actor,
    )


def _refusal_notice(g: Gathering) -> c.RefusalNotice:
    filing = _latest_filing(g.application, "refused")
    recorded = (getattr(filing, "grounds", None) or []) if filing else []
    codes, notes = [], []
    for ground in recorded or [{"code": code} for code in g.payload.get("grounds") or ()]:
        code = ground.get("code", "") if isinstance(ground, dict) else str(ground)
        concerns = ": ".join(str(ground.get(k)) for k in ("patent", "evidence") if isinstance(ground, dict) and ground.get(k))
        codes.append(code)
        notes.append(concerns)
    return c.RefusalNotice(
        meta=g.meta(),
        filed_on=_day(getattr(filing, "filed_at", None)) or g.issued_on,
        refused_on=_day(getattr(filing, "decided_at", None)) or g.issued_on,
        pledgor=_pledgor(filing, g.application),
        pledgee=_pledgee(filing, g.application),
        patents=_filed_patents(filing, g.application) if filing else application_patents(g.application),
        grounds=tuple(codes),
        ground_notes=tuple(notes),
        registrar_name=_person(getattr(filing, "decided_by", None)) or g.actor,
        note=(getattr(filing, "note", "") if filing else "") or str(g.payload.get("note") or ""),
    )


def _shown(value: Any) -> str:
    return "—" if value in (None, "") else str(value)


def _change_notice(g: Gathering) -> c.ChangeNotice:
    filing = _latest_filing(g.application, "registered", "cancelled")
    if filing is None:
        raise LookupError("the application has no registered filing")
    change = filing.changes.filter(kind="change").order_by("-recorded_at", "-id").first()
    new = (change.changes if change else None) or g.payload.get("changes") or {}
    previous = (change.previous if change else None) or {}
    return c.ChangeNotice(
        meta=g.meta(registration_number=filing.registration_number or ""),
        registration_number=filing.registration_number or "",
        changed_on=(change and (change.effective_on or _day(change.recorded_at))) or g.issued_on,
        pledgor=_pledgor(filing, g.application),
        pledgee=_pledgee(filing, g.application),
        changes=tuple(c.Change(item=item, before=_shown(previous.get(item)), after=_shown(value)) for item, value in new.items()),
        registrar_name=_person(change.recorded_by) if change else g.actor,
        note=(change.note if change else "") or str(g.payload.get("note") or ""),
    )


def _cancelled_filing(g: Gathering):
    filing = _latest_filing(g.application, "cancelled", "registered")
    if filing is None:
        raise LookupError("the application has no registered filing")
    return filing


def _cancellation_notice(g: Gathering) -> c.CancellationNotice:
    filing = _cancelled_filing(g)
    return c.CancellationNotice(
        meta=g.meta(registration_number=filing.registration_number or ""),
        registration_number=filing.registration_number or "",
        registered_on=filing.registered_on,
        cancelled_on=filing.cancelled_on or g.issued_on,
        reason="disposed" if g.entry.transition == "dispose" else "repaid",
        pledgor=_pledgor(filing, g.application),
        pledgee=_pledgee(filing, g.application),
        patents=_filed_patents(filing, g.application, "CN"),
        registrar_name=_person(getattr(filing, "cancelled_by", None)) or g.actor,
        repaid_on=g.terms.repaid_on if g.terms else None,
    )


def _us_release_cover_sheet(g: Gathering) -> c.UsCoverSheet:
    filing = _cancelled_filing(g)
    pledgee = _pledgee(filing, g.application)
    state, file_number = _ucc(filing)
    on = filing.cancelled_on or g.issued_on
    return c.UsCoverSheet(
        meta=g.meta(registration_number=filing.registration_number or ""),
        conveying_party=pledgee,
        receiving_party=_pledgor(filing, g.application),
        nature_of_conveyance="Release by Secured Party",
        execution_date=on,
        patents=_filed_patents(filing, g.application, "US"),
        correspondence_name=pledgee.name,
        correspondence_address=pledgee.address,
        signer_name=g.actor,
        signed_on=on,
        ucc_state=state,
        ucc_file_number=file_number,
    )


def _enforcement_record(g: Gathering) -> c.EnforcementRecord:
    terms = g.terms
    if terms is None:
        raise LookupError("the application has no loan terms")
    default = g.application.audit_entries.filter(transition="declare_default", outcome="succeeded").order_by("-id").first()
    filing = _latest_filing(g.application, "cancelled", "registered")
    return c.EnforcementRecord(
        meta=g.meta(registration_number=registration_number_of(g.application)),
        pledgor=_pledgor(filing, g.application),
        pledgee=_pledgee(filing, g.application),
        registration_number=registration_number_of(g.application),
        loan_amount=g.loan(),
        defaulted_on=_day(default.at) if default else None,
        default_reason=terms.default_reason or "",
        method=terms.disposal_method or str(g.payload.get("method") or ""),
        proceeds=_money(terms.disposal_proceeds if terms.disposal_proceeds is not None else g.payload.get("proceeds"), g.application.currency),
        disposed_on=g.issued_on,
        patents=application_patents(g.application),
        recorded_by=g.actor,
    )


GATHERERS = {
    "application_form": _application_form,
    "valuation_report": _valuation_report,
    "credit_approval_letter": _credit_approval_letter,
    "rejection_letter": _rejection_letter,
    "loan_contract": _loan_contract,
    "pledge_contract": _pledge_contract,
    "registration_application": _registration_application,
    "us_recordation_cover_sheet": _us_recordation_cover_sheet,
    "registration_notice": _registration_notice,
    "refusal_notice": _refusal_notice,
    "change_notice": _change_notice,
    "cancellation_notice": _cancellation_notice,
    "us_release_cover_sheet": _us_release_cover_sheet,
    "enforcement_record": _enforcement_record,
}


def content_for(*, kind: str, application, audit_entry, verify_url: str):
    """The content dataclass of one document, as the database stands now."""
    return GATHERERS[kind](Gathering(application=application, audit_entry=audit_entry, verify_url=verify_url))
