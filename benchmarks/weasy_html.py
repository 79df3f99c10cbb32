"""The same document as HTML + CSS, for WeasyPrint: the benchmark's second baseline (not app code).

`story_html(kind, content)` walks the reportlab story that documents.pdf.build_story makes
and writes each flowable as its HTML counterpart, so both sides set exactly the same words:
a Paragraph becomes a <p> with its style's size, leading, colour and alignment (its
<font>/<br/> markup turned into <span>/<br>), a Table a <table> with the same column widths,
paddings, grid rules, fills and repeated header row, a Spacer a blank block of its height,
KeepTogether a block that may not break, a chart (reportlab Drawing) the same drawing as
inline SVG. The page is the shared template's: A4, the same margins, the titles and the
running header on every page, the QR code of the verify URL on page 1, the footer with the
numbers, "page X of Y" and the hash note. One face everywhere: the WenQuanYi Micro Hei file
that documents/pdf/fonts.py registers, loaded through @font-face.

Building the HTML is left out of WeasyPrint's timing (a template engine would do it in a
millisecond or two), which flatters WeasyPrint slightly; the timed part is HTML to PDF bytes.
"""

from __future__ import annotations

import re
from html import escape

from reportlab.graphics.shapes import Drawing
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table

from documents.pdf import KINDS, build_story
from documents.pdf.fonts import FONT_FILE, FONT_NAME
from documents.pdf.layout import (
    ACCENT,
    HASH_NOTE_EN,
    HASH_NOTE_ZH,
    INK,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    MUTED,
    RULE,
)
from documents.pdf import formats

_ALIGN = {TA_RIGHT: "right", TA_CENTER: "center", TA_JUSTIFY: "justify"}
_FONT_TAG = re.compile(r"<font((?:\s+\w+=\"[^\"]*\")*)\s*>")
_ATTRIBUTE = re.compile(r"(\w+)=\"([^\"]*)\"")


def _css_colour(colour) -> str:
    return "#" + colour.hexval()[2:]


def _font_span(match: re.Match) -> str:
    styles = []
    for name, value in _ATTRIBUTE.findall(match.group(1)):
        if name == "color":
            styles.append(f"color:{value}")
        elif name == "size":
            styles.append(f"font-size:{value}pt")
    return f'<span style="{";".join(styles)}">'


def paragraph_markup(markup: str) -> str:
    """reportlab's paragraph markup as HTML: <font> to <span>, <br/> to <br>; entities are the same."""
    return _FONT_TAG.sub(_font_span, markup).replace("</font>", "</span>").replace("<br/>", "<br>")


def _paragraph(flowable: Paragraph) -> str:
    style = flowable.style
    css = [
        f"font-size:{style.fontSize}pt",
        f"line-height:{style.leading}pt",
        f"color:{_css_colour(style.textColor)}",
    ]
    if style.alignment in _ALIGN:
        css.append(f"text-align:{_ALIGN[style.alignment]}")
    if style.spaceBefore:
        css.append(f"margin-top:{style.spaceBefore}pt")
    if style.spaceAfter:
        css.append(f"margin-bottom:{style.spaceAfter}pt")
    if getattr(style, "keepWithNext", 0):
        css.append("break-after:avoid")
    return f'<p style="{";".join(css)}">{paragraph_markup(flowable.text)}</p>'


def _range(command, rows: int, cols: int) -> tuple[range, range]:
    (c0, r0), (c1, r1) = command[1], command[2]
    c0, c1 = (c if c >= 0 else cols + c for c in (c0, c1))
    r0, r1 = (r if r >= 0 else rows + r for r in (r0, r1))
    return range(r0, r1 + 1), range(c0, c1 + 1)


def _table(table: Table) -> str:
    rows, cols = len(table._cellvalues), len(table._cellvalues[0])
    fills: dict[tuple[int, int], str] = {}
    for command in table._bkgrndcmds:
        if command[0] == "BACKGROUND":
            row_range, col_range = _range(command, rows, cols)
            for r in row_range:
                for c in col_range:
                    fills[r, c] = _css_colour(command[3])
    ruled: set[tuple[int, int]] = set()
    rule_css = ""
    for command in table._linecmds:
        if command[0] == "GRID":
            row_range, col_range = _range(command, rows, cols)
            ruled.update((r, c) for r in row_range for c in col_range)
            rule_css = f"{command[3]}pt solid {_css_colour(command[4])}"
    out = ['<table style="width:100%">', "<colgroup>"]
    out += [f'<col style="width:{width}pt">' for width in table._colWidths]
    out.append("</colgroup>")
    repeat = table.repeatRows or 0
    for r, row in enumerate(table._cellvalues):
        if r == 0:
            out.append("<thead>" if repeat else "<tbody>")
        elif r == repeat and repeat:
            out.append("</thead><tbody>")
        out.append("<tr>")
        for c, value in enumerate(row):
            cell = table._cellStyles[r][c]
            css = [
                f"padding:{cell.topPadding}pt {cell.rightPadding}pt {cell.bottomPadding}pt {cell.leftPadding}pt",
                f"vertical-align:{cell.valign.lower()}",
            ]
            if (r, c) in fills:
                css.append(f"background:{fills[r, c]}")
            if (r, c) in ruled:
                css.append(f"border:{rule_css}")
            inner = "".join(flowable_html(v) for v in (value if isinstance(value, list) else [value]))
            out.append(f'<td style="{";".join(css)}">{inner}</td>')
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _drawing(drawing: Drawing) -> str:
    from reportlab.graphics import renderSVG

    svg = renderSVG.drawToString(drawing)
    svg = svg[svg.index("<svg") :]  # inline: without the XML declaration and doctype
    # reportlab writes the size in user units, which CSS would read as px (3/4 of a point)
    return svg.replace("<svg ", f'<svg style="width:{drawing.width}pt;height:{drawing.height}pt" ', 1)


def flowable_html(flowable) -> str:
    if isinstance(flowable, Paragraph):
        return _paragraph(flowable)
    if isinstance(flowable, Table):
        return _table(flowable)
    if isinstance(flowable, KeepTogether):
        return '<div style="break-inside:avoid">' + "".join(flowable_html(f) for f in flowable._content) + "</div>"
    if isinstance(flowable, Spacer):
        return f'<div style="height:{flowable.height}pt"></div>'
    if isinstance(flowable, Drawing):
        return _drawing(flowable)
    raise TypeError(f"no HTML for {type(flowable).__name__}")


def _css_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def story_html(kind: str, content) -> str:
    """The whole document, page template included, as one HTML page."""
    import base64

    import zxingcpp

    document_kind, meta = KINDS[kind], content.meta
    numbers = f"申请编号 Application No. {meta.application_reference}"
    if meta.registration_number:
        numbers += f"　　登记号 Registration No. {meta.registration_number}"
    numbers += f"　　日期 Date {formats.date_en(meta.issued_on)}"
    symbol = zxingcpp.create_barcode(meta.verify_url, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    svg = symbol.to_svg(add_quiet_zones=False)
    qr = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
    body = "".join(flowable_html(f) for f in build_story(kind, content))
    return f"""<!DOCTYPE html>
<html lang="zh"><head><meta charset="utf-8">
<title>{escape(document_kind.title_en)} — {escape(meta.application_reference)}</title>
<meta name="author" content="pledgeflow"><meta name="generator" content="pledgeflow">
<style>
@font-face {{ font-family: "{FONT_NAME}"; src: url("{FONT_FILE.as_uri()}"); }}
@page {{
  size: A4;
  margin: {MARGIN_TOP}pt {MARGIN_X}pt {MARGIN_BOTTOM}pt {MARGIN_X}pt;
  @top-left {{ content: element(header); vertical-align: bottom; }}
  @bottom-left {{
    content: {_css_string(numbers)} "　　第 " counter(page) " 页 共 " counter(pages) " 页 · Page " counter(page) " of " counter(pages)
      "\\A" {_css_string(HASH_NOTE_ZH)} "\\A" {_css_string(HASH_NOTE_EN.format(url=meta.verify_url))};
    white-space: pre; font: 6.5pt/9pt "{FONT_NAME}"; color: {_css_colour(MUTED)}; vertical-align: top;
    border-top: 0.5pt solid {_css_colour(RULE)}; padding-top: 3pt;
  }}
}}
@page :first {{
  @top-right {{ content: url("{qr}") "\\A 扫码核验 Scan to verify"; white-space: pre; width: 21mm;
    font: 6pt "{FONT_NAME}"; color: {_css_colour(MUTED)}; text-align: center; vertical-align: bottom; }}
}}
html {{ font-family: "{FONT_NAME}"; color: {_css_colour(INK)}; }}
header {{ position: running(header); border-bottom: 0.8pt solid {_css_colour(ACCENT)}; padding-bottom: 3pt; }}
header .brand {{ font-size: 7pt; color: {_css_colour(MUTED)}; }}
header .zh {{ font-size: 15pt; line-height: 20pt; color: {_css_colour(ACCENT)}; }}
header .en {{ font-size: 10.5pt; color: {_css_colour(INK)}; }}
p {{ margin: 0; }}
table {{ border-collapse: collapse; table-layout: fixed; }}
td {{ overflow-wrap: anywhere; }}
svg {{ display: block; }}
</style></head><body>
<header><div class="brand">pledgeflow · 专利权质押融资 Patent pledge financing　<span>{escape(meta.application_reference)}</span></div>
<div class="zh">{escape(document_kind.title_zh)}</div><div class="en">{escape(document_kind.title_en)}</div></header>
{body}
</body></html>"""
