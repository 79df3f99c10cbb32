"""What the programmes API accepts and answers: Decimals travel as strings, never floats."""
from __future__ import annotations

from decimal import Decimal

from rest_framework import serializers

from core.fields import LONGEST_TERM, BusinessDateField, RefuseUnknownFields
from programmes import selectors
from programmes.calculations import SHARE_PARTIES
from programmes.models import Claim, Enrolment, Kind, Programme, Repayment


def _money(**kwargs):
    return serializers.DecimalField(max_digits=16, decimal_places=2, **kwargs)


def _fraction(**kwargs):
    return serializers.DecimalField(max_digits=5, decimal_places=4, **kwargs)


class SharesInput(RefuseUnknownFields, serializers.Serializer):
    pool = _fraction(required=False, default=Decimal("0"))
    bank = _fraction(required=False, default=Decimal("0"))
    insurer = _fraction(required=False, default=Decimal("0"))
    appraiser = _fraction(required=False, default=Decimal("0"))
    guarantor = _fraction(required=False, default=Decimal("0"))


class ProgrammeInput(RefuseUnknownFields, serializers.Serializer):
    kind = serializers.ChoiceField(choices=Kind.choices)
    name = serializers.CharField(max_length=200)
    region = serializers.RegexField(r"^\d{6}$", error_messages={"invalid": "a 6-digit region code"})
    valid_from = BusinessDateField(ahead=LONGEST_TERM)
    valid_until = BusinessDateField(ahead=LONGEST_TERM)
    budget = _money()
    shares = SharesInput(required=False)
    cap_per_loan = _money(required=False, allow_null=True)
    share = _fraction(required=False, allow_null=True)
    rate_cap = serializers.DecimalField(max_digits=7, decimal_places=6, required=False, allow_null=True)


class EnrolmentInput(RefuseUnknownFields, serializers.Serializer):
    programme = serializers.IntegerField()
    ip_secured_amount = _money(required=False, allow_null=True)


class RepaymentInput(RefuseUnknownFields, serializers.Serializer):
    paid_on = BusinessDateField(ahead=LONGEST_TERM)
    principal = _money()
    interest = _money()


class ClaimInput(RefuseUnknownFields, serializers.Serializer):
    enrolment = serializers.IntegerField()
    appraisal_fee = _money(required=False, allow_null=True)


class DecisionInput(RefuseUnknownFields, serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)


class ProgrammeSerializer(serializers.ModelSerializer):
    office_name = serializers.CharField(source="office.name", read_only=True)
    shares = serializers.SerializerMethodField()
    committed = serializers.SerializerMethodField()
    paid = serializers.SerializerMethodField()
    available = serializers.SerializerMethodField()
    enrolments = serializers.SerializerMethodField()

    class Meta:
        model = Programme
        fields = ["id", "kind", "name", "region", "office", "office_name", "valid_from", "valid_until", "budget",
                  "shares", "cap_per_loan", "share", "rate_cap", "committed", "paid", "available", "enrolments",
                  "created_at"]
        read_only_fields = fields

    def _use(self, programme):
        cache = self.__dict__.setdefault("_budget_uses", {})
        if programme.pk not in cache:
            cache[programme.pk] = selectors.budget_use(programme)
        return cache[programme.pk]

    def get_shares(self, programme) -> dict | None:
        shares = programme.shares
        return None if shares is None else {party: str(Decimal(shares[party]).quantize(Decimal("0.0001")))
                                           for party in SHARE_PARTIES}

    def get_committed(self, programme) -> str:
        return str(self._use(programme).committed)

    def get_paid(self, programme) -> str:
        return str(self._use(programme).paid)

    def get_available(self, programme) -> str:
        return str(self._use(programme).available(programme.budget))

    def get_enrolments(self, programme) -> int:
        return len(programme.enrolments.all())


class EnrolmentSerializer(serializers.ModelSerializer):
    programme_name = serializers.CharField(source="programme.name", read_only=True)
    programme_kind = serializers.CharField(source="programme.kind", read_only=True)
    reference = serializers.CharField(source="application.reference", read_only=True)

    class Meta:
        model = Enrolment
        fields = ["id", "programme", "programme_name", "programme_kind", "application", "reference",
                  "ip_secured_amount", "exposure", "enrolled_at"]
        read_only_fields = fields


class RepaymentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Repayment
        fields = ["id", "application", "paid_on", "principal", "interest", "recorded_at"]
        read_only_fields = fields


class ClaimSerializer(serializers.ModelSerializer):
    programme = serializers.IntegerField(source="enrolment.programme_id", read_only=True)
    programme_name = serializers.CharField(source="enrolment.programme.name", read_only=True)
    kind = serializers.CharField(source="enrolment.programme.kind", read_only=True)
    application = serializers.IntegerField(source="enrolment.application_id", read_only=True)
    reference = serializers.CharField(source="enrolment.application.reference", read_only=True)
    bank_name = serializers.CharField(source="enrolment.application.bank.name", read_only=True)
    enterprise_name = serializers.CharField(source="enrolment.application.enterprise.name", read_only=True)
    claimed_by = serializers.CharField(source="claimed_by.username", read_only=True)
    decided_by = serializers.CharField(source="decided_by.username", default=None, read_only=True)
    dossier = serializers.SerializerMethodField()

    class Meta:
        model = Claim
        fields = ["id", "enrolment", "programme", "programme_name", "kind", "application", "reference", "bank_name",
                  "enterprise_name", "status", "principal_unpaid", "interest_due", "proceeds", "loss",
                  "covered_loss", "split", "basis", "amount", "claimed_by", "claimed_at", "decided_by",
                  "decided_at", "decision_note", "dossier"]
        read_only_fields = fields

    def get_dossier(self, claim) -> int | None:
        """The id of the claim dossier document (GET /api/v1/documents/{id}/)."""
        if claim.audit_entry_id is None:
            return None
        document = next(iter(claim.audit_entry.documents.all()), None)
        return document.pk if document else None
