"""HTTP API for valuation: the stateless quote an enterprise asks for before it applies."""
from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from valuation.serializers import PatentValuationResultSerializer, QuoteRequestSerializer
from valuation.services import valuation_quote


class QuoteApi(APIView):
    """POST /api/v1/valuation/quote/: what a patent is worth and how much it could secure; stores nothing."""

    @extend_schema(
        request=QuoteRequestSerializer,
        responses={200: PatentValuationResultSerializer},
        description="Any logged-in user. Give at least one of income, cost, market; quality indicators left "
        "out count 3 (neutral) and are listed in quality.defaulted. Every figure is a Decimal string.",
    )
    def post(self, request):
        payload = QuoteRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        result = valuation_quote(**payload.validated_data)
        return Response(PatentValuationResultSerializer(result).data)
