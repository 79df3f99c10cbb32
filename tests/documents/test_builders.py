"""The pure PDF builders: every kind read back with pypdf, the embedded CJK font, determinism, literal user text."""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import replace
from decimal import Decimal

import pypdf
import pytest

from documents.pdf import KINDS, build_pdf, build_story
from documents.pdf import formats
from documents.pdf.formats import money_in_words_zh, percent
from documents.pdf.layout import safe_markup
from documents.pdf.samples import REFERENCE, REGISTRATION_NUMBER, sample_content

PARTIES = ["苏州星河光电科技有限公司", "Suzhou Xinghe Photonics Technology Co., Ltd.", "江南商业银行苏州分行", "Jiangnan Commercial Bank, Suzhou Branch"]
CN_PATENTS = ["ZL202110921116.9", "ZL201920345678.1"]
LOAN = ["人民币5,000,000.00元", "CNY5,000,000.00"]

# kind -> facts that must be on the page (compared with all whitespace removed)
KEY_FACTS: dict[str, list[str]] = {
    "application_form": PARTIES + CN_PATENTS + LOAN + ["人民币伍佰万元整", "12个月", "12months", "2026年2月24日", "2026-02-24", "申请人声明", "Declaration"],
    "valuation_report": PARTIES[:2]
    + CN_PATENTS
    + ["华夏知识产权资产评估有限公司", "2026年3月2日", "2026-03-02", "2027-03-02", "贷款上限", "Loancap", "CNY4,648,592.58", "质押率", "Loan-to-value", "55%", "25%", "收益法", "Income(relieffromroyalty)", "Presentvalue", "1,406,249.78", "0.0356", "质量评价", "Quality", "法律价值度Legal", "licensingstatus", "属于战略性新兴产业"],
    "credit_approval_letter": PARTIES + CN_PATENTS + LOAN + ["4.35%", "12个月", "12months", "2026年3月12日", "2026-03-12", "赵敏ZhaoMin", "陈刚ChenGang"],
    "rejection_letter": PARTIES + ["人民币30,000,000.00元", "CNY30,000,000.00", "36个月", "36months", "申请金额超过评估确定的贷款上限", "exceedstheloancap", "2026-03-12", "Reasons"],
    "loan_contract": PARTIES + CN_PATENTS + LOAN + ["人民币伍佰万元整", "4.35%", "2026年3月20日", "2027年3月20日", "2026-03-20", "2027-03-20", "PF-2026-000042-LC", "PF-2026-000042-PC"],
    "pledge_contract": PARTIES
    + CN_PATENTS
    + LOAN
    + ["出质人", "Pledgor", "质权人", "Pledgee", "债务人", "Debtor", "借款合同项下的贷款本金及利息", "Loanprincipalandinterestundertheloancontract", "2026-03-20", "2027-03-20", "2021-08-16", "2023-03-10", "2019-03-15", "2019-12-20", "一种硅基光电调制器及其制备方法", "Fibrecouplingalignmentfixture"],
    "registration_application": PARTIES + CN_PATENTS + LOAN + ["2026年3月23日", "2026-03-23", "同日申请的发明专利", "same-dayinventiontwin", "PF-2026-000042-PC"],
    "us_recordation_cover_sheet": PARTIES + ["US10123456B2", "SecurityAgreement", "担保协议", "2026-03-20", "Totalnumberofpatentsinvolved", "Tothebestofmyknowledgeandbelief", "UCC-1", "2026 1234567".replace(" ", "")],
    "registration_notice": PARTIES + CN_PATENTS + LOAN + [REGISTRATION_NUMBER, "2026年3月27日", "2026-03-27", "孙丽SunLi"],
    "refusal_notice": PARTIES
    + CN_PATENTS
    + ["ANNUAL_FEE_UNPAID", "专利年费逾期未缴纳", "Anannualfeeisunpaidpastitsduedate", "CO_OWNER_CONSENT_MISSING", "共有专利出质未取得全体共有人同意", "withouteveryco-owner'sconsent", "TERM_EXCEEDS_PATENT", "债务履行期限届满日晚于专利权期限届满日", "Thedebtor'stermendsafterthepatentexpires", "2026-03-23", "2026-03-26"],
    "us_notice_of_recordation": PARTIES + ["US10123456B2", "NoticeofRecordation", "068123/0456", "Reel", "Frame", "2026-04-02", "SecurityAgreement", "2026-03-20", REGISTRATION_NUMBER],
    "us_notice_of_non_recordation": PARTIES + ["US10123456B2", "NoticeofNon-Recordation", "COVER_SHEET_INCOMPLETE", "FEE_NOT_PAID", "Therecordingfeehasnotbeenpaid", "37CFR3.31", "2026-03-23", "2026-03-30"],
    "change_notice": PARTIES + [REGISTRATION_NUMBER, "被担保债权数额", "Securedamount", "CNY5,000,000.00", "CNY4,000,000.00", "2027-09-20", "2026年9月1日", "2026-09-01"],
    "correction_notice": PARTIES + CN_PATENTS + ["pledgee_address", "质权人住所不完整", "Thegrantdateiswrong", "2026-03-23", "2026-03-25", "Defectstocorrect", "2021"],
    "cancellation_application": PARTIES + CN_PATENTS + [REGISTRATION_NUMBER, "被担保债权已清偿", "Thesecureddebthasbeenrepaid", "2027-03-20", "2027-03-19", "陈刚ChenGang"],
    "cancellation_notice": PARTIES + CN_PATENTS + [REGISTRATION_NUMBER, "被担保债权已清偿", "Thesecureddebthasbeenrepaid", "2027年3月22日", "2027-03-22", "2027-03-19"],
    "us_release_cover_sheet": PARTIES + ["US10123456B2", "ReleasebySecuredParty", "担保权益解除", "2027-03-22", REGISTRATION_NUMBER],
    "enforcement_record": PARTIES + CN_PATENTS + LOAN + [REGISTRATION_NUMBER, "拍卖", "Auction", "人民币4,620,000.00元", "CNY4,620,000.00", "人民币肆佰陆拾贰万元整", "2027年8月30日", "2027-08-30", "到期未还本金"],
    "claim_dossier": PARTIES + CN_PATENTS + LOAN + [REGISTRATION_NUMBER, "CL-2027-000007", "风险补偿资金池", "Risk-compensationpool", "CNY302,400.00", "CNY560,000.00", "54%", "Pool", "2027-04-10", "ab" * 32],
}


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture(scope="module")
def built():
    return {kind: build_pdf(kind, sample_content(kind)) for kind in KINDS}


def test_every_kind_of_domain_section_6_has_a_builder_and_key_facts():
    assert set(KINDS) == set(KEY_FACTS)


@pytest.mark.parametrize("kind", sorted(KEY_FACTS))
def test_each_kind_reads_back_with_its_key_facts_in_both_languages(built, kind):
    pdf = built[kind]
    assert pdf.content.startswith(b"%PDF-")
    texts = page_texts(pdf.content)
    assert len(texts) == pdf.page_count >= 1
    everything = squeeze("\n".join(texts))
    missing = [fact for fact in KEY_FACTS[kind] if squeeze(fact) not in everything]
    assert not missing, f"{kind} lacks {missing}"
    title_zh, title_en = KINDS[kind].title_zh, KINDS[kind].title_en
    for number, text in enumerate(texts, start=1):
        page = squeeze(text)
        assert squeeze(title_zh) in page and squeeze(title_en) in page, "the title heads every page"
        assert squeeze(f"Application No. {REFERENCE}") in page
        assert squeeze(f"第 {number} 页 共 {pdf.page_count} 页 · Page {number} of {pdf.page_count}") in page
        assert "SHA-256ofthisfileiskeptbypledgeflow;verifyathttps://pledgeflow.example.com/api/v1/documents/verify/" in page


def test_registration_number_is_in_the_footer_where_one_exists(built):
    assert squeeze(f"Registration No. {REGISTRATION_NUMBER}") in squeeze(page_texts(built["registration_notice"].content)[0])
    assert "RegistrationNo." not in squeeze(page_texts(built["application_form"].content)[0])


def _fonts(pdf: bytes) -> list[pypdf.generic.DictionaryObject]:
    fonts = []
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.append(font.get_object())
    return fonts


@pytest.mark.parametrize("kind", sorted(KEY_FACTS))
def test_the_cjk_font_is_embedded_as_truetype_and_no_font_is_left_to_the_viewer(built, kind):
    fonts = _fonts(built[kind].content)
    assert fonts
    for font in fonts:
        assert "WenQuanYiMicroHei" in font["/BaseFont"]
        assert font["/Subtype"] == "/TrueType"
        assert "/FontFile2" in font["/FontDescriptor"].get_object(), "TrueType outlines embedded"


def test_the_same_content_gives_the_same_bytes(built):
    for kind in ("valuation_report", "pledge_contract", "refusal_notice"):
        again = build_pdf(kind, sample_content(kind))
        assert hashlib.sha256(again.content).hexdigest() == hashlib.sha256(built[kind].content).hexdigest()


def test_different_content_gives_a_different_hash(built):
    content = sample_content("registration_notice")
    changed = build_pdf("registration_notice", replace(content, registrar_name="Someone Else"))
    assert changed.content != built["registration_notice"].content


def test_the_qr_code_is_drawn_on_the_first_page_only(built):
    """The QR is vector squares, one rectangle per run of dark modules: hundreds on the first page only."""
    reader = pypdf.PdfReader(io.BytesIO(built["valuation_report"].content))
    rectangles = [len(re.findall(rb"\bre\b", page.get_contents().get_data())) for page in reader.pages]
    assert "扫码核验" in reader.pages[0].extract_text()
    assert all("扫码核验" not in page.extract_text() for page in reader.pages[1:])
    assert rectangles[0] > 300 and max(rectangles[1:]) < 50


def test_the_qr_code_drawn_on_the_page_reads_back_as_the_verify_url(built):
    """The dark runs written into page 1's content stream, painted module by module into a bitmap
    with a quiet zone, decode (ZXing's reader) to the document's verify URL."""
    import zxingcpp
    from PIL import Image

    content = sample_content("valuation_report")
    stream = pypdf.PdfReader(io.BytesIO(built["valuation_report"].content)).pages[0].get_contents().get_data()
    runs = [tuple(map(int, m)) for m in re.findall(rb"^(\d+) (\d+) (\d+) 1 re$", stream, re.M)]
    size = max(x + w for x, _, w in runs)
    scale, quiet = 8, 4
    image = Image.new("L", ((size + 2 * quiet) * scale,) * 2, 255)
    for x, y, w in runs:
        top = size - 1 - y  # PDF rows count upwards from the bottom
        image.paste(0, ((x + quiet) * scale, (top + quiet) * scale, (x + w + quiet) * scale, (top + 1 + quiet) * scale))
    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode, try_invert=False)
    assert [code.text for code in found] == [content.meta.verify_url]
    assert found[0].ec_level == "M"


MARKUP = 'Evil <b>Corp</b> & Sons <font size="40">BIG</font> </para><img src="/etc/passwd"/> &amp; 5 < 6'


@pytest.mark.parametrize(
    "kind,change",
    [
        ("application_form", lambda c: replace(c, purpose=MARKUP, applicant=replace(c.applicant, name=MARKUP, name_zh="甲<乙>&丙"))),
        ("rejection_letter", lambda c: replace(c, reasons=(MARKUP, "第二条 <br/> & more"), note=MARKUP)),
        ("refusal_notice", lambda c: replace(c, note=MARKUP)),
        ("pledge_contract", lambda c: replace(c, patents=(replace(c.patents[0], title=MARKUP),) + c.patents[1:])),
    ],
)
def test_user_text_with_markup_appears_literally(kind, change):
    pdf = build_pdf(kind, change(sample_content(kind)))
    everything = squeeze("\n".join(page_texts(pdf.content)))
    assert squeeze(MARKUP) in everything
    if kind == "application_form":
        assert "甲<乙>&丙" in everything


def test_unprintable_characters_are_dropped_not_fatal():
    content = sample_content("application_form")
    pdf = build_pdf("application_form", replace(content, purpose="line one\nline two\x00\x1b[31m\x7f end\ud800"))
    everything = "\n".join(page_texts(pdf.content))
    assert "line one" in everything and "line two[31m end" in everything
    assert safe_markup("a\x00b<c>\nd") == "ab&lt;c&gt;<br/>d"


def test_very_long_user_text_flows_over_pages_instead_of_failing():
    content = sample_content("loan_contract")
    pdf = build_pdf("loan_contract", replace(content, purpose="用途 purpose " * 2000, borrower=replace(content.borrower, name="X" * 3000)))
    assert pdf.page_count > 3


@pytest.mark.parametrize(
    "kind,change",
    [
        ("valuation_report", lambda c: c),
        ("claim_dossier", lambda c: c),
        # long cells split inside a row across pages, and a paragraph tried on a page it does not fit
        ("pledge_contract", lambda c: replace(c, patents=tuple(replace(p, title="光电调制 modulator " * 120) for p in c.patents))),
        ("loan_contract", lambda c: replace(c, purpose="用途 purpose " * 600)),
    ],
)
def test_wrapping_each_paragraph_once_per_width_gives_reportlabs_bytes(monkeypatch, kind, change):
    """layout.Paragraph reuses its lines on a second wrap at the same width: the PDF must not change by a byte."""
    from reportlab.platypus import Paragraph as ReportlabParagraph

    from documents.pdf import layout

    content = change(sample_content(kind))
    reused = build_pdf(kind, content)
    monkeypatch.setattr(layout.Paragraph, "wrap", ReportlabParagraph.wrap)
    monkeypatch.setattr(layout.Paragraph, "split", ReportlabParagraph.split)
    assert build_pdf(kind, content).content == reused.content


def test_a_builder_refuses_content_of_another_kind():
    with pytest.raises(TypeError):
        build_story("loan_contract", sample_content("pledge_contract"))


def test_valuation_report_without_quality_or_income_still_builds():
    report = sample_content("valuation_report")
    bare = tuple(replace(p, cash_flows=(), quality_dimensions=(), quality_score=None, income_value=None, cost_value=p.value, weights={"cost": Decimal("1")}) for p in report.patents)
    pdf = build_pdf("valuation_report", replace(report, patents=bare))
    everything = squeeze("\n".join(page_texts(pdf.content)))
    assert "成本法" in everything and "逐项评估" in everything and "质量评价" not in everything


@pytest.mark.parametrize(
    "value,words",
    [
        ("5000000", "人民币伍佰万元整"),
        ("100001.05", "人民币壹拾万零壹元零伍分"),
        ("105001000", "人民币壹亿零伍佰万零壹仟元整"),
        ("1010", "人民币壹仟零壹拾元整"),
        ("12345678.90", "人民币壹仟贰佰叁拾肆万伍仟陆佰柒拾捌元玖角"),
        ("0.05", "人民币伍分"),
        ("0", "人民币零元整"),
    ],
)
def test_amounts_in_chinese_capital_numerals(value, words):
    assert money_in_words_zh(Decimal(value), "CNY") == words


def test_rates_are_shown_as_percentages_from_fractions():
    assert percent(Decimal("0.0435")) == "4.35%"
    assert money_in_words_zh(Decimal("20"), "USD") == "美元贰拾元整"


def test_the_valuation_report_states_its_value_type_and_sensitivity():
    report = sample_content("valuation_report")
    everything = squeeze("\n".join(page_texts(build_pdf("valuation_report", report).content)))
    assert "价值类型" in everything and squeeze("Value type") in everything and squeeze("Market value") in everything
    assert "敏感性分析" in everything and "Sensitivity" in everything
    invention = report.patents[0]
    assert len(invention.sensitivity) == 9
    for cell in invention.sensitivity:
        assert formats.amount(cell.value) in everything and formats.amount(cell.income_value) in everything


def test_a_liquidation_valuation_report_shows_the_market_value_and_the_discount():
    report = sample_content("valuation_report")
    invention = report.patents[0]
    liquidation = replace(invention, value_type="liquidation", market_value_basis=invention.value,
                          liquidation_discount=Decimal("0.30"), value=(invention.value * Decimal("0.7")).quantize(Decimal("0.01")))
    pdf = build_pdf("valuation_report", replace(report, value_type="liquidation", patents=(liquidation,) + report.patents[1:]))
    everything = squeeze("\n".join(page_texts(pdf.content)))
    assert "清算价值" in everything and squeeze("Liquidation value") in everything
    assert squeeze("Liquidation discount") in everything and "30%" in everything
    assert formats.amount(invention.value) in everything and formats.amount(liquidation.value) in everything
