"""Back-office screens for organisations and users."""
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.models import AppraisalFirm, Bank, Enterprise, IpOffice, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + (("Organisation", {"fields": ("enterprise", "bank", "appraisal_firm", "ip_office")}),)
    list_display = ("username", "email", "enterprise", "bank", "is_staff")
    list_filter = BaseUserAdmin.list_filter + ("groups",)


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ("name", "name_zh", "credit_code", "region")
    search_fields = ("name", "name_zh", "credit_code")


@admin.register(Bank)
class BankAdmin(admin.ModelAdmin):
    list_display = ("name", "name_zh", "region")
    search_fields = ("name", "name_zh")


@admin.register(AppraisalFirm)
class AppraisalFirmAdmin(admin.ModelAdmin):
    list_display = ("name", "name_zh", "licence_number")
    search_fields = ("name", "name_zh", "licence_number")


@admin.register(IpOffice)
class IpOfficeAdmin(admin.ModelAdmin):
    list_display = ("name", "name_zh", "region")
    search_fields = ("name", "name_zh", "region")
