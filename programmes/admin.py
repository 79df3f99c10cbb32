"""Back-office screens for programmes; claims are decided through the service, not edited here."""
from django.contrib import admin

from programmes.models import Claim, Enrolment, Programme, Repayment


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "region", "valid_from", "valid_until", "budget")
    list_filter = ("kind", "region")


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ("application", "programme", "ip_secured_amount", "exposure", "enrolled_at")
    readonly_fields = [f.name for f in Enrolment._meta.fields]


@admin.register(Repayment)
class RepaymentAdmin(admin.ModelAdmin):
    list_display = ("application", "paid_on", "principal", "interest")
    readonly_fields = [f.name for f in Repayment._meta.fields]


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = ("id", "enrolment", "status", "amount", "claimed_at")
    list_filter = ("status",)
    readonly_fields = [f.name for f in Claim._meta.fields]
