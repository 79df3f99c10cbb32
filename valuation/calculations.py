"""What a patent is worth and how much may be lent against it (DOMAIN.md §4-§5): pure, Decimal-exact.

Nothing here touches the database or a request: every function takes plain
values (Decimal, int, date, str) and returns Decimals or frozen dataclasses.

Rounding rule. Every computation runs in a local decimal context of 34
significant digits (IEEE decimal128; far more than any money figure needs),
and rounding happens only where a figure leaves this module:
- money is quantized to 0.01 ROUND_HALF_UP, except the loan cap and the
  maximum loan, which are rounded DOWN to the cent: a lending limit never
  rounds up;
- rates, ratios, fractions, LTVs, weights and years to 0.0001 ROUND_HALF_UP;
- discount factors to 0.000001 (display only);
- quality scores (0-100) to 0.01 ROUND_HALF_UP.
In the income approach each year's present value is rounded to the cent and
the income value is the sum of those rounded rows, so the cash-flow table the
valuation report prints adds up exactly to the value it states.

Dates. `patents.facts.PatentFacts.expiry_date` (by `patents.terms.expiry_date`)
gives the last day a patent is in force;
protection therefore covers the days before `expiry + 1 day`. Forecast year t
after the valuation date V runs from V + (t-1) years up to, not including,
V + t years (29 February falls back to the 28th).
"""
from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Context, Decimal, localcontext
from types import MappingProxyType

from financing.dates import add_months, loan_end, protection_needed_until
from patents.facts import PatentFacts
from patents.terms import add_years

ZERO = Decimal("0")
ONE = Decimal("1")
CENT = Decimal("0.01")
RATIO = Decimal("0.0001")
FACTOR = Decimal("0.000001")
SCORE = Decimal("0.01")
HUNDRED = Decimal("100")

APPROACHES = ("income", "cost", "market")
KINDS = ("invention", "utility_model", "design")
# What the stated value is (DOMAIN.md §4, "for a pledge"): the market value the approaches reconcile to,
# or the liquidation value a forced sale would fetch (the market value less the kind's discount).
VALUE_TYPES = ("market", "liquidation")
# The sensitivity grid DOMAIN.md §4 asks of a pledge valuation: the discount rate moved by whole points
# (±0.02 added), the royalty rate scaled (±20% of itself).
SENSITIVITY_DISCOUNT_SHIFTS = (Decimal("-0.02"), Decimal("0"), Decimal("0.02"))
SENSITIVITY_ROYALTY_SCALES = (Decimal("-0.20"), Decimal("0"), Decimal("0.20"))

# Indicators of DOMAIN.md §4, after the national patent evaluation guideline.
# Each is rated 1-5 with 5 always the better case for the patent holder (so
# "dependence" 5 means hardly dependent on other technology, "competition" 5
# means little competition).
QUALITY_INDICATORS: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "legal": (
        "claim_stability",
        "non_circumventability",
        "infringement_detectability",
        "remaining_term",
        "family_coverage",
        "licensing_status",
    ),
    "technical": (
        "advancement",
        "maturity",
        "breadth_of_application",
        "substitutability",
        "dependence",
    ),
    "economic": (
        "market_size",
        "market_share",
        "competition",
        "policy_fit",
        "realisability",
    ),
})
NEUTRAL_RATING = Decimal("3")
DEFAULT_QUALITY_WEIGHTS: Mapping[str, Decimal] = MappingProxyType({
    "legal": Decimal("0.4"), "technical": Decimal("0.3"), "economic": Decimal("0.3"),
})

# High-value invention patent categories (DOMAIN.md §4): code -> (English, Chinese).
HIGH_VALUE_CATEGORIES: Mapping[str, tuple[str, str]] = MappingProxyType({
    "strategic_emerging_industry": ("belongs to a strategic emerging industry", "属于战略性新兴产业"),
    "foreign_family": ("has a granted family member abroad", "在海外有同族专利权"),
    "maintained_long": ("maintained for more than the set years since filing", "维持年限超过规定年限"),
    "pledge_secured": ("has secured a pledge of at least the set amount", "实现较高质押融资金额"),
    "national_award": ("has won a national science and technology or patent award", "获得国家科学技术奖或中国专利奖"),
})
NATIONAL_AWARDS = ("national_science_technology_award", "national_patent_award")


class ValuationInputError(ValueError):
    """An input no valuation can be computed from; `field` names it (dotted path)."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def _exact(function):
    """Run `function` in a private 34-digit context so callers' contexts never leak in."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with localcontext(Context(prec=34, rounding=ROUND_HALF_UP)):
            return function(*args, **kwargs)

    return wrapper


def _money(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def _ratio(amount: Decimal) -> Decimal:
    return amount.quantize(RATIO, rounding=ROUND_HALF_UP)


def _decimal(value, field: str) -> Decimal:
    """Accept Decimal, int or a numeric string; refuse float (binary, inexact) and non-finite values."""
    if isinstance(value, bool) or isinstance(value, float):
        raise ValuationInputError(field, "must be a Decimal, an integer or a numeric string, not a float")
    try:
        number = value if isinstance(value, Decimal) else Decimal(value)
    except (TypeError, ValueError, ArithmeticError):
        raise ValuationInputError(field, f"is not a number: {value!r}") from None
    if not number.is_finite():
        raise ValuationInputError(field, "must be a finite number")
    return number


def _in_range(value, field: str, low: Decimal, high: Decimal, *, high_open: bool = False) -> Decimal:
    number = _decimal(value, field)
    if number < low or number > high or (high_open and number == high):
        bracket = ")" if high_open else "]"
        raise ValuationInputError(field, f"must lie in [{low}, {high}{bracket}, got {number}")
    return number


# ---------------------------------------------------------------- dates and terms


@_exact
def years_between(start: dt.date, end: dt.date) -> Decimal:
    """Years from `start` up to (not including) `end`: whole anniversaries plus the fraction, by days, of the next year.

    Measured the same way as the income approach's forecast years, so a
    remaining term of 15.6027 years means 15 full forecast years and 60.27%
    of the 16th. Zero when `end` is not after `start`. Unrounded.
    """
    if end <= start:
        return ZERO
    whole = end.year - start.year
    if add_years(start, whole) > end:
        whole -= 1
    year_start = add_years(start, whole)
    year_end = add_years(start, whole + 1)
    return Decimal(whole) + Decimal((end - year_start).days) / Decimal((year_end - year_start).days)


def _protection_end(expiry: dt.date) -> dt.date:
    """The first day without protection."""
    return expiry + dt.timedelta(days=1)


@_exact
def remaining_term_years(*, expiry: dt.date, valuation_date: dt.date) -> Decimal:
    """Remaining legal term at `valuation_date` of a patent whose last day in force is `expiry`, in years to 4 dp
    (0 once expired)."""
    return _ratio(years_between(valuation_date, _protection_end(expiry)))


# ---------------------------------------------------------------- income approach


@dataclass(frozen=True)
class CashFlowYear:
    """One row of the relief-from-royalty table the valuation report prints."""

    year: int
    period_start: dt.date
    period_end: dt.date  # last day of the forecast year
    revenue: Decimal
    protected_fraction: Decimal  # f_t, 4 dp
    royalty: Decimal  # R_t × royalty rate × f_t
    after_tax: Decimal  # royalty × (1 − tax rate)
    discount_factor: Decimal  # 1 / (1 + r)^t, 6 dp
    present_value: Decimal


@dataclass(frozen=True)
class IncomeValuation:
    value: Decimal
    cash_flows: tuple[CashFlowYear, ...]
    protected_years: Decimal  # Σ f_t, 4 dp: how much of the forecast the patent still covers


@_exact
def protected_fraction(*, period_start: dt.date, period_end: dt.date, expiry: dt.date) -> Decimal:
    """Share of the days in [period_start, period_end) on which the patent is in force (unrounded)."""
    days = (period_end - period_start).days
    covered = (min(period_end, _protection_end(expiry)) - period_start).days
    return Decimal(max(0, min(days, covered))) / Decimal(days)


@dataclass(frozen=True)
class _ForecastYear:
    """Year t of the forecast as the rates do not change it: its period, revenue and protected fraction."""

    year: int
    start: dt.date
    end: dt.date  # the first day of the next year
    revenue: Decimal
    fraction: Decimal  # f_t, unrounded


def _forecast_years(revenue_forecast: Sequence, valuation_date: dt.date, expiry: dt.date) -> tuple[_ForecastYear, ...]:
    if len(revenue_forecast) == 0:
        raise ValuationInputError("income.revenue_forecast", "needs at least one year")
    years = []
    for t, raw_revenue in enumerate(revenue_forecast, start=1):
        revenue = _decimal(raw_revenue, f"income.revenue_forecast[{t - 1}]")
        if revenue < 0:
            raise ValuationInputError(f"income.revenue_forecast[{t - 1}]", "must not be negative")
        start = add_years(valuation_date, t - 1)
        end = add_years(valuation_date, t)
        years.append(_ForecastYear(year=t, start=start, end=end, revenue=revenue,
                                   fraction=protected_fraction(period_start=start, period_end=end, expiry=expiry)))
    return tuple(years)


def _relief_from_royalty(
    years: Sequence[_ForecastYear], *, royalty_rate: Decimal, tax_rate: Decimal, discount_rate: Decimal
) -> IncomeValuation:
    """The income approach's one formula, over forecast years already laid out and rates already checked."""
    rows = []
    covered_years = ZERO
    for year in years:
        t, fraction = year.year, year.fraction
        covered_years += fraction
        royalty = year.revenue * royalty_rate * fraction
        after_tax = royalty * (ONE - tax_rate)
        discount = ONE / (ONE + discount_rate) ** t
        rows.append(CashFlowYear(
            year=t,
            period_start=year.start,
            period_end=year.end - dt.timedelta(days=1),
            revenue=_money(year.revenue),
            protected_fraction=_ratio(fraction),
            royalty=_money(royalty),
            after_tax=_money(after_tax),
            discount_factor=discount.quantize(FACTOR, rounding=ROUND_HALF_UP),
            present_value=_money(after_tax * discount),
        ))
    return IncomeValuation(
        value=sum((row.present_value for row in rows), ZERO),
        cash_flows=tuple(rows),
        protected_years=_ratio(covered_years),
    )


@_exact
def income_value(
    *,
    revenue_forecast: Sequence,
    royalty_rate,
    tax_rate,
    discount_rate,
    valuation_date: dt.date,
    expiry: dt.date,
) -> IncomeValuation:
    """Relief from royalty: Σ R_t × royalty × (1 − tax) × f_t / (1 + r)^t, end-of-year discounting.

    `revenue_forecast[t-1]` is the revenue of year t after `valuation_date`;
    f_t is the fraction of year t before the patent's protection ends (1 for
    years wholly protected, 0 for years wholly after expiry).
    """
    if len(revenue_forecast) == 0:
        raise ValuationInputError("income.revenue_forecast", "needs at least one year")
    royalty_rate = _in_range(royalty_rate, "income.royalty_rate", ZERO, ONE)
    tax_rate = _in_range(tax_rate, "income.tax_rate", ZERO, ONE, high_open=True)
    discount_rate = _in_range(discount_rate, "income.discount_rate", ZERO, ONE)
    return _relief_from_royalty(
        _forecast_years(revenue_forecast, valuation_date, expiry),
        royalty_rate=royalty_rate, tax_rate=tax_rate, discount_rate=discount_rate,
    )


# ---------------------------------------------------------------- cost and market approaches


@dataclass(frozen=True)
class CostValuation:
    value: Decimal
    remaining_life_years: Decimal
    total_life_years: Decimal
    life_ratio: Decimal


@_exact
def cost_value(
    *, replacement_cost, filing_date: dt.date, expiry: dt.date, valuation_date: dt.date
) -> CostValuation:
    """Replacement cost × remaining legal life ÷ total legal life (lives in years, as `years_between`)."""
    cost = _decimal(replacement_cost, "cost.replacement_cost")
    if cost < 0:
        raise ValuationInputError("cost.replacement_cost", "must not be negative")
    end = _protection_end(expiry)
    total = years_between(filing_date, end)
    remaining = min(years_between(valuation_date, end), total)
    ratio = remaining / total if total > 0 else ZERO
    return CostValuation(
        value=_money(cost * ratio),
        remaining_life_years=_ratio(remaining),
        total_life_years=_ratio(total),
        life_ratio=_ratio(ratio),
    )


@dataclass(frozen=True)
class Comparable:
    price: Decimal
    quality_score: Decimal
    adjusted_price: Decimal  # price × subject score ÷ comparable score


@dataclass(frozen=True)
class MarketValuation:
    value: Decimal
    comparables: tuple[Comparable, ...]


def _median(values: Sequence[Decimal]) -> Decimal:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


@_exact
def market_value(*, comparables: Sequence[Mapping], quality_score) -> MarketValuation:
    """Median of comparable prices, each scaled by this patent's quality score ÷ the comparable's.

    `comparables` holds mappings with `price` and `quality_score` (0-100,
    above 0); `quality_score` is this patent's.
    """
    if len(comparables) == 0:
        raise ValuationInputError("market.comparables", "needs at least one comparable transaction")
    subject = _in_range(quality_score, "quality_score", ZERO, HUNDRED)
    scaled = []
    rows = []
    for i, comparable in enumerate(comparables):
        where = f"market.comparables[{i}]"
        price = _decimal(comparable.get("price"), f"{where}.price")
        if price < 0:
            raise ValuationInputError(f"{where}.price", "must not be negative")
        score = _in_range(comparable.get("quality_score"), f"{where}.quality_score", ZERO, HUNDRED)
        if score == 0:
            raise ValuationInputError(f"{where}.quality_score", "must be above 0")
        adjusted = price * subject / score
        scaled.append(adjusted)
        rows.append(Comparable(price=_money(price), quality_score=score.quantize(SCORE), adjusted_price=_money(adjusted)))
    return MarketValuation(value=_money(_median(scaled)), comparables=tuple(rows))


# ---------------------------------------------------------------- reconciliation


@dataclass(frozen=True)
class Reconciliation:
    value: Decimal
    weights: Mapping[str, Decimal]  # approach -> weight, 4 dp


@_exact
def reconcile(*, values: Mapping[str, Decimal], weights: Mapping | None = None) -> Reconciliation:
    """Weighted value of the approaches given; without `weights` they share equally.

    `weights` may name only approaches present in `values`, each in [0, 1],
    summing to exactly 1; an approach given but left out of `weights` weighs 0.
    """
    if not values:
        raise ValuationInputError("approaches", "give at least one of income, cost, market")
    for name in values:
        if name not in APPROACHES:
            raise ValuationInputError(name, "is not a valuation approach")
    if weights is None:
        value = sum((Decimal(v) for v in values.values()), ZERO) / len(values)
        share = ONE / len(values)
        return Reconciliation(value=_money(value), weights={n: _ratio(share) for n in values})
    checked = {}
    for name, weight in weights.items():
        if name not in values:
            raise ValuationInputError(f"weights.{name}", "weights an approach that was not given")
        checked[name] = _in_range(weight, f"weights.{name}", ZERO, ONE)
    if sum(checked.values(), ZERO) != ONE:
        raise ValuationInputError("weights", f"must sum to 1, they sum to {sum(checked.values(), ZERO)}")
    value = sum((values[name] * checked.get(name, ZERO) for name in values), ZERO)
    return Reconciliation(value=_money(value), weights={n: _ratio(checked.get(n, ZERO)) for n in values})


# ---------------------------------------------------------------- quality score


@dataclass(frozen=True)
class QualityScore:
    score: Decimal  # 0-100, 2 dp
    dimensions: Mapping[str, Decimal]  # legal/technical/economic, each 0-100, 2 dp
    weights: Mapping[str, Decimal]
    defaulted: tuple[str, ...]  # "legal.claim_stability", ...: indicators not rated, counted as 3


def rating_to_score(rating: Decimal) -> Decimal:
    """Map a 1-5 rating linearly onto 0-100: 1 → 0, 3 (neutral) → 50, 5 → 100."""
    return (rating - ONE) * 25


@_exact
def quality_score(*, ratings: Mapping | None = None, weights: Mapping | None = None) -> QualityScore:
    """Quality score 0-100 from the legal, technical and economic indicators.

    Each dimension's score is the mean of its indicators' ratings (1-5), mapped
    onto 0-100; the score is Σ weight × dimension score. A missing indicator
    counts 3 and is listed in `defaulted`; an unknown one is refused.
    """
    ratings = ratings or {}
    weights = DEFAULT_QUALITY_WEIGHTS if weights is None else weights
    for dimension in ratings:
        if dimension not in QUALITY_INDICATORS:
            raise ValuationInputError(f"quality.{dimension}", "is not a quality dimension (legal, technical, economic)")
    checked_weights = {}
    for dimension in QUALITY_INDICATORS:
        if dimension not in weights:
            raise ValuationInputError(f"quality_weights.{dimension}", "is missing")
        checked_weights[dimension] = _in_range(weights[dimension], f"quality_weights.{dimension}", ZERO, ONE)
    for dimension in weights:
        if dimension not in QUALITY_INDICATORS:
            raise ValuationInputError(f"quality_weights.{dimension}", "is not a quality dimension")
    if sum(checked_weights.values(), ZERO) != ONE:
        raise ValuationInputError("quality_weights", "must sum to 1")
    defaulted = []
    dimensions = {}
    for dimension, indicators in QUALITY_INDICATORS.items():
        given = ratings.get(dimension) or {}
        for name in given:
            if name not in indicators:
                raise ValuationInputError(f"quality.{dimension}.{name}", f"is not a {dimension} indicator")
        total = ZERO
        for name in indicators:
            if name in given and given[name] is not None:
                total += _in_range(given[name], f"quality.{dimension}.{name}", ONE, Decimal("5"))
            else:
                total += NEUTRAL_RATING
                defaulted.append(f"{dimension}.{name}")
        dimensions[dimension] = rating_to_score(total / len(indicators))
    score = sum((checked_weights[d] * dimensions[d] for d in QUALITY_INDICATORS), ZERO)
    return QualityScore(
        score=score.quantize(SCORE, rounding=ROUND_HALF_UP),
        dimensions={d: s.quantize(SCORE, rounding=ROUND_HALF_UP) for d, s in dimensions.items()},
        weights={d: _ratio(w) for d, w in checked_weights.items()},
        defaulted=tuple(defaulted),
    )


# ---------------------------------------------------------------- high-value invention patents


@dataclass(frozen=True)
class HighValueCriteria:
    """Which categories count and their thresholds: bank/office settings, defaults of DOMAIN.md §4."""

    strategic_industry: bool = True
    foreign_family: bool = True
    maintained_years: int | None = 10  # None switches the category off
    pledge_threshold: Decimal | None = Decimal("10000000")
    pledge_currency: str = "CNY"
    awards: tuple[str, ...] = NATIONAL_AWARDS


@dataclass(frozen=True)
class HighValue:
    is_high_value: bool
    reasons: tuple[str, ...]  # codes of HIGH_VALUE_CATEGORIES met, in that order


def high_value(
    *,
    kind: str,
    granted: bool,
    in_force: bool,
    filing_date: dt.date,
    on: dt.date,
    strategic_industry: bool = False,
    foreign_family: bool = False,
    award: str = "",
    pledge_secured: Decimal = ZERO,
    currency: str = "CNY",
    criteria: HighValueCriteria = HighValueCriteria(),
) -> HighValue:
    """Whether a patent is a high-value invention patent on `on`, and which categories it meets.

    Only a granted invention patent in force can qualify; for others the
    reasons are empty. "Maintained for more than N years" means `on` is after
    the Nth anniversary of filing. `pledge_secured` counts only in the
    threshold's currency.
    """
    if kind != "invention" or not granted or not in_force:
        return HighValue(is_high_value=False, reasons=())
    met = []
    if criteria.strategic_industry and strategic_industry:
        met.append("strategic_emerging_industry")
    if criteria.foreign_family and foreign_family:
        met.append("foreign_family")
    if criteria.maintained_years is not None and on > add_years(filing_date, criteria.maintained_years):
        met.append("maintained_long")
    if (criteria.pledge_threshold is not None and currency == criteria.pledge_currency
            and Decimal(pledge_secured) >= criteria.pledge_threshold):
        met.append("pledge_secured")
    if award and award in criteria.awards:
        met.append("national_award")
    return HighValue(is_high_value=bool(met), reasons=tuple(met))


# ---------------------------------------------------------------- lending policy


def _default_liquidation_discount_by_kind() -> Mapping[str, Decimal]:
    return MappingProxyType({
        "invention": Decimal("0.30"), "utility_model": Decimal("0.40"), "design": Decimal("0.50"),
    })


def _default_ltv_by_kind() -> Mapping[str, Decimal]:
    return MappingProxyType({
        "invention": Decimal("0.40"), "utility_model": Decimal("0.25"), "design": Decimal("0.15"),
    })


@dataclass(frozen=True)
class LendingPolicy:
    """A bank's lending policy (DOMAIN.md §5); every field is a setting, these are the defaults."""

    ltv_by_kind: Mapping[str, Decimal] = field(default_factory=_default_ltv_by_kind)
    high_score: Decimal = Decimal("80")  # score >= this adds high_score_bonus
    high_score_bonus: Decimal = Decimal("0.10")
    low_score: Decimal = Decimal("50")  # score < this takes low_score_penalty off
    low_score_penalty: Decimal = Decimal("0.10")
    high_value_bonus: Decimal = Decimal("0.05")
    ltv_floor: Decimal = Decimal("0")
    ltv_ceiling: Decimal = Decimal("0.60")
    protection_margin_months: int = 12  # remaining protection must outlast the loan by this
    valuation_validity_months: int = 12
    value_type: str = "market"  # market | liquidation: what `value` (and so LTV and the cap) rests on
    liquidation_discount_by_kind: Mapping[str, Decimal] = field(default_factory=_default_liquidation_discount_by_kind)


@dataclass(frozen=True)
class LtvAdjustment:
    reason: str  # high_quality | low_quality | high_value | ceiling | floor | not_in_force
    points: Decimal  # percentage points: Decimal("10") adds 10% to the LTV


@dataclass(frozen=True)
class LtvBreakdown:
    """How one patent's LTV was reached, as the valuation report prints it."""

    base: Decimal
    adjustments: tuple[LtvAdjustment, ...]
    ltv: Decimal


@_exact
def ltv_breakdown(
    *, kind: str, quality_score: Decimal, high_value: bool, policy: LendingPolicy = LendingPolicy()
) -> LtvBreakdown:
    """Loan-to-value for one patent: the kind's base, adjusted for quality and high value, within the bounds."""
    try:
        base = Decimal(policy.ltv_by_kind[kind])
    except KeyError:
        raise ValuationInputError("kind", f"no loan-to-value for a {kind!r} patent") from None
    changes = []
    if quality_score >= policy.high_score:
        changes.append(("high_quality", policy.high_score_bonus))
    elif quality_score < policy.low_score:
        changes.append(("low_quality", -policy.low_score_penalty))
    if high_value:
        changes.append(("high_value", policy.high_value_bonus))
    adjusted = base + sum((change for _, change in changes), ZERO)
    bounded = min(max(adjusted, policy.ltv_floor), policy.ltv_ceiling)
    if bounded != adjusted:
        changes.append(("ceiling" if bounded < adjusted else "floor", bounded - adjusted))
    return LtvBreakdown(
        base=_ratio(base),
        adjustments=tuple(LtvAdjustment(reason=r, points=_ratio(c * HUNDRED)) for r, c in changes),
        ltv=_ratio(bounded),
    )


def ltv_for(*, kind: str, quality_score: Decimal, high_value: bool, policy: LendingPolicy = LendingPolicy()) -> Decimal:
    """Loan-to-value for one patent (see `ltv_breakdown` for how it is reached)."""
    return ltv_breakdown(kind=kind, quality_score=quality_score, high_value=high_value, policy=policy).ltv


@dataclass(frozen=True)
class CapLine:
    """One pledged patent's part of the loan cap."""

    number: str
    value: Decimal
    ltv: Decimal
    max_loan: Decimal  # value × ltv, rounded down to the cent


@dataclass(frozen=True)
class LoanCap:
    cap: Decimal
    total_value: Decimal
    lines: tuple[CapLine, ...]


@_exact
def max_loan(*, value: Decimal, ltv: Decimal) -> Decimal:
    """What one patent can secure: value × LTV, rounded down to the cent."""
    return (Decimal(value) * Decimal(ltv)).quantize(CENT, rounding=ROUND_DOWN)


@_exact
def loan_cap(lines: Iterable[tuple[str, Decimal, Decimal]]) -> LoanCap:
    """Σ value × LTV over the pledged patents; `lines` holds (number, value, ltv)."""
    cap_lines = tuple(
        CapLine(number=number, value=Decimal(value), ltv=Decimal(ltv), max_loan=max_loan(value=value, ltv=ltv))
        for number, value, ltv in lines
    )
    return LoanCap(
        cap=sum((line.max_loan for line in cap_lines), ZERO),
        total_value=sum((line.value for line in cap_lines), ZERO),
        lines=cap_lines,
    )


@dataclass(frozen=True)
class ProtectionCheck:
    ok: bool
    loan_ends_on: dt.date
    protection_needed_until: dt.date  # the last day the patent must still be in force
    expiry: dt.date


def protection_check(
    *, expiry: dt.date, on: dt.date, term_months: int, policy: LendingPolicy = LendingPolicy()
) -> ProtectionCheck:
    """Whether the patent stays in force for the loan's term plus the policy margin, counted from `on`.

    A loan starting on `on` for N months ends on the day before `on` + N
    months; protection is needed through the day before `on` + N + margin months.
    """
    if term_months < 1:
        raise ValuationInputError("term_months", "must be at least 1")
    loan_ends_on = loan_end(start=on, term_months=term_months)
    needed_until = protection_needed_until(
        start=on, term_months=term_months, margin_months=policy.protection_margin_months
    )
    return ProtectionCheck(ok=expiry >= needed_until, loan_ends_on=loan_ends_on,
                           protection_needed_until=needed_until, expiry=expiry)


def valuation_valid_until(valuation_date: dt.date, policy: LendingPolicy = LendingPolicy()) -> dt.date:
    """The last day a valuation may be relied on: the day before its date + the validity months."""
    return add_months(valuation_date, policy.valuation_validity_months) - dt.timedelta(days=1)


# ---------------------------------------------------------------- value type and sensitivity


@dataclass(frozen=True)
class StatedValue:
    """The value a valuation states, of its type: the market value, or that less the liquidation discount."""

    value_type: str  # market | liquidation
    value: Decimal  # of the stated type
    market_value: Decimal  # what the approaches reconcile to
    liquidation_discount: Decimal | None  # the fraction taken off, 4 dp; None for a market value
    discount_amount: Decimal | None  # market value − value; None for a market value


@_exact
def stated_value(*, market_value: Decimal, kind: str, policy: LendingPolicy = LendingPolicy()) -> StatedValue:
    """The market value as it is, or the liquidation value: market value × (1 − the kind's discount), to the cent."""
    if policy.value_type not in VALUE_TYPES:
        raise ValuationInputError("value_type", f"must be one of {', '.join(VALUE_TYPES)}, got {policy.value_type!r}")
    market = Decimal(market_value)
    if policy.value_type == "market":
        return StatedValue(value_type="market", value=market, market_value=market,
                           liquidation_discount=None, discount_amount=None)
    try:
        raw = policy.liquidation_discount_by_kind[kind]
    except KeyError:
        raise ValuationInputError("kind", f"no liquidation discount for a {kind!r} patent") from None
    discount = _in_range(raw, "liquidation_discount", ZERO, ONE, high_open=True)
    value = _money(market * (ONE - discount))
    return StatedValue(value_type="liquidation", value=value, market_value=market,
                       liquidation_discount=_ratio(discount), discount_amount=market - value)


@dataclass(frozen=True)
class SensitivityCell:
    """The income value and the stated value with the discount and royalty rates moved, all else held."""

    discount_rate_shift: Decimal  # added to the discount rate: -0.02, 0, 0.02
    royalty_rate_scale: Decimal  # the royalty rate times (1 + this): -0.20, 0, 0.20
    discount_rate: Decimal  # the rate used (never below 0 nor above 1), 4 dp
    royalty_rate: Decimal  # the rate used (never above 1), 4 dp
    income_value: Decimal
    value: Decimal  # reconciled with the other approaches unchanged, then of the stated type


def _bounded(rate: Decimal) -> Decimal:
    return min(max(rate, ZERO), ONE)


@_exact
def sensitivity(
    *,
    income: Mapping,
    valuation_date: dt.date,
    expiry: dt.date,
    other_values: Mapping[str, Decimal],
    weights: Mapping | None,
    kind: str,
    policy: LendingPolicy = LendingPolicy(),
) -> tuple[SensitivityCell, ...]:
    """The 3 × 3 grid of DOMAIN.md §4: each cell runs the income approach's formula, `reconcile` and `stated_value` again.

    Rows run over the discount rate shifts, columns over the royalty rate
    scales; the middle cell is the valuation itself. A shifted rate that
    would leave [0, 1] is held at the bound, and the cell says the rate used.
    """
    royalty = _in_range(income.get("royalty_rate"), "income.royalty_rate", ZERO, ONE)
    tax = _in_range(income.get("tax_rate"), "income.tax_rate", ZERO, ONE, high_open=True)
    discount = _in_range(income.get("discount_rate"), "income.discount_rate", ZERO, ONE)
    # The years and their protected fractions do not move with the rates: laid out once, priced nine times.
    years = _forecast_years(income.get("revenue_forecast") or [], valuation_date, expiry)
    cells = []
    for shift in SENSITIVITY_DISCOUNT_SHIFTS:
        for scale in SENSITIVITY_ROYALTY_SCALES:
            discount_used = _bounded(discount + shift)
            royalty_used = _bounded(royalty * (ONE + scale))
            income_result = _relief_from_royalty(
                years, royalty_rate=royalty_used, tax_rate=tax, discount_rate=discount_used)
            reconciled = reconcile(values={**other_values, "income": income_result.value}, weights=weights)
            cells.append(SensitivityCell(
                discount_rate_shift=shift,
                royalty_rate_scale=scale,
                discount_rate=_ratio(discount_used),
                royalty_rate=_ratio(royalty_used),
                income_value=income_result.value,
                value=stated_value(market_value=reconciled.value, kind=kind, policy=policy).value,
            ))
    return tuple(cells)


# ---------------------------------------------------------------- one patent, every approach


@dataclass(frozen=True)
class PatentValuationResult:
    patent: PatentFacts
    currency: str
    valuation_date: dt.date
    expiry: dt.date
    remaining_term_years: Decimal
    income: IncomeValuation | None
    cost: CostValuation | None
    market: MarketValuation | None
    reconciliation: Reconciliation
    quality: QualityScore
    high_value: HighValue
    ltv_breakdown: LtvBreakdown
    max_loan: Decimal
    valid_until: dt.date
    stated: StatedValue
    sensitivity: tuple[SensitivityCell, ...] | None = None  # None without the income approach

    @property
    def ltv(self) -> Decimal:
        return self.ltv_breakdown.ltv

    @property
    def number(self) -> str:
        return self.patent.number

    @property
    def value(self) -> Decimal:
        """The value of the stated type (`value_type`), on which LTV and the maximum loan rest."""
        return self.stated.value

    @property
    def value_type(self) -> str:
        return self.stated.value_type

    @property
    def liquidation(self) -> StatedValue | None:
        """The market value and the discount taken, for a liquidation value; None for a market value."""
        return self.stated if self.stated.value_type == "liquidation" else None


def patent_valuation(
    *,
    patent: PatentFacts,
    valuation_date: dt.date,
    income: Mapping | None = None,
    cost: Mapping | None = None,
    market: Mapping | None = None,
    quality: Mapping | None = None,
    weights: Mapping | None = None,
    quality_weights: Mapping | None = None,
    pledge_secured: Decimal = ZERO,
    currency: str = "CNY",
    policy: LendingPolicy = LendingPolicy(),
    criteria: HighValueCriteria = HighValueCriteria(),
) -> PatentValuationResult:
    """Value one patent by the approaches given, reconcile them, score it and apply the lending policy.

    `income` = {revenue_forecast, royalty_rate, tax_rate, discount_rate};
    `cost` = {replacement_cost}; `market` = {comparables: [{price,
    quality_score}]}; `quality` = {legal|technical|economic: {indicator: 1-5}}.
    The value stated is of `policy.value_type` (see `stated_value`), and the
    maximum loan rests on it; with the income approach the result carries
    the sensitivity grid (see `sensitivity`).
    """
    if income is None and cost is None and market is None:
        raise ValuationInputError("approaches", "give at least one of income, cost, market")
    if valuation_date < patent.filing_date:
        raise ValuationInputError("valuation_date", "is before the patent's filing date")
    expiry = patent.expiry_date
    score = quality_score(ratings=quality, weights=quality_weights)
    income_result = cost_result = market_result = None
    values = {}
    if income is not None:
        income_result = income_value(
            revenue_forecast=income.get("revenue_forecast") or [],
            royalty_rate=income.get("royalty_rate"),
            tax_rate=income.get("tax_rate"),
            discount_rate=income.get("discount_rate"),
            valuation_date=valuation_date,
            expiry=expiry,
        )
        values["income"] = income_result.value
    if cost is not None:
        cost_result = cost_value(
            replacement_cost=cost.get("replacement_cost"), filing_date=patent.filing_date,
            expiry=expiry, valuation_date=valuation_date,
        )
        values["cost"] = cost_result.value
    if market is not None:
        market_result = market_value(comparables=market.get("comparables") or [], quality_score=score.score)
        values["market"] = market_result.value
    reconciliation = reconcile(values=values, weights=weights)
    stated = stated_value(market_value=reconciliation.value, kind=patent.kind, policy=policy)
    grid = None
    if income is not None:
        grid = sensitivity(
            income=income, valuation_date=valuation_date, expiry=expiry,
            other_values={name: v for name, v in values.items() if name != "income"},
            weights=weights, kind=patent.kind, policy=policy,
        )
    in_force = patent.in_force and valuation_date <= expiry
    high = high_value(
        kind=patent.kind, granted=patent.granted, in_force=in_force, filing_date=patent.filing_date,
        on=valuation_date, strategic_industry=patent.strategic_industry,
        foreign_family=patent.foreign_family, award=patent.award,
        pledge_secured=pledge_secured, currency=currency, criteria=criteria,
    )
    breakdown = ltv_breakdown(kind=patent.kind, quality_score=score.score, high_value=high.is_high_value, policy=policy)
    if not (patent.granted and in_force):
        # A patent not in force on the valuation date (or not granted) can be
        # valued, but secures nothing: registration would refuse it.
        breakdown = LtvBreakdown(base=breakdown.base, adjustments=breakdown.adjustments + (
            LtvAdjustment(reason="not_in_force", points=-breakdown.ltv * HUNDRED),), ltv=ZERO.quantize(RATIO))
    return PatentValuationResult(
        patent=patent,
        currency=currency,
        valuation_date=valuation_date,
        expiry=expiry,
        remaining_term_years=remaining_term_years(expiry=expiry, valuation_date=valuation_date),
        income=income_result,
        cost=cost_result,
        market=market_result,
        reconciliation=reconciliation,
        quality=score,
        high_value=high,
        ltv_breakdown=breakdown,
        max_loan=max_loan(value=stated.value, ltv=breakdown.ltv),
        valid_until=valuation_valid_until(valuation_date, policy),
        stated=stated,
        sensitivity=grid,
    )
