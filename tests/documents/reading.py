"""Reading a stored document back in tests: its bytes, and the text of its PDF pages."""
from __future__ import annotations

import io

import pypdf

from documents.models import Document


def stored_bytes(document: Document) -> bytes:
    with document.file.open("rb") as stored:
        return stored.read()


def pdf_text(document: Document) -> str:
    return "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(stored_bytes(document))).pages)
