"""What each stage document says, as plain frozen dataclasses the PDF builders read.

Nothing here knows about Django: the documents service turns an application (with
its valuation, terms and registration filing) into these, and the builders turn
these into PDF bytes. Money is Decimal with an ISO 4217 code; rates and
loan-to-value ratios are fractions (0.0435 is 4.35 %); dates are datetime.date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class DocumentMeta:
    """What every page carries in its header and footer, and what the QR code holds."""

    application_reference: str
    issued_on: date
    verify_url: str
    registration_number: str = ""


@dataclass(frozen=True)
class Party:
    name: str
    name_zh: str = ""
    address: str = ""
    credit_code: str = ""  # unified social credit code for a Chinese enterprise


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str


@dataclass(frozen=True)
class PatentLine:
    number: str
    title: str
    kind: str  # invention | utility_model | design
    jurisdiction: str  # CN | US
    filing_date: date
    grant_date: date | None
    expiry_date: date | None = None
    status: str = "in_force"
    co_owner_consent: bool | None = None  # None: not co-owned


@dataclass(frozen=True)
class Signatory:
    role_zh: str
    role_en: str
    name: str
    signed_on: date | None = None


# --- submitted -------------------------------------------------------------


@dataclass(frozen=True)
class ApplicationForm:
    meta: DocumentMeta
    applicant: Party
    bank: Party
    amount_requested: Money
    term_months: int
    purpose: str
    patents: tuple[PatentLine, ...]
    submitted_on: date
    submitted_by: str


# --- valued ----------------------------------------------------------------


@dataclass(frozen=True)
class CashFlowYear:
    year: int  # t = 1..n after the valuation date
    revenue: Decimal
    protected_fraction: Decimal  # f_t: 1, the protected part of the expiry year, or 0
    royalty_after_tax: Decimal  # R_t x royalty rate x (1 - tax rate) x f_t
    discount_factor: Decimal  # 1 / (1 + discount rate)^t
    present_value: Decimal


@dataclass(frozen=True)
class QualityDimension:
    name: str  # legal | technical | economic
    score: Decimal  # 0-100
    weight: Decimal


@dataclass(frozen=True)
class LtvAdjustment:
    reason: str  # high_quality | low_quality | high_value, or free text
    points: Decimal  # percentage points, e.g. Decimal("10") or Decimal("-10")


@dataclass(frozen=True)
class SensitivityCell:
    """The value with the income approach's discount and royalty rates moved (DOMAIN.md §4)."""

    discount_rate_shift: Decimal  # -0.02, 0, 0.02 added to the discount rate
    royalty_rate_scale: Decimal  # -0.20, 0, 0.20: the royalty rate times (1 + this)
    discount_rate: Decimal  # the rate used
    royalty_rate: Decimal  # the rate used
    income_value: Decimal
    value: Decimal  # of the report's value type


@dataclass(frozen=True)
class PatentValuation:
    patent: PatentLine
    value: Decimal
    income_value: Decimal | None = None
    cost_value: Decimal | None = None
    market_value: Decimal | None = None
    weights: dict[str, Decimal] = field(default_factory=dict)  # approach -> weight
    royalty_rate: Decimal | None = None
    tax_rate: Decimal | None = None
    discount_rate: Decimal | None = None
    cash_flows: tuple[CashFlowYear, ...] = ()
    remaining_term_years: Decimal | None = None
    quality_score: Decimal | None = None
    quality_dimensions: tuple[QualityDimension, ...] = ()
    defaulted_indicators: tuple[str, ...] = ()  # indicators left out, counted as 3
    high_value_categories: tuple[str, ...] = ()
    ltv_base: Decimal | None = None
    ltv_adjustments: tuple[LtvAdjustment, ...] = ()
    ltv: Decimal = Decimal("0")
    max_loan: Decimal = Decimal("0")
    value_type: str = "market"  # market | liquidation: what `value` is
    market_value_basis: Decimal | None = None  # a liquidation value's market value (approaches reconciled)
    liquidation_discount: Decimal | None = None  # a fraction
    sensitivity: tuple[SensitivityCell, ...] = ()  # discount rate rows × royalty rate columns, 3 × 3


@dataclass(frozen=True)
class ValuationReport:
    meta: DocumentMeta
    enterprise: Party
    bank: Party
    appraiser: Party  # the appraisal firm
    appraiser_name: str  # the person who signed
    valuation_date: date
    valid_until: date
    currency: str
    patents: tuple[PatentValuation, ...]
    total_value: Decimal
    loan_cap: Decimal
    amount_requested: Money
    note: str = ""
    value_type: str = "market"  # market | liquidation: what every value in the report is


# --- approved / rejected ---------------------------------------------------


@dataclass(frozen=True)
class CreditApprovalLetter:
    meta: DocumentMeta
    bank: Party
    enterprise: Party
    amount: Money
    annual_rate: Decimal
    term_months: int
    patents: tuple[PatentLine, ...]
    recommended_by: str
    approved_by: str
    approved_on: date
    loan_cap: Money | None = None
    note: str = ""


@dataclass(frozen=True)
class RejectionLetter:
    meta: DocumentMeta
    bank: Party
    enterprise: Party
    amount_requested: Money
    term_months: int
    reasons: tuple[str, ...]
    rejected_by: str
    rejected_on: date
    note: str = ""


# --- contracted ------------------------------------------------------------


@dataclass(frozen=True)
class LoanContract:
    meta: DocumentMeta
    contract_number: str
    lender: Party
    borrower: Party
    amount: Money
    annual_rate: Decimal
    term_months: int
    starts_on: date
    matures_on: date
    purpose: str
    patents: tuple[PatentLine, ...]
    pledge_contract_number: str
    signed_on: date
    signatories: tuple[Signatory, ...] = ()


@dataclass(frozen=True)
class PledgeContract:
    """Carries every mandatory item a registrar checks (DOMAIN.md section 3)."""

    meta: DocumentMeta
    contract_number: str
    pledgor: Party
    pledgee: Party
    debtor: Party
    debt_kind_zh: str
    debt_kind_en: str
    debt_amount: Money
    debt_starts_on: date
    debt_ends_on: date
    loan_contract_number: str
    patents: tuple[PatentLine, ...]
    signed_on: date
    signatories: tuple[Signatory, ...] = ()
    # What the pledge secures: codes of registration.refusals.SECURITY_SCOPE.
    security_scope: tuple[str, ...] = ("principal", "interest", "penalties", "enforcement_costs")


# --- registration filed ----------------------------------------------------


@dataclass(frozen=True)
class RegistrationApplication:
    meta: DocumentMeta
    pledgor: Party
    pledgee: Party
    debt_kind_zh: str
    debt_kind_en: str
    debt_amount: Money
    debt_starts_on: date
    debt_ends_on: date
    pledge_contract_number: str
    patents: tuple[PatentLine, ...]
    filed_on: date
    filed_by: str
    acknowledged: tuple[str, ...] = ()  # SAME_DAY_TWIN, INVALIDATION_PENDING
    filing_number: int = 1  # 2 and up: filed again after a refusal
    security_scope: tuple[str, ...] = ()
    # The joint filing: who signed the particulars for each side, when, and the SHA-256 they signed.
    signatories: tuple[Signatory, ...] = ()
    particulars_sha256: str = ""


@dataclass(frozen=True)
class UsCoverSheet:
    """USPTO recordation cover sheet for patents; one dataclass for grant and release."""

    meta: DocumentMeta
    conveying_party: Party
    receiving_party: Party
    nature_of_conveyance: str  # "Security Agreement" | "Release by Secured Party"
    execution_date: date
    patents: tuple[PatentLine, ...]
    correspondence_name: str
    correspondence_address: str
    signer_name: str
    signed_on: date
    ucc_state: str = ""
    ucc_file_number: str = ""


# --- registered / refused / changed / released -----------------------------


@dataclass(frozen=True)
class RegistrationNotice:
    meta: DocumentMeta
    registration_number: str
    registered_on: date
    pledgor: Party
    pledgee: Party
    debt_amount: Money
    debt_starts_on: date
    debt_ends_on: date
    patents: tuple[PatentLine, ...]
    registrar_name: str


@dataclass(frozen=True)
class UsRecordationNotice:
    """The USPTO's notice of recordation of a security agreement: where it is recorded (reel/frame) and when."""

    meta: DocumentMeta
    registration_number: str
    reel: int
    frame: int
    recorded_on: date
    conveying_party: Party
    receiving_party: Party
    nature_of_conveyance: str
    execution_date: date
    patents: tuple[PatentLine, ...]
    registrar_name: str


@dataclass(frozen=True)
class UsNonRecordationNotice:
    """The USPTO's notice of non-recordation: why the cover sheet was not recorded (codes of a non-recordation)."""

    meta: DocumentMeta
    filed_on: date
    refused_on: date
    conveying_party: Party
    receiving_party: Party
    patents: tuple[PatentLine, ...]
    grounds: tuple[str, ...]
    registrar_name: str
    note: str = ""
    ground_notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class RefusalNotice:
    meta: DocumentMeta
    filed_on: date
    refused_on: date
    pledgor: Party
    pledgee: Party
    patents: tuple[PatentLine, ...]
    grounds: tuple[str, ...]  # codes of DOMAIN.md section 3
    registrar_name: str
    note: str = ""
    ground_notes: tuple[str, ...] = ()  # per ground, what it concerns (patent, evidence); may be shorter


@dataclass(frozen=True)
class Change:
    item: str  # amount | term | pledgor_name | pledgee_name | ..., or free text
    before: str
    after: str


@dataclass(frozen=True)
class ChangeNotice:
    meta: DocumentMeta
    registration_number: str
    changed_on: date
    pledgor: Party
    pledgee: Party
    changes: tuple[Change, ...]
    registrar_name: str
    note: str = ""


@dataclass(frozen=True)
class CancellationNotice:
    meta: DocumentMeta
    registration_number: str
    registered_on: date | None
    cancelled_on: date
    reason: str  # repaid | disposed, or free text
    pledgor: Party
    pledgee: Party
    patents: tuple[PatentLine, ...]
    registrar_name: str
    repaid_on: date | None = None


@dataclass(frozen=True)
class Defect:
    item: str
    message: str


@dataclass(frozen=True)
class CorrectionNotice:
    """The registrar's request to correct a filing, each defect listed (DOMAIN.md §6)."""

    meta: DocumentMeta
    filed_on: date
    requested_on: date
    filing_number: int
    pledgor: Party
    pledgee: Party
    patents: tuple[PatentLine, ...]
    defects: tuple[Defect, ...]
    registrar_name: str
    note: str = ""


@dataclass(frozen=True)
class CancellationApplication:
    """The parties' application to cancel a registered pledge, with its ground (DOMAIN.md §6)."""

    meta: DocumentMeta
    registration_number: str
    registered_on: date | None
    applied_on: date
    ground: str  # debt_discharged | pledgee_waived | contract_void | other
    pledgor: Party
    pledgee: Party
    patents: tuple[PatentLine, ...]
    applicant_name: str
    repaid_on: date | None = None
    reason: str = ""


# --- disposed --------------------------------------------------------------


@dataclass(frozen=True)
class EnforcementRecord:
    meta: DocumentMeta
    pledgor: Party
    pledgee: Party
    registration_number: str
    loan_amount: Money
    defaulted_on: date | None
    default_reason: str
    method: str  # sale | auction | licence, or free text
    proceeds: Money
    disposed_on: date
    patents: tuple[PatentLine, ...]
    recorded_by: str


# --- claim made ------------------------------------------------------------


@dataclass(frozen=True)
class ClaimPart:
    party: str  # pool | bank | insurer | appraiser | guarantor
    share: Decimal | None  # None where the part is not a set share (an insurer's capped cover)
    amount: Decimal


@dataclass(frozen=True)
class ClaimRepayment:
    paid_on: date
    principal: Decimal
    interest: Decimal


@dataclass(frozen=True)
class ClaimEvidence:
    title_zh: str
    title_en: str
    sha256: str


@dataclass(frozen=True)
class ClaimDossier:
    """A claim on a public programme (DOMAIN.md §7): the loan, the loss and its split, the evidence."""

    meta: DocumentMeta
    claim_number: str
    office: Party
    programme_name: str
    programme_kind: str  # risk_pool | interest_subsidy | evaluation_fee_subsidy | guarantee_insurance
    borrower: Party
    lender: Party
    registration_number: str
    loan_amount: Money
    annual_rate: Decimal
    disbursed_on: date | None
    ip_secured_amount: Money
    defaulted_on: date | None
    disposal_method: str
    principal_unpaid: Money | None
    interest_due: Money | None
    proceeds: Money | None
    loss: Money | None
    covered_loss: Money | None
    parts: tuple[ClaimPart, ...]
    basis: Money | None  # a subsidy's basis: the interest paid or the appraisal fee
    amount: Money
    repayments: tuple[ClaimRepayment, ...]
    evidence: tuple[ClaimEvidence, ...]  # the application's documents relied on, with their SHA-256
    patents: tuple[PatentLine, ...]
    claimed_by: str
