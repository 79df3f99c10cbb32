"""Writes to stage documents: create them with the transition that reaches a stage, generate, retry, requeue, export."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import DatabaseError, transaction
from django.utils import timezone

from accounts.roles import BANK_APPROVER, BANK_OFFICER, role_of
from core.errors import Conflict, PermissionRefused
from core.queue import publish
from documents.assembly import STAGES, content_for, kinds_for
from documents.models import Document
from documents.pdf import build_pdf
from documents.pdf.snapshot import content_from_json, content_to_json
from events.services import event_for_document_ready

logger = logging.getLogger(__name__)

# Failures worth trying again by themselves (the database or the storage was away);
# anything else is a fault in the content or the builder, and waits for a person's retry.
TRANSIENT_ERRORS = (DatabaseError, OSError)
RETRY_ROLES = (BANK_OFFICER, BANK_APPROVER)


def verify_url(document: Document) -> str:
    """What the QR code holds: the human verify page (/verify/<public id>/) of this very document.

    A phone opens a page a person can read; the API answers the same id at /api/v1/documents/verify/<id>/.

    The PDF cannot carry its own hash, so the link names the document by an unguessable id; the page
    shows the SHA-256 kept for it, to compare with the file in hand (or upload the file to check it).
    """
    base = settings.PLEDGEFLOW_PUBLIC_BASE_URL.rstrip("/")
    return f"{base}/verify/{document.public_id}/"


def _snapshot(document: Document) -> None:
    application, entry = document.application, document.audit_entry
    content = content_for(kind=document.kind, application=application, audit_entry=entry, verify_url=verify_url(document))
    document.content = content_to_json(content)


def _enqueue(document_ids: list[int], *, insist: bool = False, soon: bool = False) -> None:
    """Hand each document to the task queue, never waiting on the broker more than about a second.

    The pending row is already committed, so a publish that fails (the broker is down or slow) is
    only logged: documents_requeue_pending, run by beat every few minutes, hands it over again.
    `retry=False` and the broker's connection timeouts (settings CELERY_BROKER_*) bound the wait;
    no result is kept, so the publish never waits on a result backend either. `soon`: after a
    request's commit, by the process's publishing thread (core.queue.publish_soon).
    """
    from documents.tasks import document_generate

    for document_id in document_ids:
        # The broker unreachable: documents_requeue_pending picks these up (core.queue).
        publish(document_generate, (document_id,), what=f"document {document_id}", insist=insist, soon=soon)


def documents_create(*, application, audit_entry) -> list[Document]:
    """The documents of the stage `audit_entry`'s transition reached: rows of the transition's own transaction.

    Called inside the transition's atomic block, right after its audit entry is written, so that the
    stage's papers exist exactly when the transition does (a database lost after the commit loses
    nothing) and belong to that very entry (two changes at once get a notice each). Each document's
    content is gathered here, as the stage stands in this transaction; content that cannot be
    gathered marks the document failed, never the transition. Only the queueing of the pending ones
    waits for the commit. Keyed on (audit entry, kind): a second call for the same entry makes nothing
    new, while reaching a stage again (refiling, another change) is a new entry with its own papers.
    """
    transition = audit_entry.transition
    if transition not in STAGES:
        return []
    made = set(Document.objects.filter(audit_entry=audit_entry).values_list("kind", flat=True))
    kinds = [kind for kind in kinds_for(application=application, transition=transition) if kind not in made]
    documents = [
        Document(application=application, audit_entry=audit_entry, kind=kind, transition=transition,
                 stage=STAGES[transition])
        for kind in kinds
    ]
    for document in documents:
        try:
            with transaction.atomic():  # a savepoint: a database error while gathering fails the document only
                _snapshot(document)
        except Exception as exc:  # gathered again on retry
            logger.exception("could not gather %s of application %s", document.kind, application.pk)
            document.status = Document.Status.FAILED
            document.error = f"gathering the content failed: {type(exc).__name__}: {exc}"[:4000]
    Document.objects.bulk_create(documents)
    pending = [d.pk for d in documents if d.status == Document.Status.PENDING]
    if pending:
        transaction.on_commit(lambda: _enqueue(pending, soon=True))
    return documents


def _render_and_store(document: Document) -> None:
    if document.content is None:
        _snapshot(document)
    rendered = build_pdf(document.kind, content_from_json(document.kind, document.content))
    if document.file:
        document.file.delete(save=False)
    document.file.save(f"{document.kind}.pdf", ContentFile(rendered.content), save=False)
    document.status = Document.Status.READY
    document.error = ""
    document.sha256 = hashlib.sha256(rendered.content).hexdigest()
    document.page_count = rendered.page_count
    document.size = len(rendered.content)
    document.generated_at = timezone.now()
    document.save()
    event_for_document_ready(document=document)  # the outbox row, in the same transaction


def document_generate(*, document_id: int) -> Document:
    """Build, store and hash one document. Idempotent: a ready document is left as it is.

    A failure marks the document failed with the error; transient ones (database, storage) are raised
    again as well, for the task to retry with backoff.
    """
    failure: Exception | None = None
    with transaction.atomic():
        document = Document.objects.select_for_update().select_related("application").get(pk=document_id)
        if document.status == Document.Status.READY:
            return document
        document.attempts += 1
        try:
            with transaction.atomic():  # a savepoint: after a database error the failure can still be recorded
                _render_and_store(document)
        except Exception as exc:
            failure = exc
            document.status = Document.Status.FAILED
            document.error = f"{type(exc).__name__}: {exc}"[:4000]
            document.save(update_fields=["status", "error", "attempts"])
            logger.warning("document %s (%s) failed: %s", document.pk, document.kind, document.error)
    if isinstance(failure, TRANSIENT_ERRORS):
        raise failure
    return document


def document_retry(*, document: Document, by) -> Document:
    """Put a failed document back in the queue (bank staff); its content is gathered again if it had none."""
    if role_of(by) not in RETRY_ROLES and not getattr(by, "is_superuser", False):
        raise PermissionRefused(
            "only bank staff may retry a document", code="role_not_allowed", details={"allowed_roles": list(RETRY_ROLES)}
        )
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document.pk)
        if document.status != Document.Status.FAILED:
            raise Conflict(
                f"only a failed document can be retried; this one is {document.status}",
                code="document_not_failed",
                details={"status": document.status},
            )
        document.status = Document.Status.PENDING
        document.error = ""
        document.save(update_fields=["status", "error"])
        transaction.on_commit(lambda: _enqueue([document.pk], soon=True))
    return document


def documents_requeue_pending(*, older_than: dt.timedelta = dt.timedelta(minutes=2)) -> int:
    """Queue again the documents still pending after `older_than` (the broker was down, a worker died).

    A document still waiting in a long queue may be queued twice; the second run finds it ready.
    """
    cutoff = timezone.now() - older_than
    ids = list(
        Document.objects.filter(status=Document.Status.PENDING, created_at__lte=cutoff).values_list("pk", flat=True)
    )
    _enqueue(ids, insist=True)
    return len(ids)


def documents_export(*, application, out_dir: Path) -> list[Path]:
    """Write every document of the application into `out_dir`, generating any not yet ready, in stage order."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for index, document in enumerate(Document.objects.filter(application=application).order_by("id"), start=1):
        if document.status != Document.Status.READY:
            try:
                document = document_generate(document_id=document.pk)
            except TRANSIENT_ERRORS:
                logger.warning("document %s could not be generated for export", document.pk, exc_info=True)
                continue
        if document.status != Document.Status.READY:
            continue
        path = out_dir / f"{index:02d}-{document.stage}-{document.kind}.pdf"
        with document.file.open("rb") as stored:
            path.write_bytes(stored.read())
        written.append(path)
    return written
