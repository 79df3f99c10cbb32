"""The record of how a defaulted loan's pledge was enforced."""

from __future__ import annotations

from reportlab.platypus import Flowable

from . import formats, wording
from .content import EnforcementRecord, Signatory
from .layout import clauses, date_value, facts, gap, heading, money_value, party_facts, patent_table, signatures


def enforcement_record(record: EnforcementRecord) -> list[Flowable]:
    loan, proceeds = record.loan_amount, record.proceeds
    method = wording.bilingual(wording.DISPOSAL_METHODS, record.method)
    return [
        clauses(
            [
                (
                    "债务人未履行到期债务，质权人依质押合同和法律规定实现质权，记录如下。",
                    "The debtor did not pay the debt when due; the pledgee has enforced the pledge under the "
                    "pledge contract and the law, as recorded below.",
                )
            ]
        ),
        gap(1),
        facts(
            party_facts("出质人（债务人）", "Pledgor (debtor)", record.pledgor)
            + party_facts("质权人", "Pledgee", record.pledgee)
            + [("质押登记号", "Registration number", record.registration_number or "—")]
        ),
        heading("违约", "Default"),
        facts(
            [
                ("贷款金额", "Loan amount", money_value(loan.amount, loan.currency)),
                ("违约宣告日", "Default declared on", date_value(record.defaulted_on)),
                ("违约事由", "Reason", record.default_reason),
            ]
        ),
        heading("质权实现", "Enforcement"),
        facts(
            [
                ("实现方式", "Method", method),
                ("所得价款", "Proceeds", money_value(proceeds.amount, proceeds.currency)),
                ("大写金额", "Proceeds in words", formats.money_in_words_zh(proceeds.amount, proceeds.currency)),
                ("完成日期", "Completed on", date_value(record.disposed_on)),
            ]
        ),
        heading("处置的专利", "Patents disposed of"),
        patent_table(record.patents),
        gap(2),
        clauses(
            [
                (
                    "所得价款优先清偿被担保债权及实现质权的费用；质押登记随后注销。",
                    "The proceeds pay the secured debt and the costs of enforcement first; the pledge "
                    "registration is then cancelled.",
                )
            ]
        ),
        signatures([Signatory("记录人（质权人）", "Recorded by (pledgee)", record.recorded_by, record.disposed_on)]),
    ]
