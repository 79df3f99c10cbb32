"""The fixed bilingual wording of the documents: titles, ground codes, kinds, methods."""

from __future__ import annotations

# kind -> (Chinese title, English title)
TITLES: dict[str, tuple[str, str]] = {
    "application_form": ("专利权质押融资申请书", "Patent Pledge Financing Application"),
    "valuation_report": ("专利价值评估报告", "Patent Valuation Report"),
    "credit_approval_letter": ("授信批复函", "Credit Approval Letter"),
    "rejection_letter": ("贷款申请不予批准通知书", "Notice of Rejection of Loan Application"),
    "loan_contract": ("借款合同", "Loan Contract"),
    "pledge_contract": ("专利权质押合同", "Patent Pledge Contract"),
    "registration_application": ("专利权质押登记申请表", "Application for Registration of a Patent Pledge"),
    "us_recordation_cover_sheet": (
        "美国专利担保权益登记封面页",
        "Recordation Cover Sheet — Patents (Security Agreement)",
    ),
    "registration_notice": ("专利权质押登记通知书", "Notice of Registration of a Patent Pledge"),
    "refusal_notice": ("专利权质押不予登记通知书", "Notice of Refusal to Register a Patent Pledge"),
    "us_notice_of_recordation": ("美国专利商标局登记通知", "Notice of Recordation"),
    "us_notice_of_non_recordation": ("美国专利商标局不予登记通知", "Notice of Non-Recordation"),
    "change_notice": ("专利权质押登记变更通知书", "Notice of Change of a Patent Pledge Registration"),
    "correction_notice": ("专利权质押登记补正通知书", "Notice to Correct a Patent Pledge Filing"),
    "cancellation_application": ("专利权质押登记注销申请表", "Application to Cancel a Patent Pledge Registration"),
    "cancellation_notice": ("专利权质押登记注销通知书", "Notice of Cancellation of a Patent Pledge Registration"),
    "us_release_cover_sheet": (
        "美国专利担保权益解除登记封面页",
        "Recordation Cover Sheet — Patents (Release by Secured Party)",
    ),
    "enforcement_record": ("质权实现记录", "Record of Enforcement of the Pledge"),
    "claim_dossier": ("风险补偿及贴息申请材料", "Programme Claim Dossier"),
}

PROGRAMME_KINDS: dict[str, tuple[str, str]] = {
    "risk_pool": ("知识产权质押融资风险补偿资金池", "Risk-compensation pool"),
    "interest_subsidy": ("贷款贴息", "Interest subsidy"),
    "evaluation_fee_subsidy": ("评估费补贴", "Evaluation-fee subsidy"),
    "guarantee_insurance": ("保证保险", "Guarantee insurance"),
}

CLAIM_PARTIES: dict[str, tuple[str, str]] = {
    "pool": ("风险补偿资金池", "Pool"),
    "bank": ("贷款银行", "Bank"),
    "insurer": ("保险机构", "Insurer"),
    "appraiser": ("评估机构", "Appraiser"),
    "guarantor": ("担保机构", "Guarantor"),
}

# DOMAIN.md section 3: code -> (Chinese, English)
GROUNDS: dict[str, tuple[str, str]] = {
    "PLEDGOR_NOT_OWNER": (
        "出质人不是登记簿上记载的专利权人。",
        "The pledgor is not the patentee on the register at the time of filing.",
    ),
    "PATENT_NOT_IN_FORCE": (
        "专利权已终止、期满或被宣告无效。",
        "The patent has lapsed, expired or been declared invalid.",
    ),
    "NOT_GRANTED": (
        "该专利尚处于申请阶段，未被授予专利权。",
        "The patent is still an application and has not been granted.",
    ),
    "ANNUAL_FEE_UNPAID": (
        "专利年费逾期未缴纳。",
        "An annual fee is unpaid past its due date.",
    ),
    "OWNERSHIP_FROZEN": (
        "因权属纠纷中止有关程序，或存在法院财产保全措施。",
        "An ownership dispute has suspended proceedings, or a court preservation order stands.",
    ),
    "TERM_EXCEEDS_PATENT": (
        "债务履行期限届满日晚于专利权期限届满日。",
        "The debtor's term ends after the patent expires.",
    ),
    "CONTRACT_INCOMPLETE": (
        "质押合同缺少必备条款（当事人名称及地址、被担保债权种类和数额、债务履行期限、专利件数及每项专利的专利号、"
        "名称、申请日和授权公告日、质押担保的范围）。",
        "The pledge contract lacks a mandatory item (both parties' names and addresses, the kind and amount of "
        "the debt, the term, the number of patents and each one's number, title and dates, the scope of the "
        "security).",
    ),
    "CO_OWNER_CONSENT_MISSING": (
        "共有专利出质未取得全体共有人同意。",
        "A co-owned patent is pledged without every co-owner's consent.",
    ),
    "ALREADY_PLEDGED": (
        "该专利已办理质押登记且尚未注销。",
        "The patent is under a registered pledge that has not been cancelled.",
    ),
    "SAME_DAY_TWIN": (
        "该实用新型存在同日申请的发明专利，当事人未予确认。",
        "The utility model has a same-day invention twin, and the parties have not acknowledged it.",
    ),
    "INVALIDATION_PENDING": (
        "该专利有尚未审结的无效宣告请求，当事人未予确认。",
        "An invalidation request is pending, and the parties have not acknowledged it.",
    ),
    "OTHER": (
        "其他依法不得出质的情形。",
        "Another case in which the law does not allow the patent to be pledged.",
    ),
}

# The reasons of a USPTO notice of non-recordation (registration.recordation): code -> (Chinese, English)
NON_RECORDATION: dict[str, tuple[str, str]] = {
    "COVER_SHEET_INCOMPLETE": ("登记封面页缺少37 CFR 3.31规定的必备事项。", "The cover sheet lacks an item required by 37 CFR 3.31."),
    "PROPERTY_NOT_IDENTIFIED": ("所涉专利未以美国专利号指明。", "A property is not identified by its US patent number."),
    "FEE_NOT_PAID": ("未缴纳登记费。", "The recording fee has not been paid."),
    "OTHER": ("其他原因（见说明）。", "Another reason (see the note)."),
}

# The text the grounds are cited from (registration.refusals.MEASURES), as the notices print it.
MEASURES_CITATION: tuple[str, str] = (
    "依据《专利权质押登记办法》（国家知识产权局，2021年）",
    "Under the Measures for Patent Pledge Registration (CNIPA, 2021)",
)

# What the pledge secures (registration.refusals.SECURITY_SCOPE), as the contract and filing print it.
SECURITY_SCOPE: dict[str, tuple[str, str]] = {
    "principal": ("主债权本金", "the principal"),
    "interest": ("利息", "interest"),
    "penalties": ("罚息、违约金及损害赔偿金", "penalty interest, liquidated damages and damages"),
    "enforcement_costs": ("实现质权的费用", "the costs of enforcing the pledge"),
}

# what the parties accept when they file anyway (WORKFLOW.md file_registration)
ACKNOWLEDGEMENTS: dict[str, tuple[str, str]] = {
    "SAME_DAY_TWIN": (
        "当事人已知悉该实用新型存在同日申请的发明专利，并同意出质。",
        "The parties know the utility model has a same-day invention twin and pledge it nonetheless.",
    ),
    "INVALIDATION_PENDING": (
        "当事人已知悉该专利有尚未审结的无效宣告请求，并同意出质。",
        "The parties know an invalidation request is pending and pledge the patent nonetheless.",
    ),
}

PATENT_KINDS: dict[str, tuple[str, str]] = {
    "invention": ("发明", "Invention"),
    "utility_model": ("实用新型", "Utility model"),
    "design": ("外观设计", "Design"),
}

PATENT_STATUSES: dict[str, tuple[str, str]] = {
    "in_force": ("有效", "In force"),
    "lapsed": ("失效", "Lapsed"),
    "expired": ("期满终止", "Expired"),
    "invalidated": ("被宣告无效", "Invalidated"),
}

APPROACHES: dict[str, tuple[str, str]] = {
    "income": ("收益法（许可费节省法）", "Income (relief from royalty)"),
    "cost": ("成本法", "Cost"),
    "market": ("市场法", "Market"),
}

VALUE_TYPES: dict[str, tuple[str, str]] = {
    "market": ("市场价值", "Market value"),
    "liquidation": ("清算价值", "Liquidation value"),
}

VALUE_TYPE_MEANINGS: dict[str, tuple[str, str]] = {
    "market": (
        "市场价值：各评估方法结果加权得出的价值。",
        "Market value: what the approaches, weighted, come to.",
    ),
    "liquidation": (
        "清算价值：市场价值扣除按专利类型确定的变现折扣，即强制出售可实现的价值。",
        "Liquidation value: the market value less the forced-sale discount for the patent's kind, "
        "what a forced sale would fetch.",
    ),
}

QUALITY_DIMENSIONS: dict[str, tuple[str, str]] = {
    "legal": ("法律价值度", "Legal"),
    "technical": ("技术价值度", "Technical"),
    "economic": ("经济价值度", "Economic"),
}

QUALITY_INDICATORS: dict[str, tuple[str, str]] = {
    "claim_stability": ("权利稳定性", "claim stability"),
    "non_circumventability": ("不可规避性", "non-circumventability"),
    "infringement_detectability": ("侵权可判定性", "infringement detectability"),
    "remaining_term": ("剩余有效期", "remaining term"),
    "family_coverage": ("海外同族覆盖", "family coverage abroad"),
    "family_coverage_abroad": ("海外同族覆盖", "family coverage abroad"),
    "licensing_status": ("许可实施状况", "licensing status"),
    "advancement": ("技术先进性", "advancement"),
    "maturity": ("技术成熟度", "maturity"),
    "breadth_of_application": ("应用范围", "breadth of application"),
    "application_breadth": ("应用范围", "breadth of application"),
    "substitutability": ("可替代性", "substitutability"),
    "dependence": ("技术依存度", "dependence on other technology"),
    "dependence_on_other_technology": ("技术依存度", "dependence on other technology"),
    "market_size": ("市场规模", "market size"),
    "market_share": ("市场占有率", "market share"),
    "competition": ("竞争情况", "competition"),
    "policy_fit": ("政策适应性", "policy fit"),
    "realisability": ("可实现性", "realisability"),
}

HIGH_VALUE_CATEGORIES: dict[str, tuple[str, str]] = {
    "strategic_industry": ("属于战略性新兴产业", "belongs to a strategic emerging industry"),
    "strategic_emerging_industry": ("属于战略性新兴产业", "belongs to a strategic emerging industry"),
    "foreign_family": ("在海外有同族专利权", "has a granted family member abroad"),
    "maintained_over_10_years": ("维持年限超过10年", "maintained for more than 10 years since filing"),
    "long_maintained": ("维持年限超过10年", "maintained for more than 10 years since filing"),
    "pledge_amount": ("实现较高金额的质押融资", "has secured a pledge of at least the set amount"),
    "large_pledge": ("实现较高金额的质押融资", "has secured a pledge of at least the set amount"),
    "maintained_long": ("维持年限超过规定年限", "maintained for more than the set years since filing"),
    "pledge_secured": ("实现较高质押融资金额", "has secured a pledge of at least the set amount"),
    "national_award": ("获得国家科学技术奖或中国专利奖", "has won a national science and technology or patent award"),
    "award": ("获得国家科学技术奖或中国专利奖", "has won a national science and technology award or a national patent award"),
    "national_science_technology_award": ("获得国家科学技术奖", "has won a national science and technology award"),
    "national_patent_award": ("获得中国专利奖", "has won a national patent award"),
}

LTV_ADJUSTMENTS: dict[str, tuple[str, str]] = {
    "high_quality": ("质量评分不低于80分", "quality score of 80 or more"),
    "low_quality": ("质量评分低于50分", "quality score below 50"),
    "high_value": ("高价值发明专利", "high-value invention patent"),
    "ceiling": ("不超过质押率上限", "held to the loan-to-value ceiling"),
    "floor": ("不低于质押率下限", "held to the loan-to-value floor"),
    "not_in_force": ("专利权未处于有效状态，不予计入", "patent not in force: secures nothing"),
}

DISPOSAL_METHODS: dict[str, tuple[str, str]] = {
    "sale": ("转让（变卖）", "Sale"),
    "auction": ("拍卖", "Auction"),
    "licence": ("许可", "Licence"),
    "license": ("许可", "Licence"),
    "discount": ("折价", "Set-off at agreed value"),
}

CANCELLATION_REASONS: dict[str, tuple[str, str]] = {
    "repaid": ("被担保债权已清偿", "The secured debt has been repaid"),
    "disposed": ("质权已实现", "The pledge has been enforced"),
    "debt_discharged": ("被担保债权已清偿", "The secured debt has been repaid"),
    "pledgee_waived": ("质权人放弃质权", "The pledgee has waived the pledge"),
    "contract_void": ("质押合同无效或被撤销", "The pledge contract is void or has been revoked"),
    "other": ("其他依法注销的情形", "Another lawful reason"),
}

CHANGE_ITEMS: dict[str, tuple[str, str]] = {
    "amount": ("被担保债权数额", "Secured amount"),
    "debt_amount": ("被担保债权数额", "Secured amount"),
    "term": ("债务履行期限", "Debtor's term"),
    "term_months": ("债务履行期限（月）", "Debtor's term (months)"),
    "debt_ends_on": ("债务履行期限届满日", "Debtor's term ends on"),
    "pledgor_name": ("出质人名称", "Pledgor's name"),
    "pledgee_name": ("质权人名称", "Pledgee's name"),
    "pledgor_address": ("出质人地址", "Pledgor's address"),
    "pledgee_address": ("质权人地址", "Pledgee's address"),
    "annual_rate": ("年利率", "Annual interest rate"),
    "debt_currency": ("币种", "Currency"),
    "debt_kind": ("被担保债权种类", "Kind of debt"),
    "term_end": ("债务履行期限届满日", "Debtor's term ends on"),
    "pledgor_name_zh": ("出质人中文名称", "Pledgor's Chinese name"),
    "pledgee_name_zh": ("质权人中文名称", "Pledgee's Chinese name"),
    "release_patents": ("解除质押的专利", "Patents released from the pledge"),
    "patents": ("出质专利", "Patents pledged"),
}

DEBT_KINDS: dict[str, tuple[str, str]] = {
    "loan": ("借款合同项下的贷款本金及利息", "Loan principal and interest under the loan contract"),
}


def bilingual(table: dict[str, tuple[str, str]], code: str) -> tuple[str, str]:
    """The words for a code, or the code itself in both columns when it is not a known one."""
    return table.get(code, (code, code.replace("_", " ")))


def security_scope_text(scope) -> tuple[str, str]:
    """What the pledge secures, in both languages, from the codes of registration.refusals.SECURITY_SCOPE."""
    words = [bilingual(SECURITY_SCOPE, code) for code in scope]
    return "、".join(zh for zh, _ in words), ", ".join(en for _, en in words)
