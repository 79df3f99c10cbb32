"""The registration documents: the CN filing form, the US cover sheets, and the registrar's notices."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from . import formats, wording
from .content import (
    CancellationApplication,
    CancellationNotice,
    ChangeNotice,
    CorrectionNotice,
    RefusalNotice,
    RegistrationApplication,
    RegistrationNotice,
    Signatory,
    UsCoverSheet,
    UsNonRecordationNotice,
    UsRecordationNotice,
)
from .layout import (
    Paragraph,
    clauses,
    date_value,
    facts,
    gap,
    grid,
    heading,
    money_value,
    pair,
    party_facts,
    party_text,
    patent_table,
    safe_markup,
    signatures,
    stylesheet,
    text,
)


def registration_application(form: RegistrationApplication) -> list[Flowable]:
    money = form.debt_amount
    pledgor_zh, pledgor_en = party_text(form.pledgor)
    pledgee_zh, pledgee_en = party_text(form.pledgee)
    filing_rows = [
        ("申请日期", "Filed on", date_value(form.filed_on)),
        ("提交人", "Filed by", form.filed_by),
        ("质押合同编号", "Pledge contract number", form.pledge_contract_number),
    ]
    if form.filing_number > 1:
        filing_rows.append(
            ("提交次数", "Filing", (f"第{form.filing_number}次提交（更正后重新提交）", f"No. {form.filing_number} (filed again after correction)"))
        )
    story: list[Flowable] = [
        facts(filing_rows),
        heading("一、出质人", "1. Pledgor"),
        facts(party_facts("出质人", "Pledgor", form.pledgor)),
        heading("二、质权人", "2. Pledgee"),
        facts(party_facts("质权人", "Pledgee", form.pledgee)),
        heading("三、被担保的主债权", "3. The secured debt"),
        facts(
            [
                ("债权种类", "Kind of debt", (form.debt_kind_zh, form.debt_kind_en)),
                ("债权数额", "Amount", money_value(money.amount, money.currency)),
                ("大写金额", "Amount in words", formats.money_in_words_zh(money.amount, money.currency)),
                (
                    "债务履行期限",
                    "Debtor's term",
                    (
                        f"{formats.date_zh(form.debt_starts_on)}至{formats.date_zh(form.debt_ends_on)}",
                        f"{formats.date_en(form.debt_starts_on)} to {formats.date_en(form.debt_ends_on)}",
                    ),
                ),
            ]
        ),
        heading("四、出质专利", "4. The patents pledged"),
        facts([("专利件数", "Number of patents", str(len(form.patents)))]),
        patent_table(form.patents, with_consent=True),
    ]
    if form.security_scope:
        story += [
            facts([("担保范围", "Scope of the security", wording.security_scope_text(form.security_scope))]),
        ]
    story += [
        heading("五、当事人确认事项", "5. What the parties acknowledge"),
    ]
    if form.acknowledged:
        story.append(clauses([wording.bilingual(wording.ACKNOWLEDGEMENTS, code) for code in form.acknowledged], numbered=True))
    else:
        story.append(clauses([("无。", "Nothing.")]))
    story += [
        heading("六、声明", "6. Declaration"),
        clauses(
            [
                (
                    "出质人与质权人共同申请办理上述专利权质押登记，并保证所提交的材料真实、准确、完整。",
                    "The pledgor and the pledgee apply together for registration of the pledge above and "
                    "declare that what they file is true, accurate and complete.",
                )
            ]
        ),
    ]
    if form.particulars_sha256:
        story.append(
            facts([("双方签署内容摘要", "SHA-256 of the particulars both sides signed", form.particulars_sha256)])
        )
    story.append(
        signatures(
            form.signatories
            or [
                Signatory("出质人（盖章）", "Pledgor (seal)", pledgor_en, form.filed_on),
                Signatory("质权人（盖章）", "Pledgee (seal)", pledgee_en, form.filed_on),
            ]
        )
    )
    return story


def _party_with_address(party) -> tuple[str, str]:
    zh, en = party_text(party)
    return zh, f"{en}\n{party.address}" if party.address else en


def us_cover_sheet(sheet: UsCoverSheet) -> list[Flowable]:
    """Laid out in the numbered items of the USPTO recordation cover sheet for patents."""
    release = sheet.nature_of_conveyance.lower().startswith("release")
    nature_zh = "担保权益解除（Release by Secured Party）" if release else "担保协议（Security Agreement）"
    numbers = ", ".join(p.number for p in sheet.patents)
    rows = [
        ("1. 转让方名称", "1. Name of conveying party", party_text(sheet.conveying_party)),
        ("2. 受让方名称及地址", "2. Name and address of receiving party", _party_with_address(sheet.receiving_party)),
        ("3. 转让性质", "3. Nature of conveyance", (nature_zh, sheet.nature_of_conveyance)),
        ("签署日期", "Execution date", date_value(sheet.execution_date)),
        ("4. 专利号", "4. Patent number(s)", numbers),
        ("5. 通信联系人及地址", "5. Correspondence name and address", f"{sheet.correspondence_name}\n{sheet.correspondence_address}"),
        ("6. 涉及专利总数", "6. Total number of patents involved", str(len(sheet.patents))),
    ]
    if sheet.ucc_state or sheet.ucc_file_number:
        rows.append(
            (
                "UCC-1 融资声明",
                "UCC-1 financing statement",
                (
                    f"{sheet.ucc_state} 州，文件号 {sheet.ucc_file_number}",
                    f"State {sheet.ucc_state}, file number {sheet.ucc_file_number}",
                ),
            )
        )
    return [
        clauses(
            [
                (
                    "致美国专利商标局局长：请登记所附原始文件或其副本。",
                    "To the Director of the U.S. Patent and Trademark Office: please record the attached "
                    "documents or the new address(es) below.",
                )
            ]
        ),
        gap(1),
        facts(rows, label_width=58 * mm),
        heading("专利清单", "Patents"),
        patent_table(sheet.patents, with_expiry=False),
        heading("7. 声明与签字", "7. Statement and signature"),
        clauses(
            [
                (
                    "据本人所知所信，上述信息真实、正确，所附副本与原件一致。",
                    "To the best of my knowledge and belief, the foregoing information is true and correct "
                    "and any attached copy is a true copy of the original document.",
                )
            ]
        ),
        signatures([Signatory("签字人", "Name of person signing", sheet.signer_name, sheet.signed_on)]),
    ]


def registration_notice(notice: RegistrationNotice) -> list[Flowable]:
    money = notice.debt_amount
    return [
        Paragraph(
            f'登记号 Registration No.　<font size="14" color="#1f3864">{safe_markup(notice.registration_number)}</font>',
            stylesheet()["lead"],
        ),
        gap(1),
        clauses(
            [
                (
                    f"经审查，下列专利权质押符合规定，准予登记。质权自{formats.date_zh(notice.registered_on)}设立。",
                    f"The pledge below has been examined and is registered. The pledge exists from "
                    f"{formats.date_en(notice.registered_on)}.",
                )
            ]
        ),
        gap(1),
        facts(
            [
                ("登记号", "Registration number", notice.registration_number),
                ("登记日", "Registered on", date_value(notice.registered_on)),
            ]
            + party_facts("出质人", "Pledgor", notice.pledgor)
            + party_facts("质权人", "Pledgee", notice.pledgee)
            + [
                ("被担保债权数额", "Secured amount", money_value(money.amount, money.currency)),
                (
                    "债务履行期限",
                    "Debtor's term",
                    (
                        f"{formats.date_zh(notice.debt_starts_on)}至{formats.date_zh(notice.debt_ends_on)}",
                        f"{formats.date_en(notice.debt_starts_on)} to {formats.date_en(notice.debt_ends_on)}",
                    ),
                ),
            ]
        ),
        heading("质押专利", "Patents pledged"),
        patent_table(notice.patents),
        gap(2),
        clauses(
            [
                (
                    "质押登记的变更与注销应另行办理登记，不得涂改本通知书。",
                    "Changes and cancellation are registered separately; this notice is never amended.",
                )
            ]
        ),
        signatures([Signatory("登记员", "Registrar", notice.registrar_name, notice.registered_on)]),
    ]


def us_notice_of_recordation(notice: UsRecordationNotice) -> list[Flowable]:
    """Where the USPTO recorded the security agreement: reel and frame, and the recordation date."""
    reel_frame = f"{notice.reel:06d}/{notice.frame:04d}"
    return [
        Paragraph(
            f'卷/帧 Reel/Frame　<font size="14" color="#1f3864">{safe_markup(reel_frame)}</font>',
            stylesheet()["lead"],
        ),
        gap(1),
        clauses(
            [
                (
                    f"所附文件已于{formats.date_zh(notice.recorded_on)}在美国专利商标局转让登记部登记，"
                    f"卷号{notice.reel}，帧号{notice.frame}（35 USC 261）。",
                    f"The document below was recorded by the Assignment Recordation Branch of the USPTO on "
                    f"{formats.date_en(notice.recorded_on)} at reel {notice.reel}, frame {notice.frame} (35 USC 261).",
                )
            ]
        ),
        gap(1),
        facts(
            [
                ("卷号", "Reel", f"{notice.reel:06d}"),
                ("帧号", "Frame", f"{notice.frame:04d}"),
                ("登记日", "Recordation date", date_value(notice.recorded_on)),
                ("转让性质", "Nature of conveyance", notice.nature_of_conveyance),
                ("签署日期", "Execution date", date_value(notice.execution_date)),
                ("本系统登记号", "pledgeflow registration number", notice.registration_number),
            ]
            + party_facts("转让方", "Conveying party", notice.conveying_party)
            + party_facts("受让方", "Receiving party", notice.receiving_party)
        ),
        heading("涉及专利", "Properties"),
        patent_table(notice.patents, with_expiry=False),
        signatures([Signatory("登记员", "Recorded by", notice.registrar_name, notice.recorded_on)]),
    ]


def _ground_rows(codes, notes, titles) -> list[list]:
    """One table row per ground: its code (with what it concerns beneath), its title in Chinese and in English."""
    rows = []
    for index, code in enumerate(codes):
        zh, en = wording.bilingual(titles, code)
        concerns = notes[index] if index < len(notes) else ""
        code_cell = Paragraph(
            safe_markup(code) + (f'<br/><font color="#1b1f24" size="7">{safe_markup(concerns)}</font>' if concerns else ""),
            stylesheet()["code"],
        )
        rows.append([code_cell, text(zh, "cell"), text(en, "cell")])
    return rows


def us_notice_of_non_recordation(notice: UsNonRecordationNotice) -> list[Flowable]:
    """Why the USPTO did not record the cover sheet; the parties correct it and submit it again."""
    rows = _ground_rows(notice.grounds, notice.ground_notes, wording.NON_RECORDATION)
    story: list[Flowable] = [
        clauses(
            [
                (
                    f"于{formats.date_zh(notice.filed_on)}提交的登记封面页及所附担保协议，因下列原因不予登记（37 CFR 3.51）。",
                    f"The cover sheet and security agreement submitted on {formats.date_en(notice.filed_on)} "
                    f"have not been recorded, for the reasons below (37 CFR 3.51).",
                )
            ]
        ),
        gap(1),
        facts(
            [("提交日", "Submitted on", date_value(notice.filed_on)),
             ("通知日", "Notice date", date_value(notice.refused_on))]
            + party_facts("转让方", "Conveying party", notice.conveying_party)
            + party_facts("受让方", "Receiving party", notice.receiving_party)
        ),
        heading("不予登记的原因", "Reasons for non-recordation"),
        grid([("代码", "Code"), ("原因", "Reason (Chinese)"), ("原因（英文）", "Reason (English)")], rows, [34, 58, 58]),
    ]
    if notice.note:
        story += [heading("说明", "Note"), text(notice.note)]
    story += [
        heading("涉及专利", "Properties"),
        patent_table(notice.patents, with_expiry=False),
        gap(2),
        clauses(
            [
                (
                    "更正后重新提交的文件，以重新提交之日为登记日。",
                    "A corrected document submitted again is recorded as of the day it is received again.",
                )
            ]
        ),
        signatures([Signatory("登记员", "Examined by", notice.registrar_name, notice.refused_on)]),
    ]
    return story


def refusal_notice(notice: RefusalNotice) -> list[Flowable]:
    rows = _ground_rows(notice.grounds, notice.ground_notes, wording.GROUNDS)
    story: list[Flowable] = [
        clauses(
            [
                (
                    f"出质人与质权人于{formats.date_zh(notice.filed_on)}提交的专利权质押登记申请，经审查，"
                    f"因存在下列情形，{wording.MEASURES_CITATION[0]}，不予登记。",
                    f"The application to register the pledge filed on {formats.date_en(notice.filed_on)} "
                    f"has been examined and is refused on the grounds below, "
                    f"{wording.MEASURES_CITATION[1][0].lower()}{wording.MEASURES_CITATION[1][1:]}.",
                )
            ]
        ),
        gap(1),
        facts(
            [("申请日", "Filed on", date_value(notice.filed_on)), ("决定日", "Refused on", date_value(notice.refused_on))]
            + party_facts("出质人", "Pledgor", notice.pledgor)
            + party_facts("质权人", "Pledgee", notice.pledgee)
        ),
        heading("不予登记的理由", "Grounds of refusal"),
        grid([("代码", "Code"), ("理由", "Ground (Chinese)"), ("理由（英文）", "Ground (English)")], rows, [34, 58, 58]),
    ]
    if notice.note:
        story += [heading("登记员说明", "Registrar's note"), text(notice.note)]
    story += [
        heading("涉及专利", "Patents concerned"),
        patent_table(notice.patents),
        gap(2),
        clauses(
            [
                (
                    "当事人消除上述情形后，可以更正并重新提交登记申请。",
                    "Once the grounds above no longer apply, the parties may correct the filing and file it again.",
                )
            ]
        ),
        signatures([Signatory("登记员", "Registrar", notice.registrar_name, notice.refused_on)]),
    ]
    return story


def change_notice(notice: ChangeNotice) -> list[Flowable]:
    rows = []
    for change in notice.changes:
        zh, en = wording.bilingual(wording.CHANGE_ITEMS, change.item)
        rows.append([pair(zh, en), change.before, change.after])
    story: list[Flowable] = [
        clauses(
            [
                (
                    f"登记号为{notice.registration_number}的专利权质押，经当事人申请，登记下列变更事项。原登记内容不予删除。",
                    f"At the parties' request the changes below are recorded against registration "
                    f"No. {notice.registration_number}. The original registration stands unedited.",
                )
            ]
        ),
        gap(1),
        facts(
            [
                ("登记号", "Registration number", notice.registration_number),
                ("变更登记日", "Change recorded on", date_value(notice.changed_on)),
            ]
            + party_facts("出质人", "Pledgor", notice.pledgor)
            + party_facts("质权人", "Pledgee", notice.pledgee)
        ),
        heading("变更事项", "Changes"),
        grid([("变更项目", "Item"), ("变更前", "Before"), ("变更后", "After")], rows, [40, 55, 55]),
    ]
    if notice.note:
        story += [heading("说明", "Note"), text(notice.note)]
    story.append(signatures([Signatory("登记员", "Registrar", notice.registrar_name, notice.changed_on)]))
    return story


def cancellation_notice(notice: CancellationNotice) -> list[Flowable]:
    reason = wording.bilingual(wording.CANCELLATION_REASONS, notice.reason)
    rows = [
        ("登记号", "Registration number", notice.registration_number),
        ("原登记日", "Registered on", date_value(notice.registered_on)),
        ("注销日", "Cancelled on", date_value(notice.cancelled_on)),
        ("注销原因", "Reason", reason),
    ]
    if notice.repaid_on:
        rows.append(("清偿日", "Repaid on", date_value(notice.repaid_on)))
    return [
        clauses(
            [
                (
                    f"登记号为{notice.registration_number}的专利权质押登记，自{formats.date_zh(notice.cancelled_on)}起注销。",
                    f"The pledge registration No. {notice.registration_number} is cancelled from "
                    f"{formats.date_en(notice.cancelled_on)}.",
                )
            ]
        ),
        gap(1),
        facts(rows + party_facts("出质人", "Pledgor", notice.pledgor) + party_facts("质权人", "Pledgee", notice.pledgee)),
        heading("解除质押的专利", "Patents released"),
        patent_table(notice.patents),
        signatures([Signatory("登记员", "Registrar", notice.registrar_name, notice.cancelled_on)]),
    ]


def correction_notice(notice: CorrectionNotice) -> list[Flowable]:
    rows = [[str(index), text(defect.item, "cell"), text(defect.message, "cell")]
            for index, defect in enumerate(notice.defects, start=1)]
    story: list[Flowable] = [
        clauses(
            [
                (
                    f"出质人与质权人于{formats.date_zh(notice.filed_on)}提交的专利权质押登记申请存在下列缺陷，"
                    f"{wording.MEASURES_CITATION[0]}，请当事人补正后重新提交。审查期限自收到完整的申请之日起重新计算。",
                    f"The application to register the pledge filed on {formats.date_en(notice.filed_on)} has the "
                    f"defects below; the parties are asked to correct them and file again. The time limit for "
                    f"examination runs again from the day the complete filing arrives.",
                )
            ]
        ),
        gap(1),
        facts(
            [
                ("申请日", "Filed on", date_value(notice.filed_on)),
                ("通知日", "Correction requested on", date_value(notice.requested_on)),
                ("提交次数", "Filing", (f"第{notice.filing_number}次", f"No. {notice.filing_number}")),
            ]
            + party_facts("出质人", "Pledgor", notice.pledgor)
            + party_facts("质权人", "Pledgee", notice.pledgee)
        ),
        heading("需补正的事项", "Defects to correct"),
        grid([("序号", "No."), ("事项", "Item"), ("缺陷", "What is wrong")], rows, [12, 48, 90]),
    ]
    if notice.note:
        story += [heading("登记员说明", "Registrar's note"), text(notice.note)]
    story += [
        heading("涉及专利", "Patents concerned"),
        patent_table(notice.patents),
        signatures([Signatory("登记员", "Registrar", notice.registrar_name, notice.requested_on)]),
    ]
    return story


def cancellation_application(form: CancellationApplication) -> list[Flowable]:
    ground = wording.bilingual(wording.CANCELLATION_REASONS, form.ground)
    pledgor_zh, pledgor_en = party_text(form.pledgor)
    pledgee_zh, pledgee_en = party_text(form.pledgee)
    rows = [
        ("登记号", "Registration number", form.registration_number),
        ("原登记日", "Registered on", date_value(form.registered_on)),
        ("申请日", "Applied on", date_value(form.applied_on)),
        ("注销理由", "Ground", ground),
    ]
    if form.repaid_on:
        rows.append(("清偿日", "Repaid on", date_value(form.repaid_on)))
    if form.reason:
        rows.append(("说明", "Reason", form.reason))
    return [
        clauses(
            [
                (
                    f"当事人申请注销登记号为{form.registration_number}的专利权质押登记，理由及证明如下。",
                    f"The parties apply to cancel the pledge registration No. {form.registration_number} "
                    f"on the ground and with the evidence below.",
                )
            ]
        ),
        gap(1),
        facts(rows + party_facts("出质人", "Pledgor", form.pledgor) + party_facts("质权人", "Pledgee", form.pledgee)),
        heading("质押专利", "Patents pledged"),
        patent_table(form.patents),
        clauses([(f"申请人：{form.applicant_name}", f"Applied for by: {form.applicant_name}")]),
        signatures(
            [
                Signatory("出质人（盖章）", "Pledgor (seal)", pledgor_en, form.applied_on),
                Signatory("质权人（盖章）", "Pledgee (seal)", pledgee_en, form.applied_on),
            ]
        ),
    ]
