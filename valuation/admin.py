"""Back-office screens for valuations: read-only; a valuation changes only by a new version."""
from django.contrib import admin

from valuation.models import PatentValuation, Valuation


class PatentValuationInline(admin.TabularInline):
    model = PatentValuation
    extra = 0
    can_delete = False
    fields = ("patent", "value", "income_value", "cost_value", "market_value", "quality_score", "high_value",
              "ltv", "max_loan", "expiry_date")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Valuation)
class ValuationAdmin(admin.ModelAdmin):
    list_display = ("application", "version", "valuation_date", "valid_until", "total_value", "loan_cap",
                    "currency", "appraiser", "superseded_at")
    list_filter = ("currency",)
    search_fields = ("application__id", "patent_valuations__patent__number")
    list_select_related = ("application", "appraiser")
    inlines = [PatentValuationInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Valuation._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
