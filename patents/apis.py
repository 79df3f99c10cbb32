"""HTTP API for the patent register."""
from __future__ import annotations

from rest_framework import mixins, viewsets
from rest_framework.permissions import IsAuthenticated

from patents.models import Patent
from patents.permissions import RegisterWritableByRegistrar
from patents.serializers import PatentSerializer


class PatentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    queryset = Patent.objects.prefetch_related("owners").order_by("number")
    serializer_class = PatentSerializer
    permission_classes = [IsAuthenticated, RegisterWritableByRegistrar]
    lookup_field = "number"
    lookup_value_regex = r"[^/]+"
    http_method_names = ["get", "post", "patch", "head", "options"]
    filterset_fields = ["jurisdiction", "kind", "status", "owners"]
    ordering_fields = ["number", "filing_date"]
