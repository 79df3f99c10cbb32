"""Routes of the webhooks API, included by config/urls.py under api/v1/webhooks/."""
from django.urls import path

from events import apis

urlpatterns = [
    path("", apis.WebhookListApi.as_view(), name="webhook-list"),
    path("<int:pk>/", apis.WebhookDetailApi.as_view(), name="webhook-detail"),
    path("<int:pk>/deliveries/", apis.DeliveryListApi.as_view(), name="webhook-deliveries"),
    path("<int:pk>/deliveries/<int:delivery_pk>/redeliver/", apis.DeliveryRedeliverApi.as_view(),
         name="webhook-redeliver"),
]
