"""Pure PDF builders for the stage documents: plain content dataclasses in, deterministic PDF bytes out.

    from documents.pdf import build_pdf
    pdf = build_pdf("pledge_contract", content)   # RenderedPdf(content=b"%PDF...", page_count=2)

Nothing here touches the database or a request.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from reportlab.platypus import Flowable

from . import content as c
from .contracts import loan_contract, pledge_contract
from .credit import application_form, credit_approval_letter, rejection_letter
from .enforcement import enforcement_record
from .layout import RenderedPdf, render
from .registration import (
    cancellation_notice,
    change_notice,
    refusal_notice,
    registration_application,
    registration_notice,
    us_cover_sheet,
)
from .valuation import valuation_report
from .wording import TITLES


@dataclass(frozen=True)
class DocumentKind:
    name: str
    content_type: type
    story: Callable[[Any], list[Flowable]]

    @property
    def title_zh(self) -> str:
        return TITLES[self.name][0]

    @property
    def title_en(self) -> str:
        return TITLES[self.name][1]


KINDS: dict[str, DocumentKind] = {
    kind.name: kind
    for kind in (
        DocumentKind("application_form", c.ApplicationForm, application_form),
        DocumentKind("valuation_report", c.ValuationReport, valuation_report),
        DocumentKind("credit_approval_letter", c.CreditApprovalLetter, credit_approval_letter),
        DocumentKind("rejection_letter", c.RejectionLetter, rejection_letter),
        DocumentKind("loan_contract", c.LoanContract, loan_contract),
        DocumentKind("pledge_contract", c.PledgeContract, pledge_contract),
        DocumentKind("registration_application", c.RegistrationApplication, registration_application),
        DocumentKind("us_recordation_cover_sheet", c.UsCoverSheet, us_cover_sheet),
        DocumentKind("registration_notice", c.RegistrationNotice, registration_notice),
        DocumentKind("refusal_notice", c.RefusalNotice, refusal_notice),
        DocumentKind("change_notice", c.ChangeNotice, change_notice),
        DocumentKind("cancellation_notice", c.CancellationNotice, cancellation_notice),
        DocumentKind("us_release_cover_sheet", c.UsCoverSheet, us_cover_sheet),
        DocumentKind("enforcement_record", c.EnforcementRecord, enforcement_record),
    )
}


def build_story(kind: str, content: Any) -> list[Flowable]:
    """The flowables of one document, before the page template; fresh on every call."""
    document_kind = KINDS[kind]
    if not isinstance(content, document_kind.content_type):
        raise TypeError(f"{kind} is built from {document_kind.content_type.__name__}, not {type(content).__name__}")
    return document_kind.story(content)


def build_pdf(kind: str, content: Any) -> RenderedPdf:
    """The finished PDF of one document kind; the same content gives the same bytes."""
    document_kind = KINDS[kind]
    return render(
        title_zh=document_kind.title_zh,
        title_en=document_kind.title_en,
        meta=content.meta,
        story=build_story(kind, content),
    )


__all__ = ["KINDS", "DocumentKind", "RenderedPdf", "build_pdf", "build_story"]
