"""HTTP API for stage documents: detail, download and retry for those who see the application; public verify."""

from __future__ import annotations

import hashlib

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from core.errors import Conflict, ValidationFailed
from documents import selectors, services
from documents.models import Document
from documents.serializers import DocumentSerializer, DocumentVerificationSerializer

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class DocumentDetailApi(APIView):
    @extend_schema(responses={200: DocumentSerializer}, description="404 unless the caller may see the application.")
    def get(self, request, pk: int):
        document = selectors.document_get_visible(user=request.user, pk=pk)
        return Response(DocumentSerializer(document, context={"request": request}).data)


class DocumentDownloadApi(APIView):
    @extend_schema(
        responses={(200, "application/pdf"): OpenApiTypes.BINARY, 404: OpenApiResponse(description="not visible"),
                   409: OpenApiResponse(description="not generated yet, or failed")},
    )
    def get(self, request, pk: int):
        document = selectors.document_get_visible(user=request.user, pk=pk)
        if document.status != Document.Status.READY or not document.file:
            raise Conflict(
                f"the document is {document.status}, not ready to download",
                code="document_not_ready",
                details={"status": document.status, "error": document.error},
            )
        filename = f"{document.application.reference}-{document.kind}.pdf"
        response = FileResponse(document.file.open("rb"), content_type="application/pdf", as_attachment=True, filename=filename)
        response["X-Content-SHA256"] = document.sha256
        return response


class DocumentRetryApi(APIView):
    @extend_schema(request=None, responses={202: DocumentSerializer},
                   description="Bank staff put a failed document back in the queue. 409 unless it failed.")
    def post(self, request, pk: int):
        document = selectors.document_get_visible(user=request.user, pk=pk)
        services.document_retry(document=document, by=request.user)
        document.refresh_from_db()
        return Response(DocumentSerializer(document, context={"request": request}).data, status=status.HTTP_202_ACCEPTED)


class VerifyThrottle(AnonRateThrottle):
    rate = "120/minute"


def _verification(document: Document) -> dict:
    return DocumentVerificationSerializer(document).data


class DocumentVerifyApi(APIView):
    """Public: which document of which application and stage has this SHA-256 (or QR id)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [VerifyThrottle]

    @extend_schema(responses={200: DocumentVerificationSerializer, 404: OpenApiResponse(description="unknown hash")})
    def get(self, request, key: str):
        return Response(_verification(selectors.document_by_hash_or_id(key)))


class DocumentVerifyUploadApi(APIView):
    """Public: upload the PDF in hand (field `file`); its SHA-256 is looked up as above."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [VerifyThrottle]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}},
        responses={200: DocumentVerificationSerializer, 404: OpenApiResponse(description="no document has this file's hash")},
    )
    def post(self, request):
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationFailed("file: upload the PDF to verify", details={"file": ["required"]})
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationFailed("file: larger than any pledgeflow document", details={"file": ["too large"]})
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        return Response(_verification(selectors.document_by_hash_or_id(digest.hexdigest())))
