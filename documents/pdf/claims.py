"""The claim dossier: a loan enrolled in a public programme, the loss or subsidy claimed, its split and evidence."""

from __future__ import annotations

from decimal import Decimal

from reportlab.platypus import Flowable

from . import wording
from .content import ClaimDossier, Signatory
from .layout import clauses, date_value, facts, gap, grid, heading, money_value, party_facts, patent_table, signatures


def _percent(share: Decimal | None) -> str:
    return "—" if share is None else f"{(share * 100).normalize():f}%"


def claim_dossier(dossier: ClaimDossier) -> list[Flowable]:
    currency = dossier.loan_amount.currency
    kind = wording.bilingual(wording.PROGRAMME_KINDS, dossier.programme_kind)
    story: list[Flowable] = [
        clauses(
            [
                (
                    "贷款银行就下列纳入公共项目的知识产权质押贷款提出申请，所列数额依据贷款台账及处置结果计算。",
                    "The lending bank claims on the public programme below for the enrolled IP pledge loan; the "
                    "figures are computed from the loan's ledger and the outcome of enforcement.",
                )
            ]
        ),
        gap(1),
        facts(
            [("申请编号", "Claim number", dossier.claim_number)]
            + party_facts("项目管理机关", "Programme office", dossier.office)
            + [("项目", "Programme", dossier.programme_name), ("项目类型", "Kind", kind)]
        ),
        heading("贷款", "The loan"),
        facts(
            party_facts("借款人（出质人）", "Borrower (pledgor)", dossier.borrower)
            + party_facts("贷款银行（质权人）", "Lender (pledgee)", dossier.lender)
            + [
                ("质押登记号", "Registration number", dossier.registration_number or "—"),
                ("贷款金额", "Loan amount", money_value(dossier.loan_amount.amount, currency)),
                ("年利率", "Annual rate", _percent(dossier.annual_rate)),
                ("放款日", "Disbursed on", date_value(dossier.disbursed_on) if dossier.disbursed_on else "—"),
                ("知识产权担保部分", "IP-secured amount", money_value(dossier.ip_secured_amount.amount, currency)),
            ]
        ),
    ]
    if dossier.loss is not None:
        rows = [
            ("未偿本金", "Principal unpaid", money_value(dossier.principal_unpaid.amount, currency)),
            ("应付利息", "Interest due", money_value(dossier.interest_due.amount, currency)),
            ("处置回收", "Disposal proceeds", money_value(dossier.proceeds.amount, currency)),
            ("损失", "Loss", money_value(dossier.loss.amount, currency)),
            ("纳入补偿的损失", "Loss covered (IP-secured part)", money_value(dossier.covered_loss.amount, currency)),
        ]
        if dossier.defaulted_on:
            rows.insert(0, ("违约宣告日", "Default declared on", date_value(dossier.defaulted_on)))
        if dossier.disposal_method:
            rows.insert(1, ("处置方式", "Disposal method",
                            wording.bilingual(wording.DISPOSAL_METHODS, dossier.disposal_method)))
        story += [heading("损失", "The loss"), facts(rows), heading("损失分担", "How the loss is shared")]
        story.append(
            grid(
                [("承担方", "Party"), ("比例", "Share"), ("金额", "Amount")],
                [[wording.bilingual(wording.CLAIM_PARTIES, p.party), _percent(p.share),
                  money_value(p.amount, currency)] for p in dossier.parts],
                [50, 20, 50],
                numeric=frozenset({1, 2}),
            )
        )
    else:
        story += [heading("补贴依据", "Basis of the subsidy"),
                  facts([("依据金额", "Basis", money_value(dossier.basis.amount, currency))])]
    story += [
        gap(1),
        facts([("申请金额", "Amount claimed", money_value(dossier.amount.amount, currency))]),
        heading("还款记录", "Repayments"),
        grid(
            [("还款日", "Paid on"), ("本金", "Principal"), ("利息", "Interest")],
            [[date_value(r.paid_on), money_value(r.principal, currency), money_value(r.interest, currency)]
             for r in dossier.repayments] or [["—", "—", "—"]],
            [40, 40, 40],
            numeric=frozenset({1, 2}),
        ),
        heading("证明材料", "Evidence"),
        grid(
            [("文件", "Document"), ("SHA-256", "SHA-256")],
            [[(e.title_zh, e.title_en), e.sha256 or "—"] for e in dossier.evidence] or [["—", "—"]],
            [45, 75],
        ),
        heading("质押专利", "Pledged patents"),
        patent_table(dossier.patents),
        signatures([Signatory("申请人（贷款银行）", "Claimed by (lender)", dossier.claimed_by, dossier.meta.issued_on)]),
    ]
    return story
