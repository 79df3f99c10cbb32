"""HTTP API for the patent register."""
from __future__ import annotations

from rest_framework import mixins, viewsets
from rest_framework.permissions import IsAuthenticated

from patents.models import Patent
from patents.numbers import normalise_patent_number
from patents.permissions import RegisterWritableByRegistrar
from patents.serializers import PatentSerializer
from patents.services import patent_create, patent_update


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

    def perform_create(self, serializer):
        serializer.instance = patent_create(by=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = patent_update(
            patent=serializer.instance, by=self.request.user, **serializer.validated_data
        )

    def get_object(self):
        # Any spelling of a number finds the patent: "ZL 2021 1 0921116.9" is ZL202110921116.9.
        self.kwargs[self.lookup_field] = normalise_patent_number(self.kwargs[self.lookup_field])
        return super().get_object()
