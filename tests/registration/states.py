"""Registration states for tests: applications contracted, filed or registered through the real services."""
from __future__ import annotations

import datetime as dt

from django.utils import timezone

from accounts.roles import APPLICANT, role_of
from financing.models import State
from tests.financing.states import fire
from patents.terms import add_years
from tests.factories import ApplicationFactory, LoanTermsFactory, PatentFactory, UserFactory


def clean_patent(owners, **fields):
    """A granted CN invention in force, fees paid, owned by `owners`: no ground applies to it."""
    return PatentFactory(owners=list(owners), **fields)


def utility_model_expiring_in(days: int, owners, **fields):
    """A CN utility model (10-year term) whose last day of protection is `days` from today."""
    today = timezone.localdate()
    filing_date = add_years(today + dt.timedelta(days=days + 1), -10)
    return PatentFactory(
        owners=list(owners), kind="utility_model", filing_date=filing_date,
        grant_date=filing_date + dt.timedelta(days=200), **fields
    )


def contracted_application(world, patents=None, *, terms: bool = True, enterprise=None, bank=None, **terms_fields):
    """An application with signed contracts, ready to be filed for registration."""
    enterprise = enterprise or world.enterprise
    if patents is None:
        patents = [clean_patent([enterprise])]
    application = ApplicationFactory(
        state=State.CONTRACTED,
        enterprise=enterprise,
        bank=bank or world.bank,
        created_by=world.applicant,
        patents=patents,
    )
    if terms:
        fields = {
            "recommended_by": world.officer,
            "approved_by": world.approver,
            "approved_at": timezone.now(),
            "signed_on": timezone.localdate(),
            "term_months": 12,
            **terms_fields,
        }
        LoanTermsFactory(application=application, **fields)
    return application


def filed_application(world, patents=None, *, acknowledged=(), by=None, **kwargs):
    """An application in registration_filed, filed through the transition service."""
    application = contracted_application(world, patents, **kwargs)
    filer = by or world.applicant
    # The filing is joint: the other side signs the particulars first.
    other = world.officer if role_of(filer) == APPLICANT else world.applicant
    fire(application=application, name="sign_filing", by=other, payload={})
    fire(
        application=application,
        name="file_registration",
        by=filer,
        payload={"acknowledged": list(acknowledged)},
    )
    return application


def registered_application(world, patents=None, **kwargs):
    application = filed_application(world, patents, **kwargs)
    fire(application=application, name="register", by=world.registrar, payload={})
    return application


def fresh(application):
    """The application as the database holds it now (a new object, not a stale one)."""
    return type(application).objects.get(pk=application.pk)


def another_registrar():
    return UserFactory(role="registrar")


def post(api, user, application, name, payload=None):
    """Fire transition `name` over the API as `user`: the client's request, with its checks and answer."""
    return api(user).post(f"/api/v1/applications/{application.pk}/transitions/{name}/", payload or {}, format="json")
