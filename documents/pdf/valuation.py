"""The valuation report: approaches, the cash-flow table, the quality chart, loan-to-value and the cap."""

from __future__ import annotations

from decimal import Decimal

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether

from . import formats, wording
from .content import PatentValuation, Signatory, ValuationReport
from .fonts import register_fonts
from .layout import (
    ACCENT,
    FRAME_WIDTH,
    INK,
    MUTED,
    clauses,
    date_value,
    facts,
    gap,
    grid,
    heading,
    money_value,
    pair,
    party_text,
    signatures,
    subheading,
    text,
)

SERIES_COLOURS = [ACCENT, colors.HexColor("#2e8b86"), colors.HexColor("#d9822b"), colors.HexColor("#8c6bb1"), colors.HexColor("#7a8699")]


def _money(value: Decimal | None, currency: str) -> str:
    return formats.money_en(value, currency)


def quality_chart(patents: tuple[PatentValuation, ...]) -> Drawing | None:
    """Grouped bars: one group per quality dimension, one bar per patent, scored 0-100."""
    rated = [p for p in patents if p.quality_dimensions]
    if not rated:
        return None
    font = register_fonts()
    dimensions = [d.name for d in rated[0].quality_dimensions]
    width, height = FRAME_WIDTH, 62 * mm
    drawing = Drawing(width, height)
    drawing.initialFontName = font  # else reportlab graphics reference an unembedded Times-Roman
    chart = VerticalBarChart()
    chart.x, chart.y = 34, 26
    chart.width, chart.height = width - 190, height - 40
    chart.data = [
        [float(next((d.score for d in p.quality_dimensions if d.name == name), 0)) for name in dimensions]
        for p in rated
    ]  # reportlab draws in floats; the figures printed in the tables stay Decimal
    chart.categoryAxis.categoryNames = [
        " ".join(wording.bilingual(wording.QUALITY_DIMENSIONS, name)) for name in dimensions
    ]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7.5
    chart.categoryAxis.labels.dy = -4
    chart.categoryAxis.strokeColor = MUTED
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 20
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.strokeColor = MUTED
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#e3e7ee")
    chart.barSpacing, chart.groupSpacing = 2, 12
    chart.barLabelFormat = "%.0f"
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = 6.5
    chart.barLabels.nudge = 6
    for index in range(len(rated)):
        chart.bars[index].fillColor = SERIES_COLOURS[index % len(SERIES_COLOURS)]
        chart.bars[index].strokeColor = None
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = width - 146, height - 14
    legend.fontName, legend.fontSize = font, 7.5
    legend.alignment = "right"
    legend.columnMaximum = 8
    legend.colorNamePairs = [
        (SERIES_COLOURS[i % len(SERIES_COLOURS)], f"{p.patent.number}  {formats.plain_decimal(p.quality_score, 1)}")
        for i, p in enumerate(rated)
    ]
    drawing.add(legend)
    drawing.add(String(width - 146, height - 6, "专利号 · 综合评分 Patent · overall score", fontName=font, fontSize=7, fillColor=INK))
    drawing.add(String(2, height - 6, "分 Score (0-100)", fontName=font, fontSize=7, fillColor=MUTED))
    return drawing


def _shift_label(cell_shift: Decimal, *, points: bool) -> str:
    if cell_shift == 0:
        return "±0"
    sign = "+" if cell_shift > 0 else "−"
    return f"{sign}{formats.plain_decimal(abs(cell_shift) * 100, 0)}{' pt' if points else '%'}"


def _sensitivity_table(item: PatentValuation, currency: str) -> list[Flowable]:
    """Discount rate rows × royalty rate columns; each cell the value above, the income approach's result below."""
    discount_shifts = list(dict.fromkeys(cell.discount_rate_shift for cell in item.sensitivity))
    royalty_scales = list(dict.fromkeys(cell.royalty_rate_scale for cell in item.sensitivity))
    cells = {(cell.discount_rate_shift, cell.royalty_rate_scale): cell for cell in item.sensitivity}
    first_row = [cells[discount_shifts[0], scale] for scale in royalty_scales]
    header = [("折现率 ＼ 许可费率", "Discount ＼ royalty rate")] + [
        (formats.percent(cell.royalty_rate), _shift_label(cell.royalty_rate_scale, points=False)) for cell in first_row
    ]
    rows = []
    for shift in discount_shifts:
        row_cells = [cells[shift, scale] for scale in royalty_scales]
        rows.append(
            [(formats.percent(row_cells[0].discount_rate), _shift_label(shift, points=True))]
            + [(formats.amount(cell.value), f"income {formats.amount(cell.income_value)}") for cell in row_cells]
        )
    value_zh, value_en = wording.bilingual(wording.VALUE_TYPES, item.value_type)
    return [
        subheading("敏感性分析", "Sensitivity"),
        text(
            f"折现率±2个百分点、许可费率±20%时的评估值（{value_zh}，上行）与收益法结果（下行），其他条件不变；{currency}。"
            f" The value ({value_en.lower()}, above) and the income approach's result (below) at the discount rate "
            f"±2 points and the royalty rate ±20%, all else held; {currency}.",
            "small",
        ),
        grid(header, rows, [34, 40, 40, 40], numeric=frozenset({1, 2, 3})),
    ]


def _patent_section(index: int, item: PatentValuation, currency: str) -> list[Flowable]:
    patent = item.patent
    story: list[Flowable] = [
        heading(f"专利 {index}：{patent.number}", f"Patent {index}: {patent.number}"),
        facts(
            [
                ("名称", "Title", patent.title),
                ("类型", "Kind", wording.bilingual(wording.PATENT_KINDS, patent.kind)),
                ("申请日 / 授权日", "Filed / granted", f"{formats.date_en(patent.filing_date)} / {formats.date_en(patent.grant_date)}"),
                ("届满日", "Expires on", date_value(patent.expiry_date)),
                (
                    "剩余保护期（年）",
                    "Remaining protection (years)",
                    formats.plain_decimal(item.remaining_term_years),
                ),
            ]
        ),
        gap(2),
    ]
    approach_rows = []
    for code, value in (("income", item.income_value), ("cost", item.cost_value), ("market", item.market_value)):
        if value is None:
            continue
        weight = item.weights.get(code)
        weighted = value * weight if weight is not None else None
        approach_rows.append(
            [
                wording.bilingual(wording.APPROACHES, code),
                _money(value, currency),
                formats.percent(weight, 0) if weight is not None else "—",
                _money(weighted, currency),
            ]
        )
    value_zh, value_en = wording.bilingual(wording.VALUE_TYPES, item.value_type)
    if item.value_type == "liquidation" and item.market_value_basis is not None:
        approach_rows.append([("市场价值", "Market value"), "", "", _money(item.market_value_basis, currency)])
        approach_rows.append([
            ("清算折扣", "Liquidation discount"), "", formats.percent(item.liquidation_discount, 0),
            "−" + _money(item.market_value_basis - item.value, currency),
        ])
    approach_rows.append([(f"评估值（{value_zh}）", f"Value ({value_en.lower()})"), "", "", _money(item.value, currency)])
    story += [
        subheading("评估方法与结果", "Approaches and results"),
        grid(
            [("评估方法", "Approach"), ("方法结果", "Result"), ("权重", "Weight"), ("加权值", "Weighted")],
            approach_rows,
            [50, 40, 20, 40],
            numeric=frozenset({1, 2, 3}),
            total_row=True,
        ),
    ]
    if item.cash_flows:
        story += [
            subheading("收益法逐年现金流", "Income approach, year by year"),
            text(
                f"收益法参数 Income parameters：许可费率 royalty rate {formats.percent(item.royalty_rate)}；"
                f"所得税率 tax rate {formats.percent(item.tax_rate)}；折现率 discount rate {formats.percent(item.discount_rate)}",
                "small",
            ),
        ]
        rows = [
            [
                str(year.year),
                formats.amount(year.revenue),
                formats.plain_decimal(year.protected_fraction, 4),
                formats.amount(year.royalty_after_tax),
                formats.plain_decimal(year.discount_factor, 4),
                formats.amount(year.present_value),
            ]
            for year in item.cash_flows
        ]
        total = sum((year.present_value for year in item.cash_flows), Decimal("0"))
        rows.append([("合计", "Total"), "", "", "", "", formats.amount(total)])
        story.append(
            grid(
                [
                    ("年度 t", "Year t"),
                    ("预测收入 R_t", "Revenue R_t"),
                    ("保护比例 f_t", "Protected f_t"),
                    ("税后许可费", "Royalty after tax"),
                    ("折现系数", "Discount factor"),
                    ("现值", "Present value"),
                ],
                rows,
                [14, 30, 20, 30, 20, 30],
                numeric=frozenset({1, 2, 3, 4, 5}),
                total_row=True,
            )
        )
    if item.sensitivity:
        story += _sensitivity_table(item, currency)
    if item.quality_dimensions:
        rows = [
            [
                wording.bilingual(wording.QUALITY_DIMENSIONS, d.name),
                formats.plain_decimal(d.score, 1),
                formats.percent(d.weight, 0),
            ]
            for d in item.quality_dimensions
        ]
        rows.append([("综合评分", "Quality score"), formats.plain_decimal(item.quality_score, 1), ""])
        story += [subheading("质量评分", "Quality score"), grid([("维度", "Dimension"), ("得分", "Score"), ("权重", "Weight")], rows, [60, 30, 30], numeric=frozenset({1, 2}), total_row=True)]
    if item.defaulted_indicators:
        names_zh = "、".join(wording.bilingual(wording.QUALITY_INDICATORS, c)[0] for c in item.defaulted_indicators)
        names_en = ", ".join(wording.bilingual(wording.QUALITY_INDICATORS, c)[1] for c in item.defaulted_indicators)
        story += [
            gap(1),
            text(f"未评分指标按中性值3分计：{names_zh}。", "small"),
            text(f"Indicators not rated count as 3 (neutral): {names_en}.", "small"),
        ]
    high_value = item.high_value_categories
    story += [
        gap(1.5),
        facts(
            [
                (
                    "高价值发明专利",
                    "High-value invention patent",
                    (
                        "是：" + "；".join(wording.bilingual(wording.HIGH_VALUE_CATEGORIES, c)[0] for c in high_value)
                        if high_value
                        else "否",
                        "Yes: " + "; ".join(wording.bilingual(wording.HIGH_VALUE_CATEGORIES, c)[1] for c in high_value)
                        if high_value
                        else "No",
                    ),
                ),
            ]
        ),
    ]
    ltv_rows = []
    if item.ltv_base is not None:
        ltv_rows.append([("按类型的基准质押率", "Base loan-to-value for the kind"), formats.percent(item.ltv_base, 0)])
    for adjustment in item.ltv_adjustments:
        zh, en = wording.bilingual(wording.LTV_ADJUSTMENTS, adjustment.reason)
        sign = "+" if adjustment.points >= 0 else "−"
        ltv_rows.append([(f"调整：{zh}", f"Adjustment: {en}"), f"{sign}{formats.plain_decimal(abs(adjustment.points), 0)} pt"])
    ltv_rows.append([("质押率", "Loan-to-value"), formats.percent(item.ltv, 0)])
    ltv_rows.append([("可贷金额", "Maximum loan"), _money(item.max_loan, currency)])
    story += [
        subheading("质押率与可贷金额", "Loan-to-value and maximum loan"),
        grid([("项目", "Item"), ("数值", "Figure")], ltv_rows, [100, 50], numeric=frozenset({1}), total_row=True),
    ]
    return story


def valuation_report(report: ValuationReport) -> list[Flowable]:
    currency = report.currency
    requested = report.amount_requested
    within = requested.amount <= report.loan_cap
    value_zh, value_en = wording.bilingual(wording.VALUE_TYPES, report.value_type)
    story: list[Flowable] = [
        clauses(
            [
                (
                    f"受{party_text(report.bank)[0]}委托，{party_text(report.appraiser)[0]}以"
                    f"{formats.date_zh(report.valuation_date)}为评估基准日，对下列专利权用于质押融资的价值进行了评估。",
                    f"At the request of {report.bank.name}, {report.appraiser.name} has valued the patents below "
                    f"for a pledge loan, as at {formats.date_en(report.valuation_date)}.",
                )
            ]
        ),
        gap(1),
        facts(
            [
                ("委托方", "Instructed by", party_text(report.bank)),
                ("专利权人", "Patentee", party_text(report.enterprise)),
                ("评估机构", "Appraisal firm", party_text(report.appraiser)),
                ("评估师", "Appraiser", report.appraiser_name),
                ("评估基准日", "Valuation date", date_value(report.valuation_date)),
                ("有效期至", "Valid until", date_value(report.valid_until)),
                ("价值类型", "Value type", wording.bilingual(wording.VALUE_TYPES, report.value_type)),
            ]
        ),
        heading("一、评估结论", "1. Conclusion"),
        grid(
            [("专利号", "Patent"), ("名称", "Title"), (f"评估值（{value_zh}）", f"Value ({value_en.lower()})"),
             ("质押率", "LTV"), ("可贷金额", "Maximum loan")],
            [
                [p.patent.number, p.patent.title, _money(p.value, currency), formats.percent(p.ltv, 0), _money(p.max_loan, currency)]
                for p in report.patents
            ]
            + [[("合计", "Total"), "", _money(report.total_value, currency), "", _money(report.loan_cap, currency)]],
            [30, 48, 32, 14, 32],
            numeric=frozenset({2, 3, 4}),
            total_row=True,
        ),
        gap(2),
        facts(
            [
                ("评估总值", "Total value", money_value(report.total_value, currency)),
                ("贷款上限", "Loan cap", money_value(report.loan_cap, currency)),
                ("申请金额", "Amount requested", money_value(requested.amount, requested.currency)),
                (
                    "是否在上限内",
                    "Within the cap",
                    ("是", "Yes") if within else ("否：申请金额超过贷款上限", "No: the amount requested exceeds the cap"),
                ),
            ]
        ),
    ]
    story += [
        heading("二、评估方法", "2. Method"),
        clauses(
            [
                (
                    "收益法（许可费节省法）：价值 = Σ R_t × 许可费率 × (1 − 所得税率) × f_t ÷ (1 + 折现率)^t；"
                    "专利届满后的年度不计，届满当年按仍受保护的比例 f_t 计算，年末折现。",
                    "Income (relief from royalty): value = Σ R_t × royalty rate × (1 − tax rate) × f_t ÷ "
                    "(1 + discount rate)^t; years after expiry count nothing, the year of expiry counts the "
                    "protected fraction f_t; end-of-year discounting.",
                ),
                (
                    "成本法：重置成本 × 剩余法定保护期 ÷ 法定保护期。",
                    "Cost: replacement cost × remaining legal life ÷ total legal life.",
                ),
                (
                    "市场法：可比交易价格按质量评分之比调整后取中位数。",
                    "Market: comparable prices scaled by the ratio of quality scores; the median is taken.",
                ),
                wording.bilingual(wording.VALUE_TYPE_MEANINGS, report.value_type),
                (
                    "敏感性分析：收益法的折现率上下浮动2个百分点、许可费率上下浮动20%，其余输入不变，按同一方法重新计算。",
                    "Sensitivity: the income approach is worked again with the discount rate 2 points either side "
                    "and the royalty rate 20% either side, every other input held.",
                ),
                (
                    "质押率按专利类型确定，并按质量评分与高价值发明专利认定调整；贷款上限为各专利评估值与质押率乘积之和。",
                    "Loan-to-value follows the patent's kind, adjusted for the quality score and high-value "
                    "status; the loan cap is the sum over the patents of value × loan-to-value.",
                ),
            ],
            numbered=True,
        ),
    ]
    chart = quality_chart(report.patents)
    if chart is not None:
        caption = text("图：各专利法律、技术、经济价值度得分 Figure: legal, technical and economic scores of each patent", "small")
        story.append(KeepTogether([heading("三、质量评价", "3. Quality"), chart, caption]))
    story.append(heading("四、逐项评估", "4. Patent by patent") if chart else heading("三、逐项评估", "3. Patent by patent"))
    for index, item in enumerate(report.patents, start=1):
        story += _patent_section(index, item, currency)
    if report.note:
        story += [heading("评估说明", "Appraiser's note"), text(report.note)]
    story += [
        gap(2),
        pair(
            f"本报告自评估基准日起至{formats.date_zh(report.valid_until)}有效，逾期须重新评估。",
            f"This report is valid until {formats.date_en(report.valid_until)}; after that the patents must be valued again.",
            "body",
        ),
        signatures([Signatory("评估师", "Appraiser", report.appraiser_name, report.meta.issued_on), Signatory("评估机构（盖章）", "Appraisal firm (seal)", report.appraiser.name)]),
    ]
    return story
