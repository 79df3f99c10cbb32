"""What clients get back: how applications, terms and audit entries look over the API."""
from __future__ import annotations

from functools import cache

from rest_framework import serializers

from core.fields import ReadableFieldsOnce
from documents.selectors import documents_of
from documents.serializers import DocumentSerializer
from financing.selectors import credit_view_of, deadline_of
from financing.models import AuditEntry, LoanTerms, PledgeApplication
from programmes import selectors as loan_ledger
from valuation.selectors import valuation_current_for
from valuation.serializers import ValuationSerializer

class PledgedPatentSerializer(ReadableFieldsOnce, serializers.Serializer):
    number = serializers.CharField(source="patent.number")
    title = serializers.CharField(source="patent.title")
    kind = serializers.CharField(source="patent.kind")
    jurisdiction = serializers.CharField(source="patent.jurisdiction")
    filing_date = serializers.DateField(source="patent.filing_date")
    grant_date = serializers.DateField(source="patent.grant_date")
    expiry_date = serializers.DateField(source="patent.expiry_date")
    co_owner_consent = serializers.BooleanField()


class LoanTermsSerializer(ReadableFieldsOnce, serializers.ModelSerializer):
    maturity_date = serializers.DateField(read_only=True)

    class Meta:
        model = LoanTerms
        fields = [
            "amount", "annual_rate", "term_months", "recommended_by", "recommended_at", "approved_by",
            "approved_at", "signed_on", "maturity_date", "disbursed_on", "repaid_on", "default_reason",
            "disposal_method", "disposal_proceeds",
        ]


class FilingSummarySerializer(ReadableFieldsOnce, serializers.Serializer):
    id = serializers.IntegerField()
    sequence = serializers.IntegerField()
    status = serializers.CharField()
    filed_at = serializers.DateTimeField()
    deadline = serializers.DateField()
    acknowledged = serializers.ListField()
    registration_number = serializers.CharField(allow_null=True)
    registered_on = serializers.DateField(allow_null=True)
    cancelled_on = serializers.DateField(allow_null=True)
    grounds = serializers.ListField()
    defects = serializers.ListField()


@cache
def _shared(serializer_class):
    """A nested output serializer that reads no context, built once per process: building its fields
    costs more than rendering a page of rows with it, and rendering changes nothing in it."""
    return serializer_class()


class ApplicationSerializer(ReadableFieldsOnce, serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    bank_name = serializers.CharField(source="bank.name", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    patents = PledgedPatentSerializer(source="pledged_patents", many=True, read_only=True)
    available_transitions = serializers.SerializerMethodField()
    terms = serializers.SerializerMethodField()
    registration = serializers.SerializerMethodField()
    deadline = serializers.SerializerMethodField()
    valuation = serializers.SerializerMethodField()
    documents = serializers.SerializerMethodField()
    outstanding_principal = serializers.SerializerMethodField()
    interest_paid = serializers.SerializerMethodField()

    class Meta:
        model = PledgeApplication
        fields = [
            "id", "reference", "bank", "bank_name", "enterprise", "enterprise_name", "state",
            "available_transitions", "amount_requested", "currency", "term_months", "purpose", "patents",
            "valuation", "terms", "registration", "documents", "deadline", "rejection_reasons",
            "outstanding_principal", "interest_paid",
            "state_changed_at", "created_at", "updated_at",
        ]
        read_only_fields = fields

    # One instance of each nested serializer per page, not one per row: building a serializer and
    # its fields is most of what serialising a row of loan terms costs (issue 11: 25x).

    def _one(self, key, make):
        nested = self.__dict__.setdefault("_nested", {})
        if key not in nested:
            nested[key] = make()
        return nested[key]

    def _user(self):
        request = self.context.get("request")
        return getattr(request, "user", None)

    def _credit_view(self):
        return self._one("credit_view", lambda: credit_view_of(self._user()))

    def get_available_transitions(self, application) -> list[str]:
        user = self._user()
        if user is None:
            return []
        return [t.name for t in application.get_available_user_state_transitions(user)]

    def get_terms(self, application) -> dict | None:
        terms = getattr(application, "terms", None)  # a missing reverse one-to-one is an AttributeError
        if terms is None:
            return None
        data = _shared(LoanTermsSerializer).to_representation(terms)
        shown = self._credit_view().terms
        return data if shown is None else {field: data[field] for field in shown}

    def _filings(self, application):
        return sorted(application.filings.all(), key=lambda f: f.sequence)

    def get_registration(self, application) -> dict | None:
        filings = self._filings(application)
        if not filings:
            return None
        current = _shared(FilingSummarySerializer).to_representation(filings[-1])
        current["filings"] = len(filings)
        return current

    def get_deadline(self, application) -> str | None:
        deadline = deadline_of(application)
        return deadline.isoformat() if deadline else None

    def get_valuation(self, application) -> dict | None:
        if not self._credit_view().valuation:
            return None
        current = valuation_current_for(application)
        return _shared(ValuationSerializer).to_representation(current) if current else None

    def _disbursed(self, application) -> bool:
        # Registrars see the secured debt, not how it is being repaid (CreditView); nothing is repaid before disbursement.
        terms = getattr(application, "terms", None)
        return self._credit_view().terms is None and terms is not None and terms.disbursed_on is not None

    def get_outstanding_principal(self, application) -> str | None:
        """Principal the bank still carries (programmes.selectors: none once repaid or enforced)."""
        if not self._disbursed(application):
            return None
        return str(loan_ledger.outstanding_principal(application))

    def get_interest_paid(self, application) -> str | None:
        if not self._disbursed(application):
            return None
        return str(loan_ledger.interest_paid(application))

    def get_documents(self, application) -> list:
        user = self._user()
        if user is None:
            return []
        documents = self._one("documents", lambda: DocumentSerializer(many=True, context=self.context))
        return documents.to_representation(documents_of(application=application, user=user))


class TransitionOutcomeSerializer(serializers.Serializer):
    """A transition's answer to `Prefer: return=minimal` (RFC 7240): what moved, from the object in hand.

    Built without a query from the application the transition loaded and saved; the full detail
    (valuation, terms, registration, documents) stays one GET away."""

    id = serializers.IntegerField()
    state = serializers.CharField()
    state_changed_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    available_transitions = serializers.SerializerMethodField()

    def get_available_transitions(self, application) -> list[str]:
        user = self.context["request"].user
        return [t.name for t in application.get_available_user_state_transitions(user)]


class AuditEntrySerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", default=None)

    class Meta:
        model = AuditEntry
        fields = [
            "id", "at", "actor", "actor_role", "transition", "source_state", "target_state", "payload",
            "outcome", "error_code", "message",
        ]
