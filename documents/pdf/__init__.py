"""Pure PDF builders for the stage documents: plain content dataclasses in, deterministic PDF bytes out.

    from documents.pdf import build_pdf
    pdf = build_pdf("pledge_contract", content)   # RenderedPdf(content=b"%PDF...", page_count=2)

Nothing here touches the database or a request.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

from . import content as c
from .wording import TITLES

if TYPE_CHECKING:
    from reportlab.platypus import Flowable

    from .layout import RenderedPdf


@dataclass(frozen=True)
class DocumentKind:
    """One document kind; `story` names its builder ("module:function") so the registry stays free of reportlab.

    The web side (models' choices, snapshots) reads this registry on every start but never renders;
    reportlab and the builders load only when a story is first built, in the worker.
    """

    name: str
    content_type: type
    story: str

    @property
    def title_zh(self) -> str:
        return TITLES[self.name][0]

    @property
    def title_en(self) -> str:
        return TITLES[self.name][1]

    @property
    def builder(self) -> Callable[[Any], list[Flowable]]:
        module, function = self.story.split(":")
        return getattr(importlib.import_module(f"{__name__}.{module}"), function)


KINDS: dict[str, DocumentKind] = {
    kind.name: kind
    for kind in (
        DocumentKind("application_form", c.ApplicationForm, "credit:application_form"),
        DocumentKind("valuation_report", c.ValuationReport, "valuation:valuation_report"),
        DocumentKind("credit_approval_letter", c.CreditApprovalLetter, "credit:credit_approval_letter"),
        DocumentKind("rejection_letter", c.RejectionLetter, "credit:rejection_letter"),
        DocumentKind("loan_contract", c.LoanContract, "contracts:loan_contract"),
        DocumentKind("pledge_contract", c.PledgeContract, "contracts:pledge_contract"),
        DocumentKind("registration_application", c.RegistrationApplication, "registration:registration_application"),
        DocumentKind("us_recordation_cover_sheet", c.UsCoverSheet, "registration:us_cover_sheet"),
        DocumentKind("registration_notice", c.RegistrationNotice, "registration:registration_notice"),
        DocumentKind("refusal_notice", c.RefusalNotice, "registration:refusal_notice"),
        DocumentKind("us_notice_of_recordation", c.UsRecordationNotice, "registration:us_notice_of_recordation"),
        DocumentKind(
            "us_notice_of_non_recordation", c.UsNonRecordationNotice, "registration:us_notice_of_non_recordation"
        ),
        DocumentKind("change_notice", c.ChangeNotice, "registration:change_notice"),
        DocumentKind("correction_notice", c.CorrectionNotice, "registration:correction_notice"),
        DocumentKind("cancellation_application", c.CancellationApplication, "registration:cancellation_application"),
        DocumentKind("cancellation_notice", c.CancellationNotice, "registration:cancellation_notice"),
        DocumentKind("us_release_cover_sheet", c.UsCoverSheet, "registration:us_cover_sheet"),
        DocumentKind("enforcement_record", c.EnforcementRecord, "enforcement:enforcement_record"),
        DocumentKind("claim_dossier", c.ClaimDossier, "claims:claim_dossier"),
    )
}


def build_story(kind: str, content: Any) -> list[Flowable]:
    """The flowables of one document, before the page template; fresh on every call."""
    document_kind = KINDS[kind]
    if not isinstance(content, document_kind.content_type):
        raise TypeError(f"{kind} is built from {document_kind.content_type.__name__}, not {type(content).__name__}")
    return document_kind.builder(content)


def build_pdf(kind: str, content: Any) -> RenderedPdf:
    """The finished PDF of one document kind; the same content gives the same bytes."""
    from .layout import render

    document_kind = KINDS[kind]
    return render(
        title_zh=document_kind.title_zh,
        title_en=document_kind.title_en,
        meta=content.meta,
        story=build_story(kind, content),
    )


__all__ = ["KINDS", "DocumentKind", "build_pdf", "build_story"]
