"""Admin for stage documents: read-only, with a retry action for failed ones."""

from django.contrib import admin, messages

from core.errors import DomainError
from documents.models import Document
from documents.services import document_retry


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ("id", "application", "kind", "stage", "status", "attempts", "page_count", "sha256", "generated_at")
    list_filter = ("status", "kind", "stage")
    search_fields = ("sha256", "public_id")
    readonly_fields = [f.name for f in Document._meta.fields]
    actions = ["retry_failed"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Retry the selected failed documents")
    def retry_failed(self, request, queryset):
        for document in queryset.filter(status=Document.Status.FAILED):
            try:
                document_retry(document=document, by=request.user)
            except DomainError as error:
                self.message_user(request, f"{document}: {error.message}", messages.WARNING)
