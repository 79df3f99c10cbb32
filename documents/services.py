"""Document services (first version: nothing is produced yet; the documents app completes it)."""
from __future__ import annotations


def documents_queue(*, application_id: int, transition: str) -> None:
    return None
