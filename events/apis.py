"""HTTP API of webhooks (WORKFLOW.md "Events out"): subscribe, list, the delivery log, a manual redelivery."""
from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.errors import ValidationFailed
from events import selectors, services
from events.models import Delivery
from events.serializers import DeliverySerializer, WebhookInput, WebhookSerializer


class WebhookListApi(generics.ListAPIView):
    """GET: the caller's bank's webhooks. POST `{"url", "secret", "events"}`: subscribe (a bank officer)."""

    serializer_class = WebhookSerializer

    def get_queryset(self):
        return selectors.webhooks_visible_to(self.request.user)

    @extend_schema(request=WebhookInput, responses={201: WebhookSerializer})
    def post(self, request):
        given = WebhookInput(data=request.data)
        if not given.is_valid():
            raise ValidationFailed.from_details(given.errors)
        webhook = services.webhook_create(by=request.user, **given.validated_data)
        return Response(WebhookSerializer(webhook).data, status=status.HTTP_201_CREATED)


class WebhookDetailApi(generics.RetrieveAPIView):
    """GET one of the bank's webhooks; DELETE stops it (its delivery log stays readable)."""

    serializer_class = WebhookSerializer

    def get_object(self):
        return selectors.webhook_get_visible(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, pk: int):
        services.webhook_deactivate(webhook=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class DeliveryListApi(generics.ListAPIView):
    """GET /api/v1/webhooks/{id}/deliveries/: the delivery log, newest first, with every attempt."""

    serializer_class = DeliverySerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no webhook to name
            return Delivery.objects.none()
        webhook = selectors.webhook_get_visible(user=self.request.user, pk=self.kwargs["pk"])
        return selectors.deliveries_of(webhook=webhook)


class DeliveryRedeliverApi(APIView):
    @extend_schema(request=None, responses={202: DeliverySerializer},
                   description="Try a delivery again now (whatever became of it), with a new retry period.")
    def post(self, request, pk: int, delivery_pk: int):
        delivery = selectors.delivery_get_visible(user=request.user, webhook_pk=pk, pk=delivery_pk)
        services.delivery_redeliver(delivery=delivery, by=request.user)
        delivery = selectors.deliveries_of(webhook=delivery.webhook).get(pk=delivery.pk)
        return Response(DeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)
