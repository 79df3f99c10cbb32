"""Back-office screens for the patent register."""
from django.contrib import admin

from patents.models import Patent


@admin.register(Patent)
class PatentAdmin(admin.ModelAdmin):
    list_display = ("number", "title", "jurisdiction", "kind", "status", "filing_date", "grant_date")
    list_filter = ("jurisdiction", "kind", "status", "ownership_frozen", "invalidation_pending")
    search_fields = ("number", "title")
    filter_horizontal = ("owners",)
