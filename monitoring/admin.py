"""Read-only admin for alerts: the sweep owns them."""
from django.contrib import admin

from monitoring.models import Alert


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ["id", "application", "patent", "kind", "severity", "status", "first_seen", "last_seen"]
    list_filter = ["status", "kind", "severity"]
    search_fields = ["patent__number"]
    list_select_related = ["application", "patent"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
