"""The bank-side documents before contract: application form, credit approval letter, rejection letter."""

from __future__ import annotations

from reportlab.platypus import Flowable

from . import formats
from .content import ApplicationForm, CreditApprovalLetter, RejectionLetter, Signatory
from .layout import (
    clauses,
    date_value,
    facts,
    gap,
    heading,
    money_value,
    pair,
    party_facts,
    party_text,
    patent_table,
    signatures,
    term_value,
    text,
)


def application_form(form: ApplicationForm) -> list[Flowable]:
    money = form.amount_requested
    return [
        clauses(
            [
                (
                    "申请人以下列专利权出质，向贷款人申请贷款，并保证所填内容真实、准确、完整。",
                    "The applicant applies to the lender for a loan secured by a pledge of the patents "
                    "listed below, and declares that what it states here is true, accurate and complete.",
                )
            ]
        ),
        heading("一、申请人", "1. Applicant"),
        facts(party_facts("申请人（出质人）", "Applicant (pledgor)", form.applicant)),
        heading("二、贷款人", "2. Lender"),
        facts(party_facts("贷款人（质权人）", "Lender (pledgee)", form.bank)),
        heading("三、申请内容", "3. Loan requested"),
        facts(
            [
                ("申请金额", "Amount requested", money_value(money.amount, money.currency)),
                ("大写金额", "Amount in words", formats.money_in_words_zh(money.amount, money.currency)),
                ("期限", "Term", term_value(form.term_months)),
                ("用途", "Purpose", form.purpose),
                ("提交日期", "Submitted on", date_value(form.submitted_on)),
            ]
        ),
        heading("四、拟出质专利", "4. Patents offered in pledge"),
        patent_table(form.patents, with_consent=True),
        heading("五、申请人声明", "5. Declaration"),
        clauses(
            [
                (
                    "申请人是上列专利的专利权人；共有专利已取得全体共有人同意。",
                    "The applicant is the patentee of the patents listed; every co-owner of a "
                    "co-owned patent has consented to the pledge.",
                ),
                (
                    "申请人同意贷款人委托评估机构对上列专利进行价值评估。",
                    "The applicant agrees that the lender may have the patents valued by an appraiser.",
                ),
            ],
            numbered=True,
        ),
        signatures([Signatory("申请人（盖章）", "Applicant (seal)", form.submitted_by, form.submitted_on)]),
    ]


def credit_approval_letter(letter: CreditApprovalLetter) -> list[Flowable]:
    money = letter.amount
    zh_name, en_name = party_text(letter.enterprise)
    rows = [
        ("借款人", "Borrower", party_text(letter.enterprise)),
        ("贷款人", "Lender", party_text(letter.bank)),
        ("批准金额", "Amount approved", money_value(money.amount, money.currency)),
        ("大写金额", "Amount in words", formats.money_in_words_zh(money.amount, money.currency)),
        ("年利率", "Annual interest rate", formats.percent(letter.annual_rate)),
        ("期限", "Term", term_value(letter.term_months)),
    ]
    if letter.loan_cap is not None:
        rows.append(("评估可贷上限", "Loan cap from valuation", money_value(letter.loan_cap.amount, letter.loan_cap.currency)))
    rows.append(("批准日期", "Approved on", date_value(letter.approved_on)))
    story: list[Flowable] = [
        pair(f"致：{zh_name}", f"To: {en_name}", "lead"),
        gap(1),
        clauses(
            [
                (
                    "经审查，我行同意以下列专利权质押为担保向贵司提供贷款，具体如下：",
                    "Having reviewed your application, the bank approves a loan secured by a pledge of "
                    "the patents listed below, on these terms:",
                )
            ]
        ),
        gap(1),
        facts(rows),
        heading("质押专利", "Patents pledged"),
        patent_table(letter.patents),
        heading("放款条件", "Conditions of disbursement"),
        clauses(
            [
                (
                    "借款合同与专利权质押合同签订后，由出质人与质权人共同办理专利权质押登记。",
                    "After the loan contract and the pledge contract are signed, pledgor and pledgee "
                    "file the pledge for registration together.",
                ),
                (
                    "质押登记完成前不予放款。",
                    "The loan is not disbursed before the pledge is registered.",
                ),
            ],
            numbered=True,
        ),
    ]
    if letter.note:
        story += [heading("备注", "Note"), text(letter.note)]
    story.append(
        signatures(
            [
                Signatory("推荐人（信贷员）", "Recommended by (credit officer)", letter.recommended_by),
                Signatory("审批人", "Approved by", letter.approved_by, letter.approved_on),
            ]
        )
    )
    return story


def rejection_letter(letter: RejectionLetter) -> list[Flowable]:
    money = letter.amount_requested
    zh_name, en_name = party_text(letter.enterprise)
    story: list[Flowable] = [
        pair(f"致：{zh_name}", f"To: {en_name}", "lead"),
        gap(1),
        clauses(
            [
                (
                    "经审查，我行决定不予批准贵司的下列贷款申请，理由如下。",
                    "Having reviewed your application below, the bank has decided not to grant the loan, "
                    "for the reasons that follow.",
                )
            ]
        ),
        gap(1),
        facts(
            [
                ("申请人", "Applicant", party_text(letter.enterprise)),
                ("贷款人", "Lender", party_text(letter.bank)),
                ("申请金额", "Amount requested", money_value(money.amount, money.currency)),
                ("期限", "Term", term_value(letter.term_months)),
                ("决定日期", "Decided on", date_value(letter.rejected_on)),
            ]
        ),
        heading("不予批准的理由", "Reasons"),
    ]
    story += [text(f"{index}. {reason}") for index, reason in enumerate(letter.reasons, start=1)]
    if letter.note:
        story += [heading("备注", "Note"), text(letter.note)]
    story += [
        gap(2),
        clauses(
            [
                (
                    "贵司可在上述情形消除后重新提出申请。",
                    "You may apply again once the reasons above no longer apply.",
                )
            ]
        ),
        signatures([Signatory("贷款人（盖章）", "Lender (seal)", letter.rejected_by, letter.rejected_on)]),
    ]
    return story
