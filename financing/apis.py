"""HTTP API for pledge applications: thin views over the selectors and services."""
from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from financing import inputs, selectors, services
from financing.inputs import ApplicationWriteSerializer
from financing.outputs import ApplicationSerializer, AuditEntrySerializer
from financing.filters import ApplicationFilter
from financing.models import TRANSITION_NAMES


class ApplicationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = ApplicationSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    filterset_class = ApplicationFilter
    ordering_fields = ["created_at", "amount_requested", "state", "id"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        return selectors.applications_for_listing(self.request.user)

    def get_object(self):
        return selectors.application_get_visible(user=self.request.user, pk=self.kwargs["pk"])

    def _detail(self, application, status_code=status.HTTP_200_OK) -> Response:
        fresh = selectors.application_get_visible(user=self.request.user, pk=application.pk)
        return Response(self.get_serializer(fresh).data, status=status_code)

    @extend_schema(request=ApplicationWriteSerializer, responses={201: ApplicationSerializer})
    def create(self, request, *args, **kwargs):
        payload = ApplicationWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        application = services.application_create(by=request.user, **payload.validated_data)
        return self._detail(application, status.HTTP_201_CREATED)

    @extend_schema(request=ApplicationWriteSerializer, responses={200: ApplicationSerializer})
    def partial_update(self, request, *args, **kwargs):
        application = self.get_object()
        payload = ApplicationWriteSerializer(data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        services.application_update(application=application, by=request.user, **payload.validated_data)
        return self._detail(application)

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses={200: ApplicationSerializer},
        parameters=[OpenApiParameter("name", str, OpenApiParameter.PATH, enum=list(TRANSITION_NAMES))],
        description="Fire a transition with the payload of WORKFLOW.md. 400 bad payload, 403 role may not, "
        "404 not visible, 409 not allowed from this state, lost a race or failed a check.",
    )
    @action(detail=True, methods=["post"], url_path=r"transitions/(?P<name>[a-z_]+)")
    def transitions(self, request, pk=None, name=None):
        application = self.get_object()
        services.application_transition(
            application=application, name=name, by=request.user, payload=request.data, validate=inputs.transition_values
        )
        return self._detail(application)

    @extend_schema(responses={200: AuditEntrySerializer(many=True)})
    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        application = self.get_object()
        entries = selectors.audit_history_visible_to(user=request.user, application=application)
        page = self.paginate_queryset(entries)
        return self.get_paginated_response(AuditEntrySerializer(page, many=True).data)
