"""Back-office view of the pledge register: read-only, since decisions go through the registrar's services."""
from django.contrib import admin

from registration.models import FiledPatent, Filing, RegistrationChange, UccFiling


class ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class FiledPatentInline(ReadOnly, admin.TabularInline):
    model = FiledPatent
    fields = ("patent", "co_owner_consent", "registered")
    readonly_fields = fields


class RegistrationChangeInline(ReadOnly, admin.TabularInline):
    model = RegistrationChange
    fields = ("kind", "recorded_at", "recorded_by", "effective_on", "changes", "previous", "note")
    readonly_fields = fields


class UccFilingInline(ReadOnly, admin.TabularInline):
    model = UccFiling
    fields = ("state", "file_number", "filed_on", "recorded_by", "recorded_at")
    readonly_fields = fields


@admin.register(Filing)
class FilingAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("id", "application", "sequence", "status", "deadline", "registration_number", "registered_on")
    list_filter = ("status",)
    search_fields = ("registration_number", "pledgor_name", "pledgee_name", "filed_patents__patent__number")
    inlines = [FiledPatentInline, RegistrationChangeInline, UccFilingInline]
