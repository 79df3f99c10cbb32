"""HTTP API of the registration desk and the public pledge register: thin views over selectors and services."""
from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from core.errors import ValidationFailed
from registration import selectors, services
from registration.models import Filing
from registration.inputs import UccFilingSerializer
from registration.outputs import DeskFilingSerializer, GroundSerializer, UccFilingRecordSerializer


class PublicRegisterThrottle(AnonRateThrottle):
    scope = "public_register"

    def get_rate(self):
        return settings.PLEDGEFLOW_PUBLIC_REGISTER_RATE


class PublicRegisterView(APIView):
    """GET /api/v1/register/?patent=<number>: is this patent pledged, to whom, since when. No login."""

    permission_classes = [AllowAny]
    authentication_classes: list = []  # public: a stale token must not turn a lookup into a 401
    throttle_classes = [PublicRegisterThrottle]

    @extend_schema(
        parameters=[
            OpenApiParameter("patent", str, OpenApiParameter.QUERY, required=True, description="e.g. ZL202110921116.9")
        ],
        responses={200: OpenApiTypes.OBJECT},
        description="The public pledge register: parties, patents, registration number, dates and status of "
        "every registration of the patent, never loan terms. 400 if the number is malformed.",
    )
    def get(self, request):
        patent = request.query_params.get("patent", "").strip()
        if not patent:
            raise ValidationFailed("patent: give a patent number, e.g. ?patent=ZL202110921116.9",
                                   details={"patent": ["required"]})
        return Response(selectors.public_register(patent=patent))


def _flag(value: str | None, name: str) -> bool | None:
    if value is None or value == "":
        return None
    lowered = value.strip().lower()
    if lowered in ("true", "1", "yes"):
        return True
    if lowered in ("false", "0", "no"):
        return False
    raise ValidationFailed(f"{name}: '{value}' is not true or false", details={name: ["expected true or false"]})


class DeskFilingList(generics.ListAPIView):
    """GET /api/v1/registration/filings/?status=pending&overdue=true: the registrar's work, soonest deadline first."""

    serializer_class = DeskFilingSerializer
    permission_classes = [IsAuthenticated]
    filter_backends: list = []

    def get_queryset(self):
        status_filter = self.request.query_params.get("status") or None
        if status_filter and status_filter not in Filing.Status.values:
            raise ValidationFailed(
                f"status: '{status_filter}' is not one of {', '.join(Filing.Status.values)}",
                details={"status": ["unknown status"]},
            )
        overdue = _flag(self.request.query_params.get("overdue"), "overdue")
        return selectors.filings_for_desk(self.request.user, status=status_filter, overdue=overdue)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, OpenApiParameter.QUERY, enum=list(Filing.Status.values)),
            OpenApiParameter("overdue", bool, OpenApiParameter.QUERY),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class DeskFilingDetail(generics.RetrieveAPIView):
    """GET /api/v1/registration/filings/{id}/."""

    serializer_class = DeskFilingSerializer
    permission_classes = [IsAuthenticated]

    def get_object(self):
        return selectors.filing_get_for_desk(self.request.user, pk=self.kwargs["pk"])

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": timezone.localdate()}


class DeskFilingPrecheck(APIView):
    """GET /api/v1/registration/filings/{id}/precheck/: every refusal ground that applies now, with evidence."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request, pk):
        filing = selectors.filing_get_for_desk(request.user, pk=pk)
        today = timezone.localdate()
        grounds = services.filing_precheck(filing=filing, on=today)
        return Response(
            {
                "filing": filing.pk,
                "status": filing.status,
                "checked_on": today.isoformat(),
                "registrable": not grounds,
                "grounds": GroundSerializer([g.as_dict() for g in grounds], many=True).data,
                # What was stored with the decision, for a filing already decided.
                "at_decision": filing.precheck or None,
            }
        )


class UccFilingCreate(APIView):
    """POST /api/v1/registration/filings/{id}/ucc1/ {state, file_number, filed_on}: the lending bank's officer
    records the UCC-1 financing statement filed for the US patents of this pledge."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=UccFilingSerializer, responses={201: UccFilingRecordSerializer})
    def post(self, request, pk):
        filing = selectors.filing_get_for_ucc(request.user, pk=pk)
        services.ucc_filing_allowed(filing=filing, by=request.user)
        payload = UccFilingSerializer(data=request.data)
        if not payload.is_valid():
            raise ValidationFailed.from_details(payload.errors)
        ucc = services.ucc_filing_record(filing=filing, by=request.user, **payload.validated_data)
        return Response(UccFilingRecordSerializer(ucc).data, status=status.HTTP_201_CREATED)
