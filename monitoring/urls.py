"""Routes of the alerts API, included by config/urls.py under api/v1/alerts/."""
from django.urls import path

from monitoring.apis import AlertDetailApi, AlertListApi

urlpatterns = [
    path("", AlertListApi.as_view(), name="alert-list"),
    path("<int:pk>/", AlertDetailApi.as_view(), name="alert-detail"),
]
