"""Admin views of the outbox, webhooks, deliveries and e-mail notices (read mostly)."""
from django.contrib import admin

from events.models import Delivery, EmailNotice, EmailPreference, Event, Webhook


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("id", "type", "occurred_at", "bank", "application", "dispatched_at")
    list_filter = ("type",)
    readonly_fields = [f.name for f in Event._meta.fields]


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    list_display = ("id", "bank", "url", "active", "created_at")
    exclude = ("secret",)


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("id", "webhook", "event", "status", "attempts", "last_status_code", "next_attempt_at")
    list_filter = ("status",)


@admin.register(EmailNotice)
class EmailNoticeAdmin(admin.ModelAdmin):
    list_display = ("id", "event", "recipient", "reason", "status", "attempts", "sent_at")
    list_filter = ("status", "reason")


admin.site.register(EmailPreference)
