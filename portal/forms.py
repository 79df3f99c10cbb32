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
    "patents": _("Valuation per patent (JSON)"),
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
        if typed is not None:
            item.values = [v for v in typed.getlist(key)]
            item.value = typed.get(key, "")
        if widget == "list":
            item.values = (item.values + [""] * LIST_INPUTS)[: max(LIST_INPUTS, len(item.values))]
        rendered.append(item)
    return rendered


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
