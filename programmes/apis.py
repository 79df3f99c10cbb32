"""HTTP API of public programmes: thin views over programmes.selectors and programmes.services."""
from __future__ import annotations

import datetime as dt

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import PagePagination
from core.errors import ValidationFailed
from financing.selectors import application_for_transition
from programmes import exports, selectors, services
from programmes.serializers import (
    ClaimInput, ClaimSerializer, DecisionInput, EnrolmentInput, EnrolmentSerializer, ProgrammeInput,
    ProgrammeSerializer, RepaymentInput, RepaymentSerializer,
)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _valid(serializer_class, data) -> dict:
    payload = serializer_class(data=data)
    if not payload.is_valid():
        raise ValidationFailed.from_details(payload.errors)
    return dict(payload.validated_data)


def _page(view: APIView, request, queryset, serializer_class):
    paginator = PagePagination()
    page = paginator.paginate_queryset(queryset, request, view=view)
    return paginator.get_paginated_response(serializer_class(page, many=True, context={"request": request}).data)


class ProgrammeListApi(APIView):
    @extend_schema(responses={200: ProgrammeSerializer(many=True)})
    def get(self, request):
        return _page(self, request, selectors.programmes_visible_to(request.user), ProgrammeSerializer)

    @extend_schema(request=ProgrammeInput, responses={201: ProgrammeSerializer})
    def post(self, request):
        values = _valid(ProgrammeInput, request.data)
        if "shares" in values:
            values["shares"] = dict(values["shares"])
        programme = services.programme_create(by=request.user, **values)
        fresh = selectors.programme_get_visible(user=request.user, pk=programme.pk)
        return Response(ProgrammeSerializer(fresh).data, status=status.HTTP_201_CREATED)


class ProgrammeDetailApi(APIView):
    @extend_schema(responses={200: ProgrammeSerializer})
    def get(self, request, pk: int):
        return Response(ProgrammeSerializer(selectors.programme_get_visible(user=request.user, pk=pk)).data)


class EnrolmentApi(APIView):
    """POST /api/v1/applications/{id}/enrolments/ by the lending bank's officer; 409 with every reason."""

    @extend_schema(responses={200: EnrolmentSerializer(many=True)})
    def get(self, request, pk: int):
        application = application_for_transition(user=request.user, pk=pk)
        enrolments = selectors.enrolments_visible_to(request.user).filter(application=application)
        return Response(EnrolmentSerializer(enrolments, many=True).data)

    @extend_schema(request=EnrolmentInput, responses={201: EnrolmentSerializer})
    def post(self, request, pk: int):
        application = application_for_transition(user=request.user, pk=pk)
        values = _valid(EnrolmentInput, request.data)
        programme = selectors.programme_get_visible(user=request.user, pk=values["programme"])
        enrolment = services.enrolment_create(application=application, programme=programme,
                                              ip_secured_amount=values.get("ip_secured_amount"), by=request.user)
        return Response(EnrolmentSerializer(enrolment).data, status=status.HTTP_201_CREATED)


class RepaymentApi(APIView):
    """POST /api/v1/applications/{id}/repayments/ by the lending bank's officer."""

    @extend_schema(responses={200: RepaymentSerializer(many=True)})
    def get(self, request, pk: int):
        application = application_for_transition(user=request.user, pk=pk)
        return Response(RepaymentSerializer(application.repayments.all(), many=True).data)

    @extend_schema(request=RepaymentInput, responses={201: RepaymentSerializer})
    def post(self, request, pk: int):
        application = application_for_transition(user=request.user, pk=pk)
        repayment = services.repayment_record(application=application, by=request.user,
                                              **_valid(RepaymentInput, request.data))
        return Response(RepaymentSerializer(repayment).data, status=status.HTTP_201_CREATED)


class ClaimListApi(APIView):
    """GET (`?status=`, `?format=csv|xlsx` for every visible claim with its split) and POST a claim."""

    def perform_content_negotiation(self, request, force=False):
        return super().perform_content_negotiation(request, force=True)  # `format` names an export

    @extend_schema(responses={200: ClaimSerializer(many=True)},
                   parameters=[OpenApiParameter("status", str, enum=["pending", "approved", "rejected"]),
                               OpenApiParameter("format", str, enum=["json", "csv", "xlsx"])])
    def get(self, request):
        claims = selectors.claims_visible_to(request.user)
        if wanted := request.query_params.get("status"):
            claims = claims.filter(status=wanted)
        export = request.query_params.get("format", "json")
        if export == "csv":
            return _download(exports.as_csv(exports.CLAIM_COLUMNS, exports.claim_rows(claims)),
                             "text/csv; charset=utf-8", "claims.csv")
        if export == "xlsx":
            return _download(exports.as_xlsx(exports.CLAIM_COLUMNS, exports.claim_rows(claims), title="claims"),
                             XLSX, "claims.xlsx")
        return _page(self, request, claims, ClaimSerializer)

    @extend_schema(request=ClaimInput, responses={201: ClaimSerializer})
    def post(self, request):
        values = _valid(ClaimInput, request.data)
        enrolment = selectors.enrolment_get_visible(user=request.user, pk=values["enrolment"])
        claim = services.claim_create(enrolment=enrolment, by=request.user, appraisal_fee=values.get("appraisal_fee"))
        fresh = selectors.claim_get_visible(user=request.user, pk=claim.pk)
        return Response(ClaimSerializer(fresh).data, status=status.HTTP_201_CREATED)


class ClaimDetailApi(APIView):
    @extend_schema(responses={200: ClaimSerializer})
    def get(self, request, pk: int):
        return Response(ClaimSerializer(selectors.claim_get_visible(user=request.user, pk=pk)).data)


class ClaimDecisionApi(APIView):
    """POST /api/v1/claims/{id}/approve/ or /reject/ (with a `note`), by the programme's office."""

    decide = None

    @extend_schema(request=DecisionInput, responses={200: ClaimSerializer})
    def post(self, request, pk: int):
        claim = selectors.claim_get_visible(user=request.user, pk=pk)
        values = _valid(DecisionInput, request.data)
        type(self).decide(claim=claim, by=request.user, note=values["note"])
        return Response(ClaimSerializer(selectors.claim_get_visible(user=request.user, pk=pk)).data)


class ClaimApproveApi(ClaimDecisionApi):
    decide = staticmethod(services.claim_approve)


class ClaimRejectApi(ClaimDecisionApi):
    decide = staticmethod(services.claim_reject)


def _date(request, name: str) -> dt.date | None:
    value = request.query_params.get(name)
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationFailed(f"{name}: not a date (YYYY-MM-DD)", details={name: ["not a date (YYYY-MM-DD)"]}) from None


def _bank(request) -> int | None:
    value = request.query_params.get("bank")
    if not value:
        return None
    if not value.isdigit():
        raise ValidationFailed("bank: a bank id", details={"bank": ["a bank id"]})
    return int(value)


class StatisticsApi(APIView):
    """GET /api/v1/statistics/?region=&bank=&date_from=&date_to=[&format=csv|xlsx]: loans disbursed in the period."""

    def perform_content_negotiation(self, request, force=False):
        # `format` names the export here, not a DRF renderer; errors still answer in JSON.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        parameters=[
            OpenApiParameter("region", str), OpenApiParameter("bank", int),
            OpenApiParameter("date_from", OpenApiTypes.DATE), OpenApiParameter("date_to", OpenApiTypes.DATE),
            OpenApiParameter("format", str, enum=["json", "csv", "xlsx"]),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        region = request.query_params.get("region") or None
        if region is not None and not (len(region) == 6 and region.isdigit()):
            raise ValidationFailed("region: a 6-digit region code", details={"region": ["a 6-digit region code"]})
        figures = selectors.statistics_for(user=request.user, region=region, bank=_bank(request),
                                           date_from=_date(request, "date_from"), date_to=_date(request, "date_to"))
        wanted = request.query_params.get("format", "json")
        if wanted == "csv":
            return _download(exports.statistics_csv(figures), "text/csv; charset=utf-8", "statistics.csv")
        if wanted == "xlsx":
            return _download(exports.statistics_xlsx(figures), XLSX, "statistics.xlsx")
        return Response(_as_json(figures))


def _as_json(figures: dict) -> dict:
    """Decimals as strings, as everywhere in the API."""
    def shown(value):
        if isinstance(value, list):
            return [shown(item) for item in value]
        if isinstance(value, dict):
            return {key: shown(item) for key, item in value.items()}
        return str(value) if hasattr(value, "quantize") else value
    return shown(figures)


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
