"""Reach any state the way users do: by firing the real transitions through the services."""
from __future__ import annotations

from django.apps import apps
from django.forms.models import model_to_dict

from financing import services
from financing.models import AuditEntry, PledgeApplication
from tests.factories import ApplicationFactory, PatentFactory
from tests.financing.payloads import transition_payloads

# transition, and which of the world's users fires it
_MAIN = [
    ("submit", "applicant"),
    ("complete_valuation", "appraiser"),
    ("start_review", "officer"),
    ("recommend", "officer"),
    ("approve", "approver"),
    ("sign_contracts", "officer"),
    ("file_registration", "officer"),
    ("register", "registrar"),
    ("disburse", "officer"),
]

PATHS: dict[str, list[tuple[str, str]]] = {
    "draft": [],
    "submitted": _MAIN[:1],
    "valued": _MAIN[:2],
    "under_review": _MAIN[:3],
    "recommended": _MAIN[:4],
    "approved": _MAIN[:5],
    "rejected": _MAIN[:3] + [("reject", "officer")],
    "contracted": _MAIN[:6],
    "registration_filed": _MAIN[:7],
    "registered": _MAIN[:8],
    "registration_refused": _MAIN[:7] + [("refuse_registration", "registrar")],
    "disbursed": _MAIN[:9],
    "released": _MAIN[:9] + [("release", "registrar")],
    "defaulted": _MAIN[:9] + [("declare_default", "officer")],
    "disposed": _MAIN[:9] + [("declare_default", "officer"), ("dispose", "officer")],
    "withdrawn": [("submit", "applicant"), ("withdraw", "applicant")],
}


def payloads_for(application: PledgeApplication) -> dict[str, dict]:
    return transition_payloads([pp.patent.number for pp in application.pledged_patents.select_related("patent")])


def application_in(state: str, world, patents=None) -> PledgeApplication:
    """A fresh application of the world's enterprise to the world's bank, walked to `state`.

    Without `patents`, it pledges two new patents: a patent under a registered pledge cannot be
    pledged again, so fresh applications need fresh patents.
    """
    if patents is None:
        patents = [PatentFactory(owners=[world.enterprise]), PatentFactory(owners=[world.enterprise])]
    application = ApplicationFactory(
        enterprise=world.enterprise, bank=world.bank, created_by=world.applicant, patents=patents
    )
    payloads = payloads_for(application)
    for name, username in PATHS[state]:
        services.application_transition(
            application=application, name=name, by=getattr(world, username), payload=payloads[name]
        )
    assert application.state == state
    return PledgeApplication.objects.get(pk=application.pk)


_PROJECT_APPS = ("accounts", "patents", "financing", "valuation", "documents", "registration", "monitoring")


def database_fingerprint() -> dict:
    """Every row of the project's tables except the audit trail, to prove a refusal changed nothing."""
    snapshot = {}
    for app_label in _PROJECT_APPS:
        for model in apps.get_app_config(app_label).get_models():
            if model is AuditEntry:
                continue
            snapshot[model._meta.label] = [
                {k: v for k, v in model_to_dict(obj).items() if k not in ("updated_at",)}
                for obj in model.objects.order_by("pk")
            ]
    return snapshot
