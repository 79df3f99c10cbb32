"""How stage documents look over the API; the application detail embeds DocumentSerializer."""

from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from core.fields import ReadableFieldsOnce
from documents.models import Document
from documents.services import verify_url


class DocumentSerializer(ReadableFieldsOnce, serializers.ModelSerializer):
    title_zh = serializers.CharField(read_only=True)
    title_en = serializers.CharField(read_only=True)
    download_url = serializers.SerializerMethodField()
    verify_url = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id", "kind", "title_zh", "title_en", "stage", "transition", "status", "error", "attempts",
            "sha256", "page_count", "size", "created_at", "generated_at", "download_url", "verify_url",
        ]
        read_only_fields = fields

    def get_download_url(self, document: Document) -> str | None:
        if document.status != Document.Status.READY:
            return None
        path = reverse("document-download", kwargs={"pk": document.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def get_verify_url(self, document: Document) -> str:
        return verify_url(document)


class DocumentVerificationSerializer(serializers.Serializer):
    """What anyone may learn from a hash: which document of which application and stage. No loan terms."""

    verified = serializers.SerializerMethodField()
    sha256 = serializers.CharField()
    kind = serializers.CharField()
    title_zh = serializers.CharField()
    title_en = serializers.CharField()
    stage = serializers.CharField()
    application = serializers.CharField(source="application.reference")
    issued_on = serializers.SerializerMethodField()
    registration_number = serializers.SerializerMethodField()
    generated_at = serializers.DateTimeField()
    page_count = serializers.IntegerField()

    def get_verified(self, document: Document) -> bool:
        return True

    def get_issued_on(self, document: Document) -> str | None:
        return ((document.content or {}).get("meta") or {}).get("issued_on")

    def get_registration_number(self, document: Document) -> str:
        return ((document.content or {}).get("meta") or {}).get("registration_number") or ""
