"""What each stage document says, gathered from the application, its terms, valuation and registration filing.

The one place that reads the database for the PDFs: it turns rows into the plain
content dataclasses of documents.pdf.content, reading valuations and filings
through their apps' selectors. A registered pledge's particulars are printed as
the register had them when the document's stage was reached (the filing with
every change recorded by then). A figure a document needs and cannot find is an
error (LookupError), never a zero or a blank on a contract: the document is then
marked failed with that error.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone

from documents.pdf import content as c
from documents.pdf.wording import DEBT_KINDS, bilingual
from registration import selectors as register
from registration.items import CHANGEABLE_ITEMS, DEBT_KIND_LOAN, RELEASE_PATENTS
from registration.refusals import SECURITY_SCOPE
from valuation.selectors import valuation_current_for
from valuation.workings import stored_value_type

# transition -> the stage of DOMAIN.md §6 its documents belong to
STAGES: dict[str, str] = {
    "submit": "submitted",
    "complete_valuation": "valued",
    "approve": "approved",
    "reject": "rejected",
    "sign_contracts": "contracted",
    "file_registration": "registration_filed",
    "request_correction": "correction_requested",
    "register": "registered",
    "refuse_registration": "registration_refused",
    "record_change": "changed",
    "apply_cancellation": "cancellation_applied",
    "release": "released",
    "dispose": "disposed",
    "make_claim": "claim_made",  # not a transition: programmes.services records the claim as this audit entry
}

# kinds that differ by patent office: (China, United States)
_BY_OFFICE = {
    "file_registration": ("registration_application", "us_recordation_cover_sheet"),
    "register": ("registration_notice", "us_notice_of_recordation"),
    "refuse_registration": ("refusal_notice", "us_notice_of_non_recordation"),
    "release": ("cancellation_notice", "us_release_cover_sheet"),
    "dispose": ("cancellation_notice", "us_release_cover_sheet"),
}
_FIXED = {
    "submit": ("application_form",),
    "complete_valuation": ("valuation_report",),
    "approve": ("credit_approval_letter",),
    "reject": ("rejection_letter",),
    "sign_contracts": ("loan_contract", "pledge_contract"),
    "request_correction": ("correction_notice",),
    "record_change": ("change_notice",),
    "apply_cancellation": ("cancellation_application",),
    "dispose": ("enforcement_record",),
    "make_claim": ("claim_dossier",),
}


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
    """An optional figure: None stays None."""
    if value is None or value == "":
        return None
    return Decimal(str(value))


def _figure(value: Any, what: str) -> Decimal:
    """A figure the document must print: missing is an error, not a zero."""
    if value is None or value == "":
        raise LookupError(f"{what} is missing")
    return Decimal(str(value))


def enterprise_party(enterprise) -> c.Party:
    return c.Party(
        name=enterprise.name, name_zh=enterprise.name_zh, address=enterprise.address, credit_code=enterprise.credit_code
    )


def bank_party(bank) -> c.Party:
    return c.Party(name=bank.name, name_zh=bank.name_zh, address=bank.address)


def _patent_line(patent, consent: bool | None) -> c.PatentLine:
    co_owned = len(patent.owners.all()) > 1
    return c.PatentLine(
        number=patent.number,
        title=patent.title,
        kind=patent.kind,
        jurisdiction=patent.jurisdiction,
        filing_date=patent.filing_date,
        grant_date=patent.grant_date,
        expiry_date=patent.expiry_date,
        status=patent.status,
        co_owner_consent=consent if co_owned else None,
    )


def _at_office(jurisdiction: str, office: str | None) -> bool:
    """Whether a patent goes on `office`'s form: "US", or "CN" for China and anywhere not the US (kinds_for)."""
    if office is None:
        return True
    return jurisdiction == "US" if office == "US" else jurisdiction != "US"


def application_patents(application, office: str | None = None) -> tuple[c.PatentLine, ...]:
    pledged = application.pledged_patents.select_related("patent").prefetch_related("patent__owners").order_by("id")
    return tuple(
        _patent_line(pp.patent, pp.co_owner_consent) for pp in pledged if _at_office(pp.patent.jurisdiction, office)
    )


def _filed_patents(filing, office: str | None = None) -> tuple[c.PatentLine, ...]:
    patents = tuple(
        _patent_line(fp.patent, fp.co_owner_consent)
        for fp in register.filed_patents_of(filing)
        if _at_office(fp.patent.jurisdiction, office)
    )
    if not patents:
        raise LookupError(f"filing {filing.pk} pledges no patent{f' at the {office} office' if office else ''}")
    return patents


def _terms(application):
    try:
        return application.terms
    except ObjectDoesNotExist:  # no terms recommended yet
        return None


def _filing(application, *statuses: str):
    filing = register.filing_latest(application, *statuses)
    if filing is None:
        which = " or ".join(statuses) or "any"
        raise LookupError(f"the application has no {which} registration filing")
    return filing


class Register:
    """A filing's particulars as the register had them at one moment: as filed, with the changes recorded by then."""

    def __init__(self, filing, *, as_of: dt.datetime):
        self.filing = filing
        self.items = register.registration_particulars(filing, as_of=as_of)

    def _required(self, item: str) -> Any:
        value = self.items[item]
        if value in (None, ""):
            raise LookupError(f"filing {self.filing.pk} has no {item}")
        return value

    def pledgor(self) -> c.Party:
        return c.Party(
            name=self._required("pledgor_name"),
            name_zh=self.items["pledgor_name_zh"],
            address=self.items["pledgor_address"],
            # Not an item of the register: the pledgor enterprise's own code.
            credit_code=self.filing.pledgor.credit_code if self.filing.pledgor else "",
        )

    def pledgee(self) -> c.Party:
        return c.Party(
            name=self._required("pledgee_name"),
            name_zh=self.items["pledgee_name_zh"],
            address=self.items["pledgee_address"],
        )

    def debt(self) -> c.Money:
        return c.Money(Decimal(self._required("debt_amount")), self._required("debt_currency"))

    def debt_kind(self) -> tuple[str, str]:
        return bilingual(DEBT_KINDS, self._required("debt_kind"))

    def term(self) -> tuple[dt.date, dt.date]:
        if self.filing.term_start is None:
            raise LookupError(f"filing {self.filing.pk} has no term start")
        return self.filing.term_start, dt.date.fromisoformat(self._required("term_end"))


def _money(amount, currency: str) -> c.Money:
    return c.Money(_figure(amount, "the amount"), currency)


# --- per kind -----------------------------------------------------------------------------------


class Gathering:
    """Everything one document needs to know about its stage occurrence."""

    def __init__(self, *, application, audit_entry, verify_url: str):
        self.application = application
        self.entry = audit_entry
        self.reached_at = audit_entry.at
        self.issued_on = _day(audit_entry.at)
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

    def required_terms(self):
        if self.terms is None:
            raise LookupError("the application has no loan terms")
        return self.terms

    def loan(self) -> c.Money:
        return _money(self.required_terms().amount, self.application.currency)

    def contract_term(self) -> tuple[dt.date, dt.date]:
        terms = self.required_terms()
        if terms.signed_on is None:
            raise LookupError("the contracts are not signed")
        return terms.signed_on, terms.maturity_date

    def register(self, filing) -> Register:
        """The filing's particulars as they stood when this document's stage was reached."""
        return Register(filing, as_of=self.reached_at)


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
    return tuple(
        c.CashFlowYear(
            year=int(year["year"]),
            revenue=_figure(year["revenue"], "a cash flow's revenue"),
            protected_fraction=_figure(year["protected_fraction"], "a cash flow's protected fraction"),
            royalty_after_tax=_figure(year["after_tax"], "a cash flow's royalty after tax"),
            discount_factor=_figure(year["discount_factor"], "a cash flow's discount factor"),
            present_value=_figure(year["present_value"], "a cash flow's present value"),
        )
        # Null when the income approach was not used: then there is no table to print.
        for year in workings.get("cash_flows") or ()
    )


def _sensitivity(workings: dict) -> tuple[c.SensitivityCell, ...]:
    return tuple(
        c.SensitivityCell(
            discount_rate_shift=_figure(cell["discount_rate_shift"], "a sensitivity discount rate shift"),
            royalty_rate_scale=_figure(cell["royalty_rate_scale"], "a sensitivity royalty rate scale"),
            discount_rate=_figure(cell["discount_rate"], "a sensitivity discount rate"),
            royalty_rate=_figure(cell["royalty_rate"], "a sensitivity royalty rate"),
            income_value=_figure(cell["income_value"], "a sensitivity income value"),
            value=_figure(cell["value"], "a sensitivity value"),
        )
        # Null without the income approach, and absent from valuations stored before it was worked out.
        for cell in workings.get("sensitivity") or ()
    )


def _quality(workings: dict) -> tuple[tuple[c.QualityDimension, ...], tuple[str, ...]]:
    quality = workings["quality"]
    scores, weights = quality["dimensions"], quality["weights"]
    dimensions = tuple(
        c.QualityDimension(
            name=name,
            score=_figure(score, f"the {name} quality score"),
            weight=_figure(weights[name], f"the {name} quality weight"),
        )
        for name, score in scores.items()
    )
    defaulted = tuple(str(item).split(".")[-1] for item in quality["defaulted"])
    return dimensions, defaulted


def _patent_valuation(row) -> c.PatentValuation:
    workings, inputs = row.workings, row.inputs
    # The income approach's rates, where the appraiser used it.
    income = inputs.get("income") or {}
    dimensions, defaulted = _quality(workings)
    liquidation = workings.get("liquidation") or {}
    line = dataclasses.replace(_patent_line(row.patent, None), expiry_date=row.expiry_date)
    return c.PatentValuation(
        patent=line,
        value=_figure(row.value, "the patent's value"),
        income_value=_decimal(row.income_value),
        cost_value=_decimal(row.cost_value),
        market_value=_decimal(row.market_value),
        weights={k: _decimal(v) for k, v in workings["weights"].items()},
        royalty_rate=_decimal(income.get("royalty_rate")),
        tax_rate=_decimal(income.get("tax_rate")),
        discount_rate=_decimal(income.get("discount_rate")),
        cash_flows=_cash_flows(workings),
        remaining_term_years=_decimal(row.remaining_term_years),
        quality_score=_decimal(row.quality_score),
        quality_dimensions=dimensions,
        defaulted_indicators=defaulted,
        high_value_categories=tuple(
            cat["code"] if isinstance(cat, dict) else str(cat) for cat in row.high_value_categories
        ),
        ltv_base=_decimal(workings.get("ltv_base")),
        ltv_adjustments=tuple(
            c.LtvAdjustment(reason=str(adj["reason"]), points=_figure(adj["points"], "an LTV adjustment"))
            for adj in workings.get("ltv_adjustments") or ()
        ),
        ltv=_figure(row.ltv, "the patent's loan-to-value"),
        max_loan=_figure(row.max_loan, "the patent's maximum loan"),
        value_type=stored_value_type(workings),
        market_value_basis=_decimal(liquidation.get("market_value")),
        liquidation_discount=_decimal(liquidation.get("discount")),
        sensitivity=_sensitivity(workings),
    )


def _current_valuation(application):
    valuation = valuation_current_for(application)
    if valuation is None:
        raise LookupError("the application has no valuation")
    return valuation


def _valuation_report(g: Gathering) -> c.ValuationReport:
    a = g.application
    valuation = _current_valuation(a)
    rows = valuation.patent_valuations.select_related("patent").prefetch_related("patent__owners").order_by("id")
    appraiser = _person(valuation.appraiser) or g.actor
    firm = valuation.appraiser.appraisal_firm
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
        patents=tuple(_patent_valuation(row) for row in rows),
        total_value=_figure(valuation.total_value, "the valuation's total value"),
        loan_cap=_figure(valuation.loan_cap, "the valuation's loan cap"),
        amount_requested=_money(a.amount_requested, a.currency),
        note=valuation.note,
        value_type=stored_value_type(valuation.policy),
    )


def _credit_approval_letter(g: Gathering) -> c.CreditApprovalLetter:
    terms, valuation = g.required_terms(), _current_valuation(g.application)
    return c.CreditApprovalLetter(
        meta=g.meta(),
        bank=g.bank,
        enterprise=g.enterprise,
        amount=g.loan(),
        annual_rate=_figure(terms.annual_rate, "the annual rate"),
        term_months=terms.term_months,
        patents=application_patents(g.application),
        recommended_by=_person(terms.recommended_by),
        approved_by=_person(terms.approved_by) or g.actor,
        approved_on=_day(terms.approved_at) or g.issued_on,
        loan_cap=_money(valuation.loan_cap, valuation.currency),
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
    terms = g.required_terms()
    starts_on, matures_on = g.contract_term()
    loan_number, pledge_number = _contract_numbers(g)
    return c.LoanContract(
        meta=g.meta(),
        contract_number=loan_number,
        lender=g.bank,
        borrower=g.enterprise,
        amount=g.loan(),
        annual_rate=_figure(terms.annual_rate, "the annual rate"),
        term_months=terms.term_months,
        starts_on=starts_on,
        matures_on=matures_on,
        purpose=g.application.purpose,
        patents=application_patents(g.application),
        pledge_contract_number=pledge_number,
        signed_on=starts_on,
    )


def _pledge_contract(g: Gathering) -> c.PledgeContract:
    starts_on, ends_on = g.contract_term()
    loan_number, pledge_number = _contract_numbers(g)
    kind_zh, kind_en = bilingual(DEBT_KINDS, DEBT_KIND_LOAN)
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
        signed_on=starts_on,
        security_scope=SECURITY_SCOPE,
    )


def _registration_application(g: Gathering) -> c.RegistrationApplication:
    filing = _filing(g.application)
    now = g.register(filing)
    starts_on, ends_on = now.term()
    kind_zh, kind_en = now.debt_kind()
    return c.RegistrationApplication(
        meta=g.meta(),
        pledgor=now.pledgor(),
        pledgee=now.pledgee(),
        debt_kind_zh=kind_zh,
        debt_kind_en=kind_en,
        debt_amount=now.debt(),
        debt_starts_on=starts_on,
        debt_ends_on=ends_on,
        pledge_contract_number=_contract_numbers(g)[1],
        patents=_filed_patents(filing, "CN"),
        filed_on=_day(filing.filed_at),
        filed_by=_person(filing.filed_by),
        acknowledged=tuple(filing.acknowledged),
        filing_number=filing.sequence,
        security_scope=tuple(filing.security_scope),
        signatories=_filing_signatories(filing, now),
        particulars_sha256=filing.particulars_sha256,
    )


# The side of a joint filing -> how the form names its signatory.
_SIDES = {"pledgor": ("出质人（盖章）", "Pledgor (seal)"), "pledgee": ("质权人（盖章）", "Pledgee (seal)")}


def _filing_signatories(filing, now: Register) -> tuple[c.Signatory, ...]:
    """Each side's signature of the filing, by whom and when (the party's name beside the person's)."""
    parties = {"pledgor": now.items["pledgor_name"], "pledgee": now.items["pledgee_name"]}
    return tuple(
        c.Signatory(*_SIDES[signature.side], f"{parties[signature.side]} — {_person(signature.signed_by)}",
                    _day(signature.signed_at))
        for signature in register.filing_signatures_of(filing)
    )


def _ucc(filing) -> tuple[str, str]:
    """The UCC-1 recorded for the filing, if the bank has recorded one yet (it may come later)."""
    statement = register.ucc_filing_latest(filing)
    return (statement.state, statement.file_number) if statement else ("", "")


def _us_recordation_cover_sheet(g: Gathering) -> c.UsCoverSheet:
    filing = _filing(g.application)
    now = g.register(filing)
    pledgee = now.pledgee()
    state, file_number = _ucc(filing)
    return c.UsCoverSheet(
        meta=g.meta(),
        conveying_party=now.pledgor(),
        receiving_party=pledgee,
        nature_of_conveyance="Security Agreement",
        execution_date=now.term()[0],
        patents=_filed_patents(filing, "US"),
        correspondence_name=pledgee.name,
        correspondence_address=pledgee.address,
        signer_name=_person(filing.filed_by),
        signed_on=_day(filing.filed_at),
        ucc_state=state,
        ucc_file_number=file_number,
    )


def _registration_notice(g: Gathering) -> c.RegistrationNotice:
    filing = _filing(g.application, "registered", "cancelled")
    now = g.register(filing)
    starts_on, ends_on = now.term()
    return c.RegistrationNotice(
        meta=g.meta(registration_number=filing.registration_number),
        registration_number=filing.registration_number,
        registered_on=filing.registered_on,
        pledgor=now.pledgor(),
        pledgee=now.pledgee(),
        debt_amount=now.debt(),
        debt_starts_on=starts_on,
        debt_ends_on=ends_on,
        patents=_filed_patents(filing),
        registrar_name=_person(filing.decided_by),
    )


def _grounds_with_notes(filing) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A refused filing's ground codes, and beside each what it concerns (the patent, the evidence)."""
    codes = tuple(ground["code"] for ground in filing.grounds)
    notes = tuple(": ".join(str(ground[k]) for k in ("patent", "evidence") if ground.get(k)) for ground in filing.grounds)
    return codes, notes


def _refusal_notice(g: Gathering) -> c.RefusalNotice:
    filing = _filing(g.application, "refused")
    now = g.register(filing)
    codes, notes = _grounds_with_notes(filing)
    return c.RefusalNotice(
        meta=g.meta(),
        filed_on=_day(filing.filed_at),
        refused_on=_day(filing.decided_at),
        pledgor=now.pledgor(),
        pledgee=now.pledgee(),
        patents=_filed_patents(filing),
        grounds=codes,
        ground_notes=notes,
        registrar_name=_person(filing.decided_by),
        note=filing.note,
    )


def _us_notice_of_recordation(g: Gathering) -> c.UsRecordationNotice:
    filing = _filing(g.application, "registered", "cancelled")
    if filing.reel is None or filing.recorded_on is None:
        raise LookupError(f"filing {filing.pk} has no reel, frame and recordation date")
    now = g.register(filing)
    return c.UsRecordationNotice(
        meta=g.meta(registration_number=filing.registration_number),
        registration_number=filing.registration_number,
        reel=filing.reel,
        frame=filing.frame,
        recorded_on=filing.recorded_on,
        conveying_party=now.pledgor(),
        receiving_party=now.pledgee(),
        nature_of_conveyance="Security Agreement",
        execution_date=now.term()[0],
        patents=_filed_patents(filing, "US"),
        registrar_name=_person(filing.decided_by),
    )


def _us_notice_of_non_recordation(g: Gathering) -> c.UsNonRecordationNotice:
    filing = _filing(g.application, "refused")
    now = g.register(filing)
    codes, notes = _grounds_with_notes(filing)
    return c.UsNonRecordationNotice(
        meta=g.meta(),
        filed_on=_day(filing.filed_at),
        refused_on=_day(filing.decided_at),
        conveying_party=now.pledgor(),
        receiving_party=now.pledgee(),
        patents=_filed_patents(filing, "US"),
        grounds=codes,
        ground_notes=notes,
        registrar_name=_person(filing.decided_by),
        note=filing.note,
    )


def _correction_notice(g: Gathering) -> c.CorrectionNotice:
    filing = _filing(g.application, "correction_requested")
    now = g.register(filing)
    return c.CorrectionNotice(
        meta=g.meta(),
        filed_on=_day(filing.filed_at),
        requested_on=_day(filing.decided_at),
        filing_number=filing.sequence,
        pledgor=now.pledgor(),
        pledgee=now.pledgee(),
        patents=_filed_patents(filing),
        defects=tuple(c.Defect(item=str(d["item"]), message=str(d["message"])) for d in filing.defects),
        registrar_name=_person(filing.decided_by),
        note=filing.note,
    )


def _shown(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(str(item) for item in value) or "—"
    return "—" if value in (None, "") else str(value)


# The order a change notice lists its items in, whatever order the database returns a change's keys
# in (PostgreSQL's jsonb keeps them sorted its own way): a release first, then the register's items.
CHANGE_ORDER = (RELEASE_PATENTS, *CHANGEABLE_ITEMS, "patents")


def _change_order(item: str) -> tuple[int, str]:
    return (CHANGE_ORDER.index(item) if item in CHANGE_ORDER else len(CHANGE_ORDER), item)


def _change_notice(g: Gathering) -> c.ChangeNotice:
    filing = _filing(g.application, "registered", "cancelled")
    changes = register.registration_changes(filing, as_of=g.reached_at)
    if not changes:
        raise LookupError(f"filing {filing.pk} has no recorded change")
    change, now = changes[-1], g.register(filing)
    return c.ChangeNotice(
        meta=g.meta(registration_number=filing.registration_number),
        registration_number=filing.registration_number,
        changed_on=change.effective_on or _day(change.recorded_at),
        pledgor=now.pledgor(),
        pledgee=now.pledgee(),
        changes=tuple(
            c.Change(item=item, before=_shown(change.previous.get(item)), after=_shown(value))
            for item, value in sorted(change.changes.items(), key=lambda pair: _change_order(pair[0]))
        ),
        registrar_name=_person(change.recorded_by),
        note=change.note,
    )


def _cancelled_filing(g: Gathering):
    filing = _filing(g.application, "cancelled")
    if filing.cancelled_on is None:
        raise LookupError(f"filing {filing.pk} has no cancellation date")
    return filing


def _cancellation_application(g: Gathering) -> c.CancellationApplication:
    filing = _filing(g.application, "registered", "cancelled")
    request = register.cancellation_request_latest(filing)
    if request is None:
        raise LookupError(f"filing {filing.pk} has no application to cancel it")
    now = g.register(filing)
    return c.CancellationApplication(
        meta=g.meta(registration_number=filing.registration_number),
        registration_number=filing.registration_number,
        registered_on=filing.registered_on,
        applied_on=_day(request.applied_at),
        ground=request.ground,
        pledgor=now.pledgor(),
        pledgee=now.pledgee(),
        patents=_filed_patents(filing),
        applicant_name=_person(request.applied_by),
        repaid_on=request.repaid_on,
        reason="\n".join(part for part in (request.reason, request.evidence) if part),
    )


def _cancellation_notice(g: Gathering) -> c.CancellationNotice:
    filing = _cancelled_filing(g)
    now = g.register(filing)
    request = register.cancellation_request_latest(filing)
    if g.entry.transition == "dispose":
        reason = "disposed"
    else:
        reason = request.ground if request else "repaid"
    return c.CancellationNotice(
        meta=g.meta(registration_number=filing.registration_number),
        registration_number=filing.registration_number,
        registered_on=filing.registered_on,
        cancelled_on=filing.cancelled_on,
        reason=reason,
        pledgor=now.pledgor(),
        pledgee=now.pledgee(),
        patents=_filed_patents(filing, "CN"),
        registrar_name=_person(filing.cancelled_by),
        repaid_on=g.terms.repaid_on if g.terms else None,
    )


def _us_release_cover_sheet(g: Gathering) -> c.UsCoverSheet:
    filing = _cancelled_filing(g)
    now = g.register(filing)
    pledgee = now.pledgee()
    state, file_number = _ucc(filing)
    return c.UsCoverSheet(
        meta=g.meta(registration_number=filing.registration_number),
        conveying_party=pledgee,
        receiving_party=now.pledgor(),
        nature_of_conveyance="Release by Secured Party",
        execution_date=filing.cancelled_on,
        patents=_filed_patents(filing, "US"),
        correspondence_name=pledgee.name,
        correspondence_address=pledgee.address,
        signer_name=g.actor,
        signed_on=filing.cancelled_on,
        ucc_state=state,
        ucc_file_number=file_number,
    )


def _enforcement_record(g: Gathering) -> c.EnforcementRecord:
    terms = g.required_terms()
    default = g.application.audit_entries.filter(transition="declare_default", outcome="succeeded").order_by("-id").first()
    if default is None:
        raise LookupError("the application was never declared in default")
    filing = _filing(g.application, "cancelled", "registered")
    now = g.register(filing)
    return c.EnforcementRecord(
        meta=g.meta(registration_number=filing.registration_number),
        pledgor=now.pledgor(),
        pledgee=now.pledgee(),
        registration_number=filing.registration_number,
        loan_amount=g.loan(),
        defaulted_on=_day(default.at),
        default_reason=terms.default_reason,
        method=terms.disposal_method,
        proceeds=_money(terms.disposal_proceeds, g.application.currency),
        disposed_on=g.issued_on,
        patents=_filed_patents(filing),
        recorded_by=g.actor,
    )


def _claim_dossier(g: Gathering) -> c.ClaimDossier:
    """The claim as made (its figures, from the audit entry's payload) and the loan's evidence as it stood then."""
    from documents.models import Document
    from programmes import selectors as programmes

    claim = programmes.claims_visible_to_system().get(pk=g.payload["claim"])
    enrolment, programme = claim.enrolment, claim.enrolment.programme
    terms = g.required_terms()
    currency = g.application.currency
    filing = register.filing_latest(g.application, "cancelled", "registered")
    money = lambda value: None if value is None else _money(value, currency)  # noqa: E731
    shares = programme.shares or {}
    parts = tuple(
        c.ClaimPart(party=party, share=shares.get(party), amount=Decimal(amount))
        for party, amount in (g.payload.get("split") or {}).items()
    )
    evidence = tuple(
        c.ClaimEvidence(title_zh=d.title_zh, title_en=d.title_en, sha256=d.sha256)
        for d in Document.objects.filter(application=g.application, status=Document.Status.READY,
                                         audit_entry__at__lte=g.reached_at).exclude(kind="claim_dossier")
    )
    defaulted_on = programmes.default_declared_on(g.application)
    return c.ClaimDossier(
        meta=g.meta(registration_number=filing.registration_number if filing else ""),
        claim_number=f"CL-{g.issued_on.year}-{claim.pk:06d}",
        office=c.Party(name=programme.office.name, name_zh=programme.office.name_zh, address=programme.office.address),
        programme_name=programme.name,
        programme_kind=programme.kind,
        borrower=g.enterprise,
        lender=g.bank,
        registration_number=filing.registration_number if filing else "",
        loan_amount=g.loan(),
        annual_rate=terms.annual_rate,
        disbursed_on=terms.disbursed_on,
        ip_secured_amount=_money(enrolment.ip_secured_amount, currency),
        defaulted_on=defaulted_on,
        disposal_method=terms.disposal_method,
        principal_unpaid=money(g.payload.get("principal_unpaid")),
        interest_due=money(g.payload.get("interest_due")),
        proceeds=money(g.payload.get("proceeds")),
        loss=money(g.payload.get("loss")),
        covered_loss=money(g.payload.get("covered_loss")),
        parts=parts,
        basis=money(g.payload.get("basis")),
        amount=_money(g.payload["amount"], currency),
        repayments=tuple(
            c.ClaimRepayment(paid_on=r.paid_on, principal=r.principal, interest=r.interest)
            for r in programmes.repayments_of(g.application) if r.paid_on <= g.issued_on
        ),
        evidence=evidence,
        patents=application_patents(g.application),
        claimed_by=g.actor,
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
    "us_notice_of_recordation": _us_notice_of_recordation,
    "us_notice_of_non_recordation": _us_notice_of_non_recordation,
    "refusal_notice": _refusal_notice,
    "change_notice": _change_notice,
    "cancellation_application": _cancellation_application,
    "correction_notice": _correction_notice,
    "cancellation_notice": _cancellation_notice,
    "us_release_cover_sheet": _us_release_cover_sheet,
    "enforcement_record": _enforcement_record,
    "claim_dossier": _claim_dossier,
}


def content_for(*, kind: str, application, audit_entry, verify_url: str):
    """The content dataclass of one document, as the database stands now."""
    return GATHERERS[kind](Gathering(application=application, audit_entry=audit_entry, verify_url=verify_url))
