"""Valuation over the API: the appraiser's complete_valuation payload, the quote request, and how results look."""
from __future__ import annotations

from decimal import Decimal

from django.utils import timezone
from rest_framework import serializers

from core.fields import A_YEAR, BusinessDateField, ReadableFieldsOnce, RefuseUnknownFields

from patents import rules
from patents.models import Patent
from patents.numbers import PatentNumberError, parse_patent_number
from valuation.calculations import APPROACHES, QUALITY_INDICATORS, VALUE_TYPES
from valuation.workings import stored_value_type, workings_of

MAX_FORECAST_YEARS = 50
# A market approach is a handful of deals; 50 is generous, and 50,000 took a worker 7 s.
MAX_COMPARABLES = 50
# As many patents as one application may pledge (financing.inputs).
MAX_PATENTS = 50
MONEY = {"max_digits": 18, "decimal_places": 2}
RATE = {"max_digits": 9, "decimal_places": 6}


# ---------------------------------------------------------------- what the appraiser enters


class IncomeInputSerializer(RefuseUnknownFields, serializers.Serializer):
    revenue_forecast = serializers.ListField(
        child=serializers.DecimalField(**MONEY, min_value=Decimal("0")),
        min_length=1, max_length=MAX_FORECAST_YEARS,
        help_text="Revenue of the products using the patent in years 1, 2, ... after the valuation date",
    )
    royalty_rate = serializers.DecimalField(**RATE, min_value=Decimal("0"), max_value=Decimal("1"),
                                            help_text="A fraction: 0.05 is 5%")
    tax_rate = serializers.DecimalField(**RATE, min_value=Decimal("0"), max_value=Decimal("0.999999"))
    discount_rate = serializers.DecimalField(**RATE, min_value=Decimal("0"), max_value=Decimal("1"))


class CostInputSerializer(RefuseUnknownFields, serializers.Serializer):
    replacement_cost = serializers.DecimalField(**MONEY, min_value=Decimal("0"))


class ComparableInputSerializer(RefuseUnknownFields, serializers.Serializer):
    price = serializers.DecimalField(**MONEY, min_value=Decimal("0"))
    quality_score = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=Decimal("0.01"),
                                             max_value=Decimal("100"), help_text="The comparable's quality score, 0-100")


class MarketInputSerializer(RefuseUnknownFields, serializers.Serializer):
    comparables = ComparableInputSerializer(many=True, allow_empty=False, max_length=MAX_COMPARABLES)


def _indicator_ratings(dimension: str) -> serializers.DictField:
    return serializers.DictField(
        child=serializers.DecimalField(max_digits=3, decimal_places=2, min_value=Decimal("1"), max_value=Decimal("5")),
        required=False, help_text=f"{dimension} indicators rated 1-5: {', '.join(QUALITY_INDICATORS[dimension])}",
    )


class QualityInputSerializer(RefuseUnknownFields, serializers.Serializer):
    legal = _indicator_ratings("legal")
    technical = _indicator_ratings("technical")
    economic = _indicator_ratings("economic")

    def validate(self, attrs):
        errors = {}
        for dimension, ratings in attrs.items():
            unknown = sorted(set(ratings) - set(QUALITY_INDICATORS[dimension]))
            if unknown:
                errors[dimension] = {
                    name: [f"is not a {dimension} indicator; expected one of {', '.join(QUALITY_INDICATORS[dimension])}"]
                    for name in unknown
                }
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class ApproachesInputSerializer(RefuseUnknownFields, serializers.Serializer):
    """The approaches for one patent (DOMAIN.md §4): at least one of income, cost, market; weights optional."""

    income = IncomeInputSerializer(required=False)
    cost = CostInputSerializer(required=False)
    market = MarketInputSerializer(required=False)
    quality = QualityInputSerializer(required=False)
    weights = serializers.DictField(
        child=serializers.DecimalField(**RATE, min_value=Decimal("0"), max_value=Decimal("1")), required=False,
        help_text="Weight of each approach given, summing to 1; by default the approaches given share equally",
    )

    def validate(self, attrs):
        given = [name for name in APPROACHES if name in attrs]
        if not given:
            raise serializers.ValidationError({"income": ["give at least one of income, cost, market"]})
        weights = attrs.get("weights")
        if weights is not None:
            strangers = [name for name in weights if name not in given]
            if strangers:
                raise serializers.ValidationError({"weights": {
                    name: [f"weights an approach that was not given (given: {', '.join(given)})"] for name in strangers
                }})
            total = sum(weights.values(), Decimal("0"))
            if total != 1:
                raise serializers.ValidationError({"weights": [f"must sum to 1; they sum to {total}"]})
        return attrs


class PatentValuationInputSerializer(ApproachesInputSerializer):
    number = serializers.CharField(max_length=40)

    def validate_number(self, value):
        try:
            return parse_patent_number(value).normalised
        except PatentNumberError as error:
            raise serializers.ValidationError(error.message) from None


def _not_in_future(value):
    if value > timezone.localdate():
        raise serializers.ValidationError("may not be in the future")
    return value


class CompleteValuationSerializer(RefuseUnknownFields, serializers.Serializer):
    """The complete_valuation payload (WORKFLOW.md): one entry per pledged patent.

    Whether the entries match the application's pledged patents, and whether
    the valuation is still within its validity, is checked by the service,
    which knows the application and the policy.
    """

    valuation_date = BusinessDateField(validators=[_not_in_future])
    patents = PatentValuationInputSerializer(many=True, allow_empty=False, max_length=MAX_PATENTS)

    def validate_patents(self, entries):
        numbers = [entry["number"] for entry in entries]
        repeated = sorted({n for n in numbers if numbers.count(n) > 1})
        if repeated:
            raise serializers.ValidationError(f"each patent is valued once; repeated: {', '.join(repeated)}")
        return entries


# ---------------------------------------------------------------- the quote request


class QuotePatentSerializer(RefuseUnknownFields, serializers.Serializer):
    """The patent a quote values, described by the caller and judged by the register's own rules (patents.rules)."""

    number = serializers.CharField(max_length=40)
    kind = serializers.ChoiceField(choices=Patent.Kind.choices, required=False,
                                   help_text="Read from the number when left out")
    filing_date = serializers.DateField()
    grant_date = serializers.DateField(
        required=False, allow_null=True,
        help_text="Required for a granted US design, whose term runs from grant; otherwise it does not change the term",
    )
    granted = serializers.BooleanField(required=False, help_text="True when left out, or when a grant date is given")
    term_adjustment_days = serializers.IntegerField(
        min_value=0, default=0,
        help_text="US utility patent term adjustment or Chinese invention term compensation (Patent Law art. 42)",
    )
    strategic_industry = serializers.BooleanField(default=False)
    foreign_family = serializers.BooleanField(default=False)
    award = serializers.ChoiceField(choices=Patent.Award.choices, default="", allow_blank=True)

    def validate(self, attrs):
        check = rules.check_patent(attrs, today=timezone.localdate())
        if not check.ok:
            raise serializers.ValidationError(check.problems)
        attrs = check.values
        grant_date = attrs.get("grant_date")
        granted = attrs.setdefault("granted", True)
        if grant_date is not None and not granted:
            raise serializers.ValidationError({"granted": ["a patent with a grant date is granted"]})
        if granted and grant_date is None and (attrs["jurisdiction"], attrs["kind"]) == ("US", "design"):
            # Counted from filing, the term would come out short by the whole pendency and the value with it;
            # an appraiser would rather be asked for the date than quoted a silently shorter term.
            raise serializers.ValidationError(
                {"grant_date": ["a granted US design patent runs 15 years from its grant date: give the grant date"]}
            )
        return attrs


class QuoteRequestSerializer(ApproachesInputSerializer):
    patent = QuotePatentSerializer()
    valuation_date = BusinessDateField(ahead=A_YEAR, required=False, help_text="Today when left out; at most a year ahead")
    currency = serializers.ChoiceField(choices=("CNY", "USD", "EUR", "HKD"), default="CNY")
    pledge_amount = serializers.DecimalField(
        **MONEY, min_value=Decimal("0"), required=False,
        help_text="The largest pledge the patent has already secured, for the high-value category",
    )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        valuation_date = attrs.setdefault("valuation_date", timezone.localdate())
        if valuation_date < attrs["patent"]["filing_date"]:
            raise serializers.ValidationError({"valuation_date": ["is before the patent's filing date"]})
        return attrs


# ---------------------------------------------------------------- how a computed valuation looks


def _money(**kwargs):
    return serializers.DecimalField(max_digits=None, decimal_places=2, read_only=True, **kwargs)


def _ratio(**kwargs):
    return serializers.DecimalField(max_digits=None, decimal_places=4, read_only=True, **kwargs)


class CashFlowYearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    revenue = _money()
    protected_fraction = _ratio()
    royalty = _money()
    after_tax = _money()
    discount_factor = serializers.DecimalField(max_digits=None, decimal_places=6, read_only=True)
    present_value = _money()


class ComparableSerializer(serializers.Serializer):
    price = _money()
    quality_score = _money()
    adjusted_price = _money()


class CostWorkingsSerializer(serializers.Serializer):
    value = _money()
    remaining_life_years = _ratio()
    total_life_years = _ratio()
    life_ratio = _ratio()


class QualityResultSerializer(serializers.Serializer):
    score = _money()
    dimensions = serializers.DictField(child=serializers.DecimalField(max_digits=None, decimal_places=2))
    weights = serializers.DictField(child=serializers.DecimalField(max_digits=None, decimal_places=4))
    defaulted = serializers.ListField(child=serializers.CharField(),
                                      help_text="Indicators not rated, counted as 3 (neutral)")


class LtvAdjustmentSerializer(serializers.Serializer):
    reason = serializers.CharField()
    points = _ratio(help_text="Percentage points added to (or, negative, taken off) the LTV")


class LiquidationSerializer(serializers.Serializer):
    market_value = _money(help_text="What the approaches reconcile to, before the liquidation discount")
    discount = _ratio(source="liquidation_discount", help_text="The patent kind's forced-sale discount, a fraction")
    discount_amount = _money(help_text="market_value − value")


class SensitivityCellSerializer(serializers.Serializer):
    discount_rate_shift = _ratio(help_text="Added to the discount rate: -0.0200, 0.0000 or 0.0200")
    royalty_rate_scale = _ratio(help_text="The royalty rate times (1 + this): -0.2000, 0.0000 or 0.2000")
    discount_rate = _ratio(help_text="The discount rate used (held within 0-1)")
    royalty_rate = _ratio(help_text="The royalty rate used (held within 0-1)")
    income_value = _money()
    value = _money(help_text="The value of the stated type, the other approaches unchanged")


class PatentValuationResultSerializer(serializers.Serializer):
    """Renders a calculations.PatentValuationResult: every figure a Decimal string."""

    number = serializers.CharField()
    jurisdiction = serializers.CharField(source="patent.jurisdiction")
    kind = serializers.CharField(source="patent.kind")
    currency = serializers.CharField()
    valuation_date = serializers.DateField()
    valid_until = serializers.DateField()
    expiry_date = serializers.DateField(source="expiry")
    remaining_term_years = _ratio()
    income_value = _money(source="income.value", allow_null=True)
    cost_value = _money(source="cost.value", allow_null=True)
    market_value = _money(source="market.value", allow_null=True)
    weights = serializers.DictField(source="reconciliation.weights",
                                    child=serializers.DecimalField(max_digits=None, decimal_places=4))
    value = _money(help_text="The value of the stated type (value_type); LTV and max_loan apply to it")
    value_type = serializers.ChoiceField(choices=VALUE_TYPES, read_only=True,
                                         help_text="market, or liquidation (a bank setting)")
    liquidation = LiquidationSerializer(allow_null=True,
                                        help_text="For a liquidation value: the market value and the discount taken")
    quality_score = _money(source="quality.score")
    quality = QualityResultSerializer()
    high_value = serializers.BooleanField(source="high_value.is_high_value")
    high_value_categories = serializers.SerializerMethodField()
    ltv_base = _ratio(source="ltv_breakdown.base")
    ltv_adjustments = LtvAdjustmentSerializer(source="ltv_breakdown.adjustments", many=True)
    ltv = _ratio()
    max_loan = _money()
    cash_flows = CashFlowYearSerializer(source="income.cash_flows", many=True, allow_null=True)
    cost = CostWorkingsSerializer(allow_null=True)
    sensitivity = SensitivityCellSerializer(
        many=True, allow_null=True,
        help_text="With the income approach: the 3 × 3 grid of discount rate ±2 points × royalty rate ±20%",
    )
    comparables = ComparableSerializer(source="market.comparables", many=True, allow_null=True)

    def get_high_value_categories(self, result) -> list[dict]:
        return workings_of(result)["high_value_categories"]

    def to_representation(self, instance):
        # One rendering for the API and the stored workings (valuation.workings); the fields above
        # declare its shape for the schema, and a test holds the two equal.
        return workings_of(instance)


# ---------------------------------------------------------------- stored valuations


class PatentValuationSerializer(ReadableFieldsOnce, serializers.Serializer):
    number = serializers.CharField(source="patent.number")
    value = _money()
    income_value = _money(allow_null=True)
    cost_value = _money(allow_null=True)
    market_value = _money(allow_null=True)
    remaining_term_years = _ratio()
    expiry_date = serializers.DateField()
    quality_score = _money()
    high_value = serializers.BooleanField()
    high_value_categories = serializers.ListField(child=serializers.CharField())
    ltv = _ratio()
    max_loan = _money()
    value_type = serializers.SerializerMethodField(help_text="market or liquidation: what `value` is")
    liquidation = serializers.SerializerMethodField(
        help_text="For a liquidation value: the market value and the discount taken, as in the quote")
    sensitivity = serializers.SerializerMethodField(
        help_text="With the income approach: discount rate ±2 points × royalty rate ±20%, as in the quote")
    workings = serializers.JSONField(help_text="The full computation, shaped as the quote endpoint's answer")

    def get_value_type(self, row) -> str:
        return stored_value_type(row.workings)

    def get_liquidation(self, row) -> dict | None:
        return (row.workings or {}).get("liquidation")

    def get_sensitivity(self, row) -> list[dict] | None:
        return (row.workings or {}).get("sensitivity")


class ValuationSerializer(ReadableFieldsOnce, serializers.Serializer):
    """The current valuation on an application's detail."""

    version = serializers.IntegerField()
    valuation_date = serializers.DateField()
    valid_until = serializers.DateField()
    appraiser = serializers.CharField(source="appraiser.username")
    currency = serializers.CharField()
    value_type = serializers.SerializerMethodField(help_text="market or liquidation: what the values are")
    total_value = _money()
    loan_cap = _money()
    note = serializers.CharField()
    created_at = serializers.DateTimeField()
    patents = PatentValuationSerializer(source="patent_valuations", many=True)

    def get_value_type(self, valuation) -> str:
        return stored_value_type(valuation.policy)
