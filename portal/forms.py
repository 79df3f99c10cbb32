"""The transition forms of the application page, read from the API's own payload serializers.

A form's inputs are named as its transition's payload keys (WORKFLOW.md "Web pages"); what each
input accepts is decided by `financing.inputs`, never here, so the page has no rule of its own.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.errors import ValidationFailed, first_error_message
from financing import inputs

TRANSITION_LABELS = {
    "submit": _("Submit"),
    "complete_valuation": _("Complete the valuation"),
    "start_review": _("Start the review"),
    "return_to_applicant": _("Return to the applicant"),
    "request_revaluation": _("Request a revaluation"),
    "recommend": _("Recommend terms"),
    "send_back": _("Send back"),
    "approve": _("Approve"),
    "reject": _("Reject"),
    "sign_contracts": _("Sign the contracts"),
    "sign_filing": _("Sign the filing"),
    "file_registration": _("File for registration"),
    "request_correction": _("Request a correction"),
    "register": _("Register"),
    "refuse_registration": _("Refuse registration"),
    "record_change": _("Record a change"),
    "disburse": _("Disburse"),
    "apply_cancellation": _("Apply for cancellation"),
    "release": _("Release"),
    "declare_default": _("Declare default"),
    "dispose": _("Dispose"),
    "withdraw": _("Withdraw"),
}

STATE_LABELS = {
    "draft": _("Draft"),
    "submitted": _("Submitted"),
    "valued": _("Valued"),
    "under_review": _("Under review"),
    "recommended": _("Recommended"),
    "approved": _("Approved"),
    "rejected": _("Rejected"),
    "contracted": _("Contracted"),
    "registration_filed": _("Registration filed"),
    "registered": _("Registered"),
    "registration_refused": _("Registration refused"),
    "correction_requested": _("Correction requested"),
    "disbursed": _("Disbursed"),
    "cancellation_applied": _("Cancellation applied"),
    "released": _("Released"),
    "defaulted": _("Defaulted"),
    "disposed": _("Disposed"),
    "withdrawn": _("Withdrawn"),
}

FIELD_LABELS = {
    "note": _("Note"),
    "valuation_date": _("Valuation date"),
    "patents": _("Valuation per patent"),
    "amount": _("Amount"),
    "annual_rate": _("Annual interest rate (a fraction: 0.0435 is 4.35%)"),
    "term_months": _("Term (months)"),
    "reasons": _("Reasons"),
    "signed_on": _("Signed on"),
    "acknowledged": _("Acknowledged"),
    "ucc1_state": _("UCC-1 state"),
    "ucc1_file_number": _("UCC-1 file number"),
    "grounds": _("Grounds"),
    "changes": _("Changes (JSON)"),
    "effective_on": _("Effective on"),
    "disbursed_on": _("Disbursed on"),
    "repaid_on": _("Repaid on"),
    "defects": _("Defects (JSON: a list of {\"item\", \"message\"})"),
    "ground": _("Ground"),
    "evidence": _("Evidence"),
    "reason": _("Reason"),
    "method": _("Method"),
    "proceeds": _("Proceeds"),
}

# How many inputs a free-text list (e.g. `reasons`) offers; blank ones are not sent.
LIST_INPUTS = 3


@dataclass
class Input:
    """One payload key of a transition form, as the page renders it."""

    name: str
    label: str
    widget: str  # text, number, date, textarea, json, select, checkboxes, list
    required: bool
    choices: list[str] = field(default_factory=list)
    value: object = ""
    values: list[str] = field(default_factory=list)
    error: str = ""
    choice_labels: dict = field(default_factory=dict)

    @property
    def labelled_choices(self) -> list[tuple[str, str]]:
        """(value, what the person reads) for each choice: a refusal ground's title, else the value itself."""
        return [(choice, self.choice_labels.get(choice, choice)) for choice in self.choices]


def _widget(serializer_field) -> tuple[str, list[str]]:
    if isinstance(serializer_field, serializers.ListField):
        child = serializer_field.child
        if isinstance(child, serializers.ChoiceField):
            return "checkboxes", [str(c) for c in child.choices]
        if isinstance(child, (serializers.Serializer, serializers.DictField)):
            return "json", []
        return "list", []
    if isinstance(serializer_field, (serializers.ListSerializer, serializers.Serializer, serializers.DictField,
                                     serializers.JSONField)):
        return "json", []
    if isinstance(serializer_field, serializers.ChoiceField):
        return "select", [str(c) for c in serializer_field.choices]
    if isinstance(serializer_field, serializers.DateField):
        return "date", []
    if isinstance(serializer_field, (serializers.DecimalField, serializers.IntegerField)):
        return "number", []
    if serializer_field.field_name == "note" or isinstance(serializer_field, serializers.CharField) and (
        serializer_field.max_length or 0
    ) > 1000:
        return "textarea", []
    return "text", []


def payload_fields(name: str) -> dict:
    """The payload keys of transition `name`, from the API's input serializer."""
    return dict(inputs.TRANSITION_INPUTS[name]().fields)


def transition_inputs(name: str, *, typed=None, errors: dict | None = None) -> list[Input]:
    """The inputs of transition `name`'s form; `typed` (a QueryDict) refills what the user typed."""
    errors = errors or {}
    rendered = []
    for key, serializer_field in payload_fields(name).items():
        widget, choices = _widget(serializer_field)
        item = Input(
            name=key,
            label=FIELD_LABELS.get(key, serializer_field.label or key),
            widget=widget,
            required=serializer_field.required,
            choices=choices,
            error=first_message(errors.get(key)),
        )
        if key == "grounds":
            item.choice_labels = ground_titles()
        if typed is not None:
            item.values = [v for v in typed.getlist(key)]
            item.value = typed.get(key, "")
        if widget == "list":
            item.values = (item.values + [""] * LIST_INPUTS)[: max(LIST_INPUTS, len(item.values))]
        rendered.append(item)
    return rendered


def ground_titles() -> dict[str, str]:
    """Each refusal ground's title in the page's language, for checkboxes a registrar reads."""
    from django.utils.translation import get_language

    from registration.recordation import NON_RECORDATION_TITLES
    from registration.refusals import GROUND_TITLES

    chinese = (get_language() or "").startswith("zh")
    # A US filing's notice of non-recordation codes after the Chinese grounds; OTHER is shared.
    titles = {**NON_RECORDATION_TITLES, **GROUND_TITLES}
    return {code: f"{pair[1] if chinese else pair[0]} ({code})" for code, pair in titles.items()}


def first_message(detail) -> str:
    if not detail:
        return ""
    return first_error_message(detail)


def payload_from_post(name: str, post) -> dict:
    """The payload as the API would receive it: lists from repeated inputs, blanks left out, JSON text as sent."""
    payload: dict = {}
    for key, serializer_field in payload_fields(name).items():
        widget, _choices = _widget(serializer_field)
        if widget in ("list", "checkboxes"):
            if key in post:
                payload[key] = [v for v in post.getlist(key) if v.strip()]
            elif widget == "checkboxes":
                payload[key] = []
            continue
        if name == "complete_valuation" and key == "patents":
            if key in post:
                payload[key] = valuation_patents_from_post(post)
            continue
        value = post.get(key, "")
        if value.strip():
            payload[key] = value
    return payload


def validate_posted(name: str, payload: dict) -> dict:
    """`financing.inputs.transition_values`, after decoding the JSON text of nested keys."""
    decoded = dict(payload)
    for key, serializer_field in payload_fields(name).items():
        if _widget(serializer_field)[0] == "json" and isinstance(decoded.get(key), str):
            try:
                decoded[key] = json.loads(decoded[key])
            except ValueError as error:
                raise ValidationFailed(f"{key}: not valid JSON ({error})", details={key: [f"not valid JSON: {error}"]})
    return inputs.transition_values(name, decoded)


# The appraiser's per-patent valuation form. Its inputs: one hidden `patents` per pledged patent (the
# payload key, one input per item) holding the number, and beside it `<number>.<part>.<key>` for each
# part of that patent's entry. `valuation_patents_from_post` only reshapes them into the API's
# `patents` list; what is valid is decided by financing.inputs, as for the API.
FORECAST_YEARS = 10
COMPARABLE_ROWS = 3
INCOME_RATES = (("royalty_rate", _("Royalty rate")), ("tax_rate", _("Tax rate")), ("discount_rate", _("Discount rate")))
QUALITY_GROUP_LABELS = {"legal": _("Legal"), "technical": _("Technical"), "economic": _("Economic")}
# The indicators by name, as an appraiser reads them (DOMAIN.md §4); the codes are valuation.calculations'.
QUALITY_INDICATOR_LABELS = {
    "claim_stability": _("Claim stability"),
    "non_circumventability": _("Non-circumventability"),
    "infringement_detectability": _("Infringement detectability"),
    "remaining_term": _("Remaining term"),
    "family_coverage": _("Family coverage abroad"),
    "licensing_status": _("Licensing status"),
    "advancement": _("Advancement"),
    "maturity": _("Maturity"),
    "breadth_of_application": _("Breadth of application"),
    "substitutability": _("Substitutability"),
    "dependence": _("Dependence on other technology"),
    "market_size": _("Market size"),
    "market_share": _("Market share"),
    "competition": _("Competition"),
    "policy_fit": _("Policy fit"),
    "realisability": _("Realisability (sold or licensed on its own)"),
}
APPROACH_LABELS = {"income": _("Income approach"), "cost": _("Cost approach"), "market": _("Market approach")}


def _quality_indicators():
    from valuation.calculations import QUALITY_INDICATORS

    return QUALITY_INDICATORS


def valuation_form(numbers, typed=None) -> list[dict]:
    """What the per-patent form shows for each pledged patent; `typed` refills what was sent."""
    def got(key):
        return typed.get(key, "") if typed is not None else ""

    def got_list(key, size):
        values = typed.getlist(key) if typed is not None else []
        return (values + [""] * size)[:max(size, len(values))]

    patents = []
    for number in numbers:
        p = f"{number}."
        prices = got_list(p + "market.comparables.price", COMPARABLE_ROWS)
        scores = got_list(p + "market.comparables.quality_score", COMPARABLE_ROWS)
        patents.append({
            "number": number,
            "prefix": p,
            "forecast": [(i + 1, v) for i, v in enumerate(got_list(p + "income.revenue_forecast", FORECAST_YEARS))],
            "rates": [(key, label, got(p + "income." + key)) for key, label in INCOME_RATES],
            "replacement_cost": got(p + "cost.replacement_cost"),
            "comparables": [(i + 1, price, score) for i, (price, score) in enumerate(zip(prices, scores))],
            "quality": [
                (group, QUALITY_GROUP_LABELS[group],
                 [(name, QUALITY_INDICATOR_LABELS.get(name, name.replace("_", " ")), got(f"{p}quality.{group}.{name}"))
                  for name in names])
                for group, names in _quality_indicators().items()
            ],
            "weights": [(a, APPROACH_LABELS[a], got(p + "weights." + a)) for a in APPROACH_LABELS],
        })
    return patents


def valuation_patents_from_post(post):
    """The `patents` payload of complete_valuation from the per-patent form (JSON text, as the API takes, passes as is)."""
    numbers = [n.strip() for n in post.getlist("patents") if n.strip()]
    if len(numbers) == 1 and numbers[0][:1] in "[{":
        return numbers[0]
    entries = []
    for number in numbers:
        p = f"{number}."

        def one(key):
            return post.get(p + key, "").strip()

        entry: dict = {"number": number}
        income = {key: one("income." + key) for key, _label in INCOME_RATES if one("income." + key)}
        forecast = [v.strip() for v in post.getlist(p + "income.revenue_forecast") if v.strip()]
        if forecast:
            income["revenue_forecast"] = forecast
        if income:
            entry["income"] = income
        if one("cost.replacement_cost"):
            entry["cost"] = {"replacement_cost": one("cost.replacement_cost")}
        comparables = [
            {key: value for key, value in (("price", price.strip()), ("quality_score", score.strip())) if value}
            for price, score in zip(post.getlist(p + "market.comparables.price"),
                                    post.getlist(p + "market.comparables.quality_score"))
            if price.strip() or score.strip()
        ]
        if comparables:
            entry["market"] = {"comparables": comparables}
        quality = {}
        for group, names in _quality_indicators().items():
            rated = {name: one(f"quality.{group}.{name}") for name in names if one(f"quality.{group}.{name}")}
            if rated:
                quality[group] = rated
        if quality:
            entry["quality"] = quality
        weights = {a: one("weights." + a) for a in APPROACH_LABELS if one("weights." + a)}
        if weights:
            entry["weights"] = weights
        entries.append(entry)
    return entries
