"""Reach any state the way users do: by firing the real transitions through the services."""
from __future__ import annotations

from django.apps import apps
from django.forms.models import model_to_dict

from financing import inputs, services
from financing.lifecycle import PATHS
from financing.models import AuditEntry, PledgeApplication
from tests.factories import ApplicationFactory, PatentFactory
from tests.financing.payloads import transition_payloads, transition_values

def _numbers(application: PledgeApplication) -> list[str]:
    return [pp.patent.number for pp in application.pledged_patents.select_related("patent")]


def payloads_for(application: PledgeApplication) -> dict[str, dict]:
    """Each transition's payload as a client sends it (JSON)."""
    return transition_payloads(_numbers(application))


def values_for(application: PledgeApplication) -> dict[str, dict]:
    """Each transition's service arguments (Python values)."""
    return transition_values(_numbers(application))


def fire(*, application: PledgeApplication, name: str, by, payload: dict | None = None) -> PledgeApplication:
    """Fire `name` from a client's payload exactly as the API does: checks, validation, typed service."""
    return services.application_transition(
        application=application, name=name, by=by, payload=payload or {}, validate=inputs.transition_values
    )


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
    values = values_for(application)
    for name, username in PATHS[state]:
        services.TRANSITIONS[name](application=application, by=getattr(world, username), **values[name])
    assert application.state == state
    return PledgeApplication.objects.get(pk=application.pk)


def both_sides_signed(application: PledgeApplication, world) -> PledgeApplication:
    """Both the applicant and the bank's officer sign the filing particulars, so either may file."""
    for who in (world.applicant, world.officer):
        services.application_sign_filing(application=application, by=who)
    return application


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
