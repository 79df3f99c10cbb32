"""Back-office screens for applications: state and history are read-only; changes go through the services."""
from django.contrib import admin

from financing.models import AuditEntry, LoanTerms, PledgeApplication, PledgedPatent


class PledgedPatentInline(admin.TabularInline):
    model = PledgedPatent
    extra = 0
    can_delete = False
    readonly_fields = ("patent", "co_owner_consent")

    def has_add_permission(self, request, obj=None):
        return False


class LoanTermsInline(admin.StackedInline):
    model = LoanTerms
    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in LoanTerms._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False


class AuditEntryInline(admin.TabularInline):
    model = AuditEntry
    extra = 0
    can_delete = False
    fields = ("at", "actor", "actor_role", "transition", "source_state", "target_state", "outcome", "error_code")
    readonly_fields = fields
    ordering = ("at", "id")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(PledgeApplication)
class PledgeApplicationAdmin(admin.ModelAdmin):
    list_display = ("reference", "enterprise", "bank", "state", "amount_requested", "currency", "created_at")
    list_filter = ("state", "bank", "currency")
    search_fields = ("enterprise__name", "pledged_patents__patent__number")
    list_select_related = ("enterprise", "bank")
    inlines = [PledgedPatentInline, LoanTermsInline, AuditEntryInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in PledgeApplication._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "application", "actor", "transition", "source_state", "target_state", "outcome")
    list_filter = ("outcome", "transition")
    list_select_related = ("application", "actor")

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in AuditEntry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
