"""A worked example of every document kind, for previews, the builders' tests and the benchmark.

One portfolio loan: a Suzhou photonics company pledges an invention patent and a
co-owned utility model to a bank; the US cover sheets use a US patent instead.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from . import content as c

REFERENCE = "PF-2026-000042"
REGISTRATION_NUMBER = "Y2026320000123"
VERIFY_BASE = "https://pledgeflow.example.com/api/v1/documents/verify/"

ENTERPRISE = c.Party(
    name="Suzhou Xinghe Photonics Technology Co., Ltd.",
    name_zh="苏州星河光电科技有限公司",
    address="88 Jinji Lake Avenue, Suzhou Industrial Park, Jiangsu 215000",
    credit_code="91320594MA1X2Y3Z4K",
)
BANK = c.Party(
    name="Jiangnan Commercial Bank, Suzhou Branch",
    name_zh="江南商业银行苏州分行",
    address="1 Suzhou Avenue East, Suzhou, Jiangsu 215021",
)
APPRAISER = c.Party(name="Huaxia Intellectual Property Appraisal Co., Ltd.", name_zh="华夏知识产权资产评估有限公司")

INVENTION = c.PatentLine(
    number="ZL202110921116.9",
    title="一种硅基光电调制器及其制备方法 (Silicon photonic modulator and method of making it)",
    kind="invention",
    jurisdiction="CN",
    filing_date=date(2021, 8, 16),
    grant_date=date(2023, 3, 10),
    expiry_date=date(2041, 8, 16),
)
UTILITY_MODEL = c.PatentLine(
    number="ZL201920345678.1",
    title="光纤耦合对准装置 (Fibre coupling alignment fixture)",
    kind="utility_model",
    jurisdiction="CN",
    filing_date=date(2019, 3, 15),
    grant_date=date(2019, 12, 20),
    expiry_date=date(2029, 3, 15),
    co_owner_consent=True,
)
US_PATENT = c.PatentLine(
    number="US10123456B2",
    title="Wavelength-selective optical switch",
    kind="invention",
    jurisdiction="US",
    filing_date=date(2016, 5, 4),
    grant_date=date(2018, 11, 13),
    expiry_date=date(2036, 7, 1),
)
PATENTS = (INVENTION, UTILITY_MODEL)
AMOUNT = c.Money(Decimal("5000000.00"), "CNY")
RATE = Decimal("0.0435")
SIGNED_ON = date(2026, 3, 20)
MATURES_ON = date(2027, 3, 20)


def meta(kind: str, issued_on: date, *, registered: bool = False) -> c.DocumentMeta:
    return c.DocumentMeta(
        application_reference=REFERENCE,
        issued_on=issued_on,
        verify_url=f"{VERIFY_BASE}3f1c9a52-5b7e-4d1a-9c0e-{kind[:4].encode().hex()}0000/",
        registration_number=REGISTRATION_NUMBER if registered else "",
    )


def _cash_flows(revenues, royalty, tax, discount, fractions) -> tuple[c.CashFlowYear, ...]:
    rows = []
    for year, (revenue, fraction) in enumerate(zip(revenues, fractions), start=1):
        royalty_after_tax = (revenue * royalty * (1 - tax) * fraction).quantize(Decimal("0.01"), ROUND_HALF_UP)
        factor = (1 / (1 + discount) ** year).quantize(Decimal("0.000001"), ROUND_HALF_UP)
        rows.append(
            c.CashFlowYear(
                year=year,
                revenue=revenue,
                protected_fraction=fraction,
                royalty_after_tax=royalty_after_tax,
                discount_factor=factor,
                present_value=(royalty_after_tax * factor).quantize(Decimal("0.01"), ROUND_HALF_UP),
            )
        )
    return tuple(rows)


def _sensitivity(revenues, royalty, tax, discount, fractions, reconcile) -> tuple[c.SensitivityCell, ...]:
    """The sample's 3 x 3 grid: the cash flows again at discount ±2 points and royalty ±20%."""
    cells = []
    for shift in (Decimal("-0.02"), Decimal("0"), Decimal("0.02")):
        for scale in (Decimal("-0.20"), Decimal("0"), Decimal("0.20")):
            rate, share = discount + shift, royalty * (1 + scale)
            income = sum(y.present_value for y in _cash_flows(revenues, share, tax, rate, fractions))
            cells.append(c.SensitivityCell(shift, scale, rate, share, income, reconcile(income)))
    return tuple(cells)


def valuation_report() -> c.ValuationReport:
    invention_flows = _cash_flows(
        [Decimal(v) for v in ("42000000", "50000000", "58000000", "64000000", "68000000")],
        Decimal("0.05"), Decimal("0.25"), Decimal("0.12"), [Decimal("1")] * 5,
    )
    utility_flows = _cash_flows(
        [Decimal(v) for v in ("12000000", "13000000", "13500000", "14000000")],
        Decimal("0.03"), Decimal("0.25"), Decimal("0.12"),
        [Decimal("1"), Decimal("1"), Decimal("1"), Decimal("0.0356")],
    )
    invention_income = sum(y.present_value for y in invention_flows)
    utility_income = sum(y.present_value for y in utility_flows)
    def invention_reconciled(income: Decimal) -> Decimal:
        return (income * Decimal("0.7") + Decimal("9800000") * Decimal("0.3")).quantize(Decimal("0.01"))

    invention_value = invention_reconciled(invention_income)
    utility_value = utility_income
    invention = c.PatentValuation(
        patent=INVENTION,
        value=invention_value,
        income_value=invention_income,
        market_value=Decimal("9800000.00"),
        weights={"income": Decimal("0.7"), "market": Decimal("0.3")},
        royalty_rate=Decimal("0.05"),
        tax_rate=Decimal("0.25"),
        discount_rate=Decimal("0.12"),
        cash_flows=invention_flows,
        remaining_term_years=Decimal("15.46"),
        quality_score=Decimal("82.6"),
        quality_dimensions=(
            c.QualityDimension("legal", Decimal("85.0"), Decimal("0.4")),
            c.QualityDimension("technical", Decimal("83.3"), Decimal("0.3")),
            c.QualityDimension("economic", Decimal("78.8"), Decimal("0.3")),
        ),
        high_value_categories=("strategic_industry",),
        ltv_base=Decimal("0.40"),
        ltv_adjustments=(c.LtvAdjustment("high_quality", Decimal("10")), c.LtvAdjustment("high_value", Decimal("5"))),
        ltv=Decimal("0.55"),
        max_loan=(invention_value * Decimal("0.55")).quantize(Decimal("0.01")),
        sensitivity=_sensitivity(
            [Decimal(v) for v in ("42000000", "50000000", "58000000", "64000000", "68000000")],
            Decimal("0.05"), Decimal("0.25"), Decimal("0.12"), [Decimal("1")] * 5, invention_reconciled,
        ),
    )
    utility = c.PatentValuation(
        patent=UTILITY_MODEL,
        value=utility_value,
        income_value=utility_income,
        weights={"income": Decimal("1")},
        royalty_rate=Decimal("0.03"),
        tax_rate=Decimal("0.25"),
        discount_rate=Decimal("0.12"),
        cash_flows=utility_flows,
        remaining_term_years=Decimal("3.04"),
        quality_score=Decimal("61.5"),
        quality_dimensions=(
            c.QualityDimension("legal", Decimal("60.0"), Decimal("0.4")),
            c.QualityDimension("technical", Decimal("66.7"), Decimal("0.3")),
            c.QualityDimension("economic", Decimal("58.3"), Decimal("0.3")),
        ),
        defaulted_indicators=("licensing_status", "policy_fit"),
        ltv_base=Decimal("0.25"),
        ltv=Decimal("0.25"),
        max_loan=(utility_value * Decimal("0.25")).quantize(Decimal("0.01")),
    )
    return c.ValuationReport(
        meta=meta("valuation_report", date(2026, 3, 2)),
        enterprise=ENTERPRISE,
        bank=BANK,
        appraiser=APPRAISER,
        appraiser_name="李文 Li Wen",
        valuation_date=date(2026, 3, 2),
        valid_until=date(2027, 3, 2),
        currency="CNY",
        patents=(invention, utility),
        total_value=invention.value + utility.value,
        loan_cap=invention.max_loan + utility.max_loan,
        amount_requested=AMOUNT,
    )


def sample_content(kind: str):
    """The worked example of one document kind."""
    if kind == "application_form":
        return c.ApplicationForm(
            meta=meta(kind, date(2026, 2, 24)),
            applicant=ENTERPRISE,
            bank=BANK,
            amount_requested=AMOUNT,
            term_months=12,
            purpose="采购晶圆及扩产 Wafer purchases and a second production line",
            patents=PATENTS,
            submitted_on=date(2026, 2, 24),
            submitted_by="王芳 Wang Fang",
        )
    if kind == "valuation_report":
        return valuation_report()
    if kind == "credit_approval_letter":
        return c.CreditApprovalLetter(
            meta=meta(kind, date(2026, 3, 12)),
            bank=BANK,
            enterprise=ENTERPRISE,
            amount=AMOUNT,
            annual_rate=RATE,
            term_months=12,
            patents=PATENTS,
            recommended_by="陈刚 Chen Gang",
            approved_by="赵敏 Zhao Min",
            approved_on=date(2026, 3, 12),
            loan_cap=c.Money(valuation_report().loan_cap, "CNY"),
        )
    if kind == "rejection_letter":
        return c.RejectionLetter(
            meta=meta(kind, date(2026, 3, 12)),
            bank=BANK,
            enterprise=ENTERPRISE,
            amount_requested=c.Money(Decimal("30000000.00"), "CNY"),
            term_months=36,
            reasons=(
                "申请金额超过评估确定的贷款上限。The amount requested exceeds the loan cap from the valuation.",
                "实用新型 ZL201920345678.1 的剩余保护期短于贷款期限加12个月。The utility model's remaining protection "
                "does not outlast the term by 12 months.",
            ),
            rejected_by="赵敏 Zhao Min",
            rejected_on=date(2026, 3, 12),
        )
    if kind == "loan_contract":
        return c.LoanContract(
            meta=meta(kind, SIGNED_ON),
            contract_number=f"{REFERENCE}-LC",
            lender=BANK,
            borrower=ENTERPRISE,
            amount=AMOUNT,
            annual_rate=RATE,
            term_months=12,
            starts_on=SIGNED_ON,
            matures_on=MATURES_ON,
            purpose="采购晶圆及扩产 Wafer purchases and a second production line",
            patents=PATENTS,
            pledge_contract_number=f"{REFERENCE}-PC",
            signed_on=SIGNED_ON,
        )
    if kind == "pledge_contract":
        return c.PledgeContract(
            meta=meta(kind, SIGNED_ON),
            contract_number=f"{REFERENCE}-PC",
            pledgor=ENTERPRISE,
            pledgee=BANK,
            debtor=ENTERPRISE,
            debt_kind_zh="借款合同项下的贷款本金及利息",
            debt_kind_en="Loan principal and interest under the loan contract",
            debt_amount=AMOUNT,
            debt_starts_on=SIGNED_ON,
            debt_ends_on=MATURES_ON,
            loan_contract_number=f"{REFERENCE}-LC",
            patents=PATENTS,
            signed_on=SIGNED_ON,
        )
    if kind == "registration_application":
        return c.RegistrationApplication(
            meta=meta(kind, date(2026, 3, 23)),
            pledgor=ENTERPRISE,
            pledgee=BANK,
            debt_kind_zh="借款合同项下的贷款本金及利息",
            debt_kind_en="Loan principal and interest under the loan contract",
            debt_amount=AMOUNT,
            debt_starts_on=SIGNED_ON,
            debt_ends_on=MATURES_ON,
            pledge_contract_number=f"{REFERENCE}-PC",
            patents=PATENTS,
            filed_on=date(2026, 3, 23),
            filed_by="陈刚 Chen Gang",
            acknowledged=("SAME_DAY_TWIN",),
        )
    if kind in ("us_recordation_cover_sheet", "us_release_cover_sheet"):
        release = kind == "us_release_cover_sheet"
        on = date(2027, 3, 22) if release else SIGNED_ON
        secured_party, debtor = BANK, ENTERPRISE
        return c.UsCoverSheet(
            meta=meta(kind, on, registered=release),
            conveying_party=secured_party if release else debtor,
            receiving_party=debtor if release else secured_party,
            nature_of_conveyance="Release by Secured Party" if release else "Security Agreement",
            execution_date=on,
            patents=(US_PATENT,),
            correspondence_name="Jiangnan Commercial Bank, Suzhou Branch — Credit Department",
            correspondence_address="1 Suzhou Avenue East, Suzhou, Jiangsu 215021, China",
            signer_name="陈刚 Chen Gang",
            signed_on=on,
            ucc_state="DE",
            ucc_file_number="2026 1234567",
        )
    if kind == "registration_notice":
        return c.RegistrationNotice(
            meta=meta(kind, date(2026, 3, 27), registered=True),
            registration_number=REGISTRATION_NUMBER,
            registered_on=date(2026, 3, 27),
            pledgor=ENTERPRISE,
            pledgee=BANK,
            debt_amount=AMOUNT,
            debt_starts_on=SIGNED_ON,
            debt_ends_on=MATURES_ON,
            patents=PATENTS,
            registrar_name="孙丽 Sun Li",
        )
    if kind == "us_notice_of_recordation":
        return c.UsRecordationNotice(
            meta=meta(kind, date(2026, 4, 2), registered=True),
            registration_number=REGISTRATION_NUMBER,
            reel=68123,
            frame=456,
            recorded_on=date(2026, 4, 2),
            conveying_party=ENTERPRISE,
            receiving_party=BANK,
            nature_of_conveyance="Security Agreement",
            execution_date=SIGNED_ON,
            patents=(US_PATENT,),
            registrar_name="孙丽 Sun Li",
        )
    if kind == "us_notice_of_non_recordation":
        return c.UsNonRecordationNotice(
            meta=meta(kind, date(2026, 3, 30)),
            filed_on=date(2026, 3, 23),
            refused_on=date(2026, 3, 30),
            conveying_party=ENTERPRISE,
            receiving_party=BANK,
            patents=(US_PATENT,),
            grounds=("COVER_SHEET_INCOMPLETE", "FEE_NOT_PAID"),
            ground_notes=("{'missing': ['receiving_party_address']}", ""),
            registrar_name="孙丽 Sun Li",
        )
    if kind == "refusal_notice":
        return c.RefusalNotice(
            meta=meta(kind, date(2026, 3, 26)),
            filed_on=date(2026, 3, 23),
            refused_on=date(2026, 3, 26),
            pledgor=ENTERPRISE,
            pledgee=BANK,
            patents=PATENTS,
            grounds=("ANNUAL_FEE_UNPAID", "CO_OWNER_CONSENT_MISSING", "TERM_EXCEEDS_PATENT"),
            ground_notes=("ZL201920345678.1", "ZL201920345678.1", "ZL201920345678.1: expires 2029-03-15"),
            registrar_name="孙丽 Sun Li",
            note="第7年度年费缴费期限为2026年3月15日。The 7th annual fee fell due on 2026-03-15.",
        )
    if kind == "change_notice":
        return c.ChangeNotice(
            meta=meta(kind, date(2026, 9, 1), registered=True),
            registration_number=REGISTRATION_NUMBER,
            changed_on=date(2026, 9, 1),
            pledgor=ENTERPRISE,
            pledgee=BANK,
            changes=(
                c.Change("amount", "CNY 5,000,000.00", "CNY 4,000,000.00"),
                c.Change("debt_ends_on", "2027-03-20", "2027-09-20"),
            ),
            registrar_name="孙丽 Sun Li",
            note="部分提前还款并展期。Part prepaid and term extended.",
        )
    if kind == "correction_notice":
        return c.CorrectionNotice(
            meta=meta(kind, date(2026, 3, 25)),
            filed_on=date(2026, 3, 23),
            requested_on=date(2026, 3, 25),
            filing_number=1,
            pledgor=ENTERPRISE,
            pledgee=BANK,
            patents=PATENTS,
            defects=(
                c.Defect("pledgee_address", "质权人住所不完整。The pledgee's address is incomplete."),
                c.Defect("ZL201920345678.1", "授权公告日有误。The grant date is wrong."),
            ),
            registrar_name="孙丽 Sun Li",
            note="请于收到本通知之日起补正。",
        )
    if kind == "cancellation_application":
        return c.CancellationApplication(
            meta=meta(kind, date(2027, 3, 20), registered=True),
            registration_number=REGISTRATION_NUMBER,
            registered_on=date(2026, 3, 27),
            applied_on=date(2027, 3, 20),
            ground="debt_discharged",
            pledgor=ENTERPRISE,
            pledgee=BANK,
            patents=PATENTS,
            applicant_name="陈刚 Chen Gang",
            repaid_on=date(2027, 3, 19),
        )
    if kind == "cancellation_notice":
        return c.CancellationNotice(
            meta=meta(kind, date(2027, 3, 22), registered=True),
            registration_number=REGISTRATION_NUMBER,
            registered_on=date(2026, 3, 27),
            cancelled_on=date(2027, 3, 22),
            reason="repaid",
            pledgor=ENTERPRISE,
            pledgee=BANK,
            patents=PATENTS,
            registrar_name="孙丽 Sun Li",
            repaid_on=date(2027, 3, 19),
        )
    if kind == "enforcement_record":
        return c.EnforcementRecord(
            meta=meta(kind, date(2027, 8, 30), registered=True),
            pledgor=ENTERPRISE,
            pledgee=BANK,
            registration_number=REGISTRATION_NUMBER,
            loan_amount=AMOUNT,
            defaulted_on=date(2027, 4, 10),
            default_reason="到期未还本金 Principal unpaid at maturity",
            method="auction",
            proceeds=c.Money(Decimal("4620000.00"), "CNY"),
            disposed_on=date(2027, 8, 30),
            patents=PATENTS,
            recorded_by="陈刚 Chen Gang",
        )
    if kind == "claim_dossier":
        # Hand-worked: 5,000,000 lent at 4.35% on 2026-03-20, 1,000,000 repaid, default on 2027-04-10,
        # auction 4,620,000; loss 380,000 + interest less proceeds, shared 54/26/16/4.
        return c.ClaimDossier(
            meta=meta(kind, date(2027, 9, 15), registered=True),
            claim_number="CL-2027-000007",
            office=c.Party(name="Suzhou Intellectual Property Office", name_zh="苏州市知识产权局"),
            programme_name="苏州知识产权质押融资风险补偿资金池 Suzhou IP Loan Risk Pool",
            programme_kind="risk_pool",
            borrower=ENTERPRISE,
            lender=BANK,
            registration_number=REGISTRATION_NUMBER,
            loan_amount=AMOUNT,
            annual_rate=RATE,
            disbursed_on=date(2026, 3, 30),
            ip_secured_amount=AMOUNT,
            defaulted_on=date(2027, 4, 10),
            disposal_method="auction",
            principal_unpaid=c.Money(Decimal("4000000.00"), "CNY"),
            interest_due=c.Money(Decimal("180000.00"), "CNY"),
            proceeds=c.Money(Decimal("3620000.00"), "CNY"),
            loss=c.Money(Decimal("560000.00"), "CNY"),
            covered_loss=c.Money(Decimal("560000.00"), "CNY"),
            parts=(
                c.ClaimPart("pool", Decimal("0.54"), Decimal("302400.00")),
                c.ClaimPart("bank", Decimal("0.26"), Decimal("145600.00")),
                c.ClaimPart("insurer", Decimal("0.16"), Decimal("89600.00")),
                c.ClaimPart("appraiser", Decimal("0.04"), Decimal("22400.00")),
                c.ClaimPart("guarantor", Decimal("0"), Decimal("0.00")),
            ),
            basis=None,
            amount=c.Money(Decimal("302400.00"), "CNY"),
            repayments=(c.ClaimRepayment(date(2026, 9, 30), Decimal("1000000.00"), Decimal("109643.84")),),
            evidence=(c.ClaimEvidence("质权实现记录", "Record of Enforcement of the Pledge", "ab" * 32),),
            patents=PATENTS,
            claimed_by="陈刚 Chen Gang",
        )
    raise KeyError(kind)
