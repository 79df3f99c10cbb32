"""The loan contract and the pledge contract signed at the contracted stage."""

from __future__ import annotations

from reportlab.platypus import Flowable

from . import formats
from .wording import security_scope_text
from .content import LoanContract, PledgeContract, Signatory
from .layout import (
    clauses,
    date_value,
    facts,
    heading,
    money_value,
    party_facts,
    party_text,
    patent_table,
    signatures,
    term_value,
)


def _default_signatories(first: tuple[str, str, str], second: tuple[str, str, str], on) -> tuple[Signatory, ...]:
    return (Signatory(first[0], first[1], first[2], on), Signatory(second[0], second[1], second[2], on))


def loan_contract(contract: LoanContract) -> list[Flowable]:
    money = contract.amount
    amount_en = formats.money_en(money.amount, money.currency)
    amount_zh = f"{formats.money_zh(money.amount, money.currency)}（大写：{formats.money_in_words_zh(money.amount, money.currency)}）"
    rate = formats.percent(contract.annual_rate)
    lender_zh, lender_en = party_text(contract.lender)
    borrower_zh, borrower_en = party_text(contract.borrower)
    signatories = contract.signatories or _default_signatories(
        ("贷款人（盖章）", "Lender (seal)", lender_en),
        ("借款人（盖章）", "Borrower (seal)", borrower_en),
        contract.signed_on,
    )
    return [
        facts(
            [
                ("合同编号", "Contract number", contract.contract_number),
                ("签订日期", "Signed on", date_value(contract.signed_on)),
            ]
        ),
        heading("当事人", "The parties"),
        facts(
            party_facts("贷款人", "Lender", contract.lender) + party_facts("借款人", "Borrower", contract.borrower)
        ),
        heading("合同条款", "Terms"),
        clauses(
            [
                (
                    f"借款金额：{amount_zh}。",
                    f"Amount: the lender lends the borrower {amount_en}.",
                ),
                (
                    f"借款用途：{contract.purpose}。借款人不得改变借款用途。",
                    f"Purpose: {contract.purpose}. The borrower may not use the loan for another purpose.",
                ),
                (
                    f"借款期限：{formats.months_zh(contract.term_months)}，自{formats.date_zh(contract.starts_on)}"
                    f"起至{formats.date_zh(contract.matures_on)}止；实际起算日以放款日为准。",
                    f"Term: {formats.months_en(contract.term_months)}, from {formats.date_en(contract.starts_on)} "
                    f"to {formats.date_en(contract.matures_on)}; it runs from the day the loan is disbursed.",
                ),
                (
                    f"利率：年利率{rate}，按日计息，按月付息，到期还本。",
                    f"Interest: {rate} a year, accruing daily, paid monthly; principal repaid at maturity.",
                ),
                (
                    f"担保：借款人以本合同附列专利权出质，另行签订编号为{contract.pledge_contract_number}的专利权质押合同。",
                    f"Security: the borrower pledges the patents listed below under pledge contract "
                    f"No. {contract.pledge_contract_number}.",
                ),
                (
                    "放款条件：质押在专利行政部门登记后，贷款人方予放款。",
                    "Disbursement: the lender disburses only after the pledge is registered with the patent office.",
                ),
                (
                    "违约：借款人逾期还款的，贷款人有权宣布贷款提前到期并依法实现质权。",
                    "Default: if the borrower fails to repay when due, the lender may call the loan and "
                    "enforce the pledge as the law allows.",
                ),
                (
                    "本合同自双方签字盖章之日起生效，一式两份，双方各执一份，中英文本具有同等效力。",
                    "This contract takes effect when both parties have signed and sealed it; it is made in "
                    "two counterparts, one for each party, and the Chinese and English texts are equally authentic.",
                ),
            ],
            numbered=True,
        ),
        facts(
            [
                ("借款金额", "Amount", money_value(money.amount, money.currency)),
                ("年利率", "Annual interest rate", rate),
                ("期限", "Term", term_value(contract.term_months)),
            ]
        ),
        heading("附：质押专利清单", "Schedule: patents pledged"),
        patent_table(contract.patents),
        signatures(signatories),
    ]


def pledge_contract(contract: PledgeContract) -> list[Flowable]:
    money = contract.debt_amount
    pledgor_zh, pledgor_en = party_text(contract.pledgor)
    pledgee_zh, pledgee_en = party_text(contract.pledgee)
    signatories = contract.signatories or _default_signatories(
        ("出质人（盖章）", "Pledgor (seal)", pledgor_en),
        ("质权人（盖章）", "Pledgee (seal)", pledgee_en),
        contract.signed_on,
    )
    return [
        facts(
            [
                ("合同编号", "Contract number", contract.contract_number),
                ("主合同编号", "Loan contract number", contract.loan_contract_number),
                ("签订日期", "Signed on", date_value(contract.signed_on)),
            ]
        ),
        heading("一、当事人", "1. The parties"),
        facts(
            party_facts("出质人", "Pledgor", contract.pledgor)
            + party_facts("质权人", "Pledgee", contract.pledgee)
            + [("债务人", "Debtor", party_text(contract.debtor))]
        ),
        heading("二、被担保的主债权", "2. The secured debt"),
        facts(
            [
                ("债权种类", "Kind of debt", (contract.debt_kind_zh, contract.debt_kind_en)),
                ("债权数额", "Amount", money_value(money.amount, money.currency)),
                ("大写金额", "Amount in words", formats.money_in_words_zh(money.amount, money.currency)),
            ]
        ),
        heading("三、债务人履行债务的期限", "3. The debtor's term"),
        facts(
            [
                ("起始日", "From", date_value(contract.debt_starts_on)),
                ("届满日", "To", date_value(contract.debt_ends_on)),
            ]
        ),
        heading("四、质押专利清单", "4. The patents pledged"),
        facts([("专利件数", "Number of patents", str(len(contract.patents)))]),
        patent_table(contract.patents, with_consent=True),
        heading("五、质押担保的范围", "5. The scope of the security"),
        facts([("担保范围", "The pledge secures", security_scope_text(contract.security_scope))]),
        heading("六、其他约定", "6. Further terms"),
        clauses(
            [
                (
                    "双方应自本合同生效之日起共同向专利行政部门办理质押登记；质权自登记时设立。",
                    "The parties file the pledge for registration with the patent office together once "
                    "this contract takes effect; the pledge exists from registration.",
                ),
                (
                    "质押期间，出质人应按时缴纳年费，维持专利权有效；未经质权人书面同意，不得转让或许可他人实施出质专利。",
                    "While the pledge lasts the pledgor pays every annual fee on time and keeps the patents in "
                    "force, and neither assigns nor licenses them without the pledgee's written consent.",
                ),
                (
                    "债务人不履行到期债务的，质权人可以与出质人协议以出质专利折价，或依法拍卖、变卖出质专利并优先受偿。",
                    "If the debtor fails to pay a debt when due, the pledgee may take the patents at an agreed "
                    "value, or have them auctioned or sold as the law allows, and is paid first from the proceeds.",
                ),
                (
                    "主债权清偿后，双方应及时办理质押登记注销手续。",
                    "Once the secured debt is repaid, the parties have the registration cancelled without delay.",
                ),
            ],
            numbered=True,
        ),
        signatures(signatories),
    ]
