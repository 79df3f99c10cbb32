"""The shared page template, stylesheet and bilingual building blocks of every stage document.

Every page has the same header (the title in Chinese and English; the QR code on
the first page) and footer (application and registration numbers, the date,
page X of Y and the hash note). Text that came from users goes through
`safe_markup`, so `<`, `&` and tags appear literally instead of being read as
Paragraph markup.
"""

from __future__ import annotations

import io
import itertools
from dataclasses import dataclass, field
from functools import lru_cache, partial
from xml.sax.saxutils import escape

import zxingcpp
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.lib import textsplit as reportlab_textsplit
from reportlab.platypus import paragraph as reportlab_paragraph
from reportlab.platypus import Flowable, KeepTogether, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus import Paragraph as ReportlabParagraph

from . import formats, wording
from .content import DocumentMeta, Party, PatentLine, Signatory
from .fonts import register_fonts

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 18 * mm
MARGIN_TOP = 33 * mm
MARGIN_BOTTOM = 25 * mm
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN_X

INK = colors.HexColor("#1b1f24")
MUTED = colors.HexColor("#5b6472")
ACCENT = colors.HexColor("#1f3864")
RULE = colors.HexColor("#aab3c2")
LABEL_FILL = colors.HexColor("#eef1f6")
HEADER_FILL = colors.HexColor("#dde3ee")

HASH_NOTE_ZH = "本文件的 SHA-256 值由 pledgeflow 保存，可扫描首页二维码或访问下列地址核验。"
HASH_NOTE_EN = "SHA-256 of this file is kept by pledgeflow; verify at {url}"

# C0 controls (except tab and newline), DEL and lone surrogates: nothing a reader
# could mean, and some of them make reportlab or the PDF text stream fail.
_UNPRINTABLE = {c: None for c in [*range(0, 9), *range(11, 32), 127, *range(0xD800, 0xE000)]}
_UNPRINTABLE[9] = " "
_UNPRINTABLE[13] = None


def safe_markup(value: object) -> str:
    """User text made literal for a Paragraph: escaped, unprintables dropped, newlines kept."""
    text = "" if value is None else str(value)
    return escape(text.translate(_UNPRINTABLE)).replace("\n", "<br/>")


# reportlab's list of characters that may not start a line is Japanese; Chinese
# full-width punctuation must hang at the end of the line too ("，具体如下" is wrong).
_CHINESE_CANNOT_START = "，：；！？》）、。"
for _module in (reportlab_textsplit, reportlab_paragraph):  # plain and marked-up paragraphs
    if not set(_CHINESE_CANNOT_START) <= set(_module.ALL_CANNOT_START):
        _module.ALL_CANNOT_START += _CHINESE_CANNOT_START


class Paragraph(ReportlabParagraph):
    """reportlab's Paragraph, line-broken once per width instead of once per call to wrap.

    A table wraps every cell to measure its rows and again, at the same width, to draw it (and
    once more when it is tried on a page it does not fit); breaking Chinese text into lines is
    the costliest step of a document (a character at a time). The lines depend only on the
    width, the text and the style, so a second wrap at the same width reuses them: the PDF is
    the same bytes, made in less time. A split forgets them (reportlab may drop or rework
    them there), as does anything that replaces or deletes `blPara`.
    """

    _wrapped: tuple | None = None  # (availWidth, blPara, width, height) of the last wrap

    def wrap(self, availWidth, availHeight):
        last = self._wrapped
        if last is not None and last[0] == availWidth and self.__dict__.get("blPara") is last[1]:
            self.width, self.height = last[2], last[3]
            return last[2], last[3]
        width, height = super().wrap(availWidth, availHeight)
        self._wrapped = (availWidth, self.__dict__.get("blPara"), width, height)
        return width, height

    def split(self, availWidth, availHeight):
        self._wrapped = None
        return super().split(availWidth, availHeight)


@lru_cache(maxsize=1)
def stylesheet() -> dict[str, ParagraphStyle]:
    font = register_fonts()
    # CJK wrapping breaks between ideographs and still backs up to a space inside
    # Latin words, so one wrap mode serves both columns and long unbroken values.
    body = ParagraphStyle("body", fontName=font, fontSize=9, leading=13, textColor=INK, wordWrap="CJK")
    return {
        "body": body,
        "body_en": ParagraphStyle("body_en", parent=body, fontSize=8.5, leading=12.5, textColor=INK),
        "small": ParagraphStyle("small", parent=body, fontSize=7.5, leading=10, textColor=MUTED),
        "cell": ParagraphStyle("cell", parent=body, fontSize=8, leading=10.5),
        "cell_right": ParagraphStyle("cell_right", parent=body, fontSize=8, leading=10.5, alignment=TA_RIGHT),
        "cell_center": ParagraphStyle("cell_center", parent=body, fontSize=8, leading=10.5, alignment=TA_CENTER),
        "label": ParagraphStyle("label", parent=body, fontSize=8, leading=10, textColor=INK),
        "heading": ParagraphStyle(
            "heading",
            parent=body,
            fontSize=11,
            leading=15,
            textColor=ACCENT,
            spaceBefore=9,
            spaceAfter=4,
            keepWithNext=1,
        ),
        "subheading": ParagraphStyle(
            "subheading", parent=body, fontSize=8.5, leading=12, textColor=ACCENT, spaceBefore=5, spaceAfter=2, keepWithNext=1
        ),
        "code": ParagraphStyle("code", parent=body, fontSize=6.5, leading=9, textColor=MUTED),
        "lead": ParagraphStyle("lead", parent=body, fontSize=9.5, leading=14, spaceAfter=4),
    }


def text(value: object, style: str = "body") -> Paragraph:
    """A paragraph of user or generated text, always literal."""
    return Paragraph(safe_markup(value), stylesheet()[style])


def pair_markup(zh: object, en: object, *, en_size: float | None = None) -> str:
    """Chinese over English in one cell; the English a shade lighter so the eye can pick a language."""
    zh_part, en_part = safe_markup(zh), safe_markup(en)
    if not en_part or en_part == zh_part:
        return zh_part
    size = f' size="{en_size}"' if en_size else ""
    return f'{zh_part}<br/><font color="#5b6472"{size}>{en_part}</font>'


def pair(zh: object, en: object, style: str = "cell") -> Paragraph:
    return Paragraph(pair_markup(zh, en, en_size=stylesheet()[style].fontSize - 0.5), stylesheet()[style])


def heading(zh: str, en: str) -> Paragraph:
    return Paragraph(
        f'{safe_markup(zh)}　<font size="9" color="#5b6472">{safe_markup(en)}</font>', stylesheet()["heading"]
    )


def subheading(zh: str, en: str) -> Paragraph:
    return Paragraph(
        f'{safe_markup(zh)}　<font size="7.5" color="#5b6472">{safe_markup(en)}</font>', stylesheet()["subheading"]
    )


def clauses(rows: list[tuple[str, str]], *, numbered: bool = False) -> Table:
    """Chinese and English side by side, one row per clause, splitting across pages as needed."""
    data = []
    for index, (zh, en) in enumerate(rows, start=1):
        prefix_zh = f"{index}. " if numbered else ""
        data.append([text(prefix_zh + zh, "body"), text(prefix_zh + en, "body_en")])
    table = Table(data, colWidths=[FRAME_WIDTH / 2] * 2, splitByRow=1, splitInRow=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), register_fonts()),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (0, -1), 8),
                ("RIGHTPADDING", (1, 0), (1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


Value = object  # str, (zh, en) tuple, or a Flowable


def _cell(value: Value, style: str = "cell") -> Flowable:
    if isinstance(value, Flowable):
        return value
    if isinstance(value, tuple):
        return pair(value[0], value[1], style)
    return text(value, style)


def facts(rows: list[tuple[str, str, Value]], *, label_width: float = 42 * mm) -> Table:
    """A two-column form: bilingual label on the left, the value on the right."""
    data = [[pair(zh, en, "label"), _cell(value)] for zh, en, value in rows]
    table = Table(data, colWidths=[label_width, FRAME_WIDTH - label_width], splitByRow=1, splitInRow=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), register_fonts()),
                ("GRID", (0, 0), (-1, -1), 0.4, RULE),
                ("BACKGROUND", (0, 0), (0, -1), LABEL_FILL),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table


def grid(
    header: list[tuple[str, str]],
    rows: list[list[Value]],
    widths: list[float],
    *,
    numeric: frozenset[int] = frozenset(),
    total_row: bool = False,
) -> Table:
    """A data table with a bilingual header row repeated on every page."""
    scale = FRAME_WIDTH / sum(widths)
    col_widths = [w * scale for w in widths]
    data: list[list[Flowable]] = [[pair(zh, en, "cell_center") for zh, en in header]]
    for row in rows:
        data.append([_cell(v, "cell_right" if i in numeric else "cell") for i, v in enumerate(row)])
    table = Table(data, colWidths=col_widths, repeatRows=1, splitByRow=1, splitInRow=1)
    commands = [
        ("FONTNAME", (0, 0), (-1, -1), register_fonts()),
        ("GRID", (0, 0), (-1, -1), 0.4, RULE),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    if total_row and rows:
        commands.append(("BACKGROUND", (0, -1), (-1, -1), LABEL_FILL))
    table.setStyle(TableStyle(commands))
    return table


def party_text(party: Party) -> tuple[str, str]:
    """The party's name as each column shows it: Chinese name first where there is one."""
    zh = party.name_zh or party.name
    return zh, party.name


def party_facts(role_zh: str, role_en: str, party: Party) -> list[tuple[str, str, Value]]:
    rows: list[tuple[str, str, Value]] = [(role_zh, role_en, party_text(party))]
    if party.credit_code:
        rows.append(("统一社会信用代码", "Unified social credit code", party.credit_code))
    if party.address:
        rows.append(("住所", "Address", party.address))
    return rows


def money_value(value, currency: str) -> tuple[str, str]:
    return formats.money_zh(value, currency), formats.money_en(value, currency)


def date_value(on) -> tuple[str, str]:
    return formats.date_zh(on), formats.date_en(on)


def term_value(months: int) -> tuple[str, str]:
    return formats.months_zh(months), formats.months_en(months)


def patent_table(patents: tuple[PatentLine, ...], *, with_expiry: bool = True, with_consent: bool = False) -> Table:
    """The patent list every contract and registration form carries: number, title, kind, dates."""
    header = [
        ("序号", "No."),
        ("专利号", "Patent number"),
        ("名称", "Title"),
        ("类型", "Kind"),
        ("申请日", "Filing date"),
        ("授权日", "Grant date"),
    ]
    # millimetres: a date or a CN patent number must fit on one line; the title takes what is left
    widths = [8, 29, 0, 17, 19, 19]
    if with_expiry:
        header.append(("届满日", "Expiry"))
        widths.append(19)
    if with_consent:
        header.append(("共有人同意", "Co-owner consent"))
        widths.append(17)
    widths[2] = FRAME_WIDTH / mm - sum(widths)
    rows: list[list[Value]] = []
    for index, patent in enumerate(patents, start=1):
        row: list[Value] = [
            str(index),
            patent.number,
            patent.title,
            wording.bilingual(wording.PATENT_KINDS, patent.kind),
            formats.date_en(patent.filing_date),
            formats.date_en(patent.grant_date),
        ]
        if with_expiry:
            row.append(formats.date_en(patent.expiry_date))
        if with_consent:
            if patent.co_owner_consent is None:
                row.append(("不适用", "n/a"))
            else:
                row.append(("已同意", "given") if patent.co_owner_consent else ("未同意", "missing"))
        rows.append(row)
    return grid(header, rows, widths)


def signatures(signatories: tuple[Signatory, ...] | list[Signatory]) -> Flowable:
    """Signature lines, two to a row, kept on one page."""
    cells = []
    for person in signatories:
        signed = formats.date_en(person.signed_on) if person.signed_on else ""
        cells.append(
            Paragraph(
                f"{pair_markup(person.role_zh, person.role_en, en_size=7.5)}<br/><br/>"
                f"签字 Signature: ______________________<br/>"
                f"{safe_markup(person.name)}"
                + (f'<br/><font color="#5b6472">日期 Date: {safe_markup(signed)}</font>' if signed else ""),
                stylesheet()["cell"],
            )
        )
    if len(cells) % 2:
        cells.append(Spacer(1, 1))
    rows = [cells[i : i + 2] for i in range(0, len(cells), 2)]
    table = Table(rows, colWidths=[FRAME_WIDTH / 2] * 2)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), register_fonts()),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 10),
            ]
        )
    )
    return KeepTogether([Spacer(1, 6), table])


def gap(height_mm: float = 3) -> Spacer:
    return Spacer(1, height_mm * mm)


# --- the page template ------------------------------------------------------


@dataclass
class PageFurniture:
    """What the header and footer print; `page_count` is filled in once the pages are laid out."""

    title_zh: str
    title_en: str
    meta: DocumentMeta
    page_count: int = field(default=0)


def _fit(canvas: Canvas, line: str, font: str, size: float, width: float, minimum: float = 4.5) -> float:
    while size > minimum and stringWidth(line, font, size) > width:
        size -= 0.25
    canvas.setFont(font, size)
    return size


def qr_modules(value: str) -> list[list[bool]]:
    """The QR code of `value` (level M, no quiet zone) as rows of modules, True where dark."""
    symbol = zxingcpp.create_barcode(value, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    image = memoryview(symbol.to_image(scale=1, add_quiet_zones=False))  # one byte per module, 0 dark
    width = image.shape[1]
    pixels = image.tobytes()
    return [[pixel == 0 for pixel in pixels[row:row + width]] for row in range(0, len(pixels), width)]


class DocumentCanvas(Canvas):
    """Holds every page until the end so the footer can say "page X of Y".

    Kept on purpose: holding a page is a shallow copy of the canvas state (under 0.1 ms for a
    five-page report), and reportlab's PDF document keeps every page in memory until save
    anyway. A second layout pass to learn the count first would double the cost, and a
    forward-referenced form for the total would change the footer's fitting for nothing.
    """

    def __init__(self, *args, furniture: PageFurniture, **kwargs):
        super().__init__(*args, **kwargs)
        self._furniture = furniture
        self._pages: list[dict] = []

    def showPage(self):
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        self._furniture.page_count = total
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._draw_header(number)
            self._draw_footer(number, total)
            super().showPage()
        super().save()

    def _draw_header(self, number: int) -> None:
        furniture, font = self._furniture, register_fonts()
        meta = furniture.meta
        qr_size = 21 * mm
        right = PAGE_WIDTH - MARGIN_X
        title_width = FRAME_WIDTH - (qr_size + 4 * mm if number == 1 else 0)
        self.saveState()
        self.setFillColor(MUTED)
        self.setFont(font, 7)
        self.drawString(MARGIN_X, PAGE_HEIGHT - 10 * mm, "pledgeflow · 专利权质押融资 Patent pledge financing")
        if number > 1:
            self.drawRightString(right, PAGE_HEIGHT - 10 * mm, meta.application_reference)
        self.setFillColor(ACCENT)
        _fit(self, furniture.title_zh, font, 15, title_width)
        self.drawString(MARGIN_X, PAGE_HEIGHT - 17.5 * mm, furniture.title_zh)
        self.setFillColor(INK)
        _fit(self, furniture.title_en, font, 10.5, title_width)
        self.drawString(MARGIN_X, PAGE_HEIGHT - 23.5 * mm, furniture.title_en)
        self.setStrokeColor(ACCENT)
        self.setLineWidth(0.8)
        self.line(MARGIN_X, PAGE_HEIGHT - 27 * mm, MARGIN_X + title_width, PAGE_HEIGHT - 27 * mm)
        if number == 1:
            self._draw_qr(meta.verify_url, right - qr_size, PAGE_HEIGHT - 7 * mm - qr_size, qr_size)
            self.setFillColor(MUTED)
            self.setFont(font, 6)
            self.drawCentredString(right - qr_size / 2, PAGE_HEIGHT - 10 * mm - qr_size, "扫码核验 Scan to verify")
        self.restoreState()

    def _draw_qr(self, value: str, x: float, y: float, size: float) -> None:
        """The QR code as one filled path of dark runs, written in module units under one transform.

        Encoded with zxing-cpp (C++): the standard symbol at level M with the mask of lowest
        penalty, as ISO/IEC 18004 asks, in about 0.3 ms. segno, pure Python, took 10 ms, three
        quarters of it scoring the eight masks, and the URL differs on every document, so the
        encoding cannot be cached. Whole-number coordinates go into the stream as they are,
        sparing reportlab's pure-Python number formatting for each of the ~450 runs.
        """
        modules = qr_modules(value)
        count = len(modules)
        runs = []
        for row_index, row in enumerate(modules):
            bottom = count - 1 - row_index  # PDF y grows upwards; row 0 is the top
            column = 0
            for dark, run in itertools.groupby(row):
                length = len(list(run))
                if dark:
                    runs.append(f"{column} {bottom} {length} 1 re")
                column += length
        self.saveState()
        self.transform(size / count, 0, 0, size / count, x, y)
        self.setFillColor(colors.black)
        self.addLiteral("\n".join(runs) + "\nf")
        self.restoreState()

    def _draw_footer(self, number: int, total: int) -> None:
        furniture, font = self._furniture, register_fonts()
        meta = furniture.meta
        self.saveState()
        self.setStrokeColor(RULE)
        self.setLineWidth(0.5)
        self.line(MARGIN_X, 20 * mm, PAGE_WIDTH - MARGIN_X, 20 * mm)
        self.setFillColor(INK)
        numbers = f"申请编号 Application No. {meta.application_reference}"
        if meta.registration_number:
            numbers += f"　　登记号 Registration No. {meta.registration_number}"
        numbers += f"　　日期 Date {formats.date_en(meta.issued_on)}"
        pages = f"第 {number} 页 共 {total} 页 · Page {number} of {total}"
        pages_width = stringWidth(pages, font, 7)
        _fit(self, numbers, font, 7, FRAME_WIDTH - pages_width - 6 * mm)
        self.drawString(MARGIN_X, 16 * mm, numbers)
        self.setFont(font, 7)
        self.drawRightString(PAGE_WIDTH - MARGIN_X, 16 * mm, pages)
        self.setFillColor(MUTED)
        _fit(self, HASH_NOTE_ZH, font, 6.5, FRAME_WIDTH)
        self.drawString(MARGIN_X, 12.5 * mm, HASH_NOTE_ZH)
        note_en = HASH_NOTE_EN.format(url=meta.verify_url)
        _fit(self, note_en, font, 6.5, FRAME_WIDTH)
        self.drawString(MARGIN_X, 9 * mm, note_en)
        self.restoreState()


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    page_count: int


def render(*, title_zh: str, title_en: str, meta: DocumentMeta, story: list[Flowable]) -> RenderedPdf:
    """Lays the story out on the shared page template; the same input gives the same bytes."""
    register_fonts()
    buffer = io.BytesIO()
    furniture = PageFurniture(title_zh=title_zh, title_en=title_en, meta=meta)
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=f"{title_en} — {meta.application_reference}",
        subject=title_zh,
        author="pledgeflow",
        creator="pledgeflow",
        keywords=[meta.application_reference] + ([meta.registration_number] if meta.registration_number else []),
        initialFontName=register_fonts(),
        invariant=1,
    )
    doc.build(story, canvasmaker=partial(DocumentCanvas, furniture=furniture))
    return RenderedPdf(content=buffer.getvalue(), page_count=furniture.page_count)
