"""Registration services against the database: filing, pre-check, register/refuse, changes, cancellation."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from core.errors import Conflict, PermissionRefused, ValidationFailed
from financing.models import AuditEntry, State
from tests.financing.states import fire as fire_transition
from registration import refusals, deadlines, services
from registration.models import FiledPatent, Filing, RegistrationChange, RegistrationNumberCounter
from tests.factories import EnterpriseFactory, PatentFactory
from tests.registration.states import (
    clean_patent,
    contracted_application,
    filed_application,
    fresh,
    registered_application,
    utility_model_expiring_in,
)

pytestmark = pytest.mark.django_db


def fire(application, name, user, payload=None):
    return fire_transition(application=application, name=name, by=user, payload=payload or {})


# --- filing ---------------------------------------------------------------------------------


def test_filing_copies_the_particulars_and_starts_the_clock(world):
    patents = [clean_patent([world.enterprise]), clean_patent([world.enterprise])]
    application = filed_application(world, patents, acknowledged=["INVALIDATION_PENDING"])
    filing = application.filings.get()
    terms = application.terms
    today = timezone.localdate()
    assert filing.status == Filing.Status.PENDING
    assert filing.sequence == 1
    assert filing.pledgor == world.enterprise and filing.pledgor_name == world.enterprise.name
    assert filing.pledgee == world.bank and filing.pledgee_name == world.bank.name
    assert (filing.debt_kind, filing.debt_amount, filing.debt_currency) == ("loan", terms.amount, "CNY")
    assert (filing.term_start, filing.term_end) == (terms.signed_on, terms.maturity_date)
    assert filing.acknowledged == ["INVALIDATION_PENDING"]
    assert filing.deadline == deadlines.filing_deadline(today, working_days=5)
    assert [fp.patent for fp in filing.filed_patents.order_by("id")] == patents
    assert not any(fp.registered for fp in filing.filed_patents.all())


def test_deadline_skips_configured_holidays(world, settings, monkeypatch):
    monday = dt.date(2026, 9, 28)
    monkeypatch.setattr(services.timezone, "localdate", lambda *a: monday)
    settings.PLEDGEFLOW_HOLIDAYS = ["2026-10-01", "2026-10-02"]
    filing = filed_application(world).filings.get()
    # Tue 29, Wed 30, (Thu 1 and Fri 2 off), Mon 5, Tue 6, Wed 7
    assert filing.deadline == dt.date(2026, 10, 7)


def test_unknown_acknowledgement_is_refused(world):
    application = contracted_application(world)
    with pytest.raises(ValidationFailed):
        services.filing_create(application=application, by=world.applicant, acknowledged=["OWNERSHIP_FROZEN"])
    assert not Filing.objects.exists()


# --- the pre-check against the register -------------------------------------------------------


def _make(world, code):
    """A filed application whose register data triggers exactly `code`."""
    enterprise = world.enterprise
    today = timezone.localdate()
    if code == "PLEDGOR_NOT_OWNER":
        patent = clean_patent([enterprise])
        application = filed_application(world, [patent])
        patent.owners.set([EnterpriseFactory()])
        return application
    if code == "CO_OWNER_CONSENT_MISSING":
        return filed_application(world, [clean_patent([enterprise, EnterpriseFactory()])])
    if code == "ALREADY_PLEDGED":
        patent = clean_patent([enterprise])
        registered_application(world, [patent])
        return filed_application(world, [patent])
    if code == "CONTRACT_INCOMPLETE":
        return filed_application(world, terms=False)
    if code == "TERM_EXCEEDS_PATENT":
        return filed_application(world, [utility_model_expiring_in(100, [enterprise])])
    fields = {
        "PATENT_NOT_IN_FORCE": {"status": "lapsed"},
        "NOT_GRANTED": {"grant_date": None},
        "ANNUAL_FEE_UNPAID": {"annual_fee_paid_until": today - dt.timedelta(days=40)},
        "OWNERSHIP_FROZEN": {"ownership_frozen": True},
        "INVALIDATION_PENDING": {"invalidation_pending": True},
    }.get(code)
    if code == "SAME_DAY_TWIN":
        return filed_application(world, [utility_model_expiring_in(3000, [enterprise], same_day_twin=True)])
    return filed_application(world, [clean_patent([enterprise], **fields)])


FOUND_BY_PRECHECK = [code for code in refusals.GROUND_CODES if code not in refusals.REGISTRAR_ONLY]


@pytest.mark.parametrize("code", FOUND_BY_PRECHECK)
def test_each_ground_from_the_register_alone(world, code):
    application = _make(world, code)
    filing = application.filings.get(status=Filing.Status.PENDING)
    grounds = services.filing_precheck(filing=filing)
    assert [g.code for g in grounds] == [code]


@pytest.mark.parametrize("code", FOUND_BY_PRECHECK)
def test_register_refuses_with_409_and_writes_nothing(world, code):
    application = _make(world, code)
    counters = list(RegistrationNumberCounter.objects.values_list("year", "last"))
    with pytest.raises(Conflict) as caught:
        fire(application, "register", world.registrar)
    error = caught.value
    assert error.code == "registration_refused"
    assert [g["code"] for g in error.details["grounds"]] == [code]
    assert error.details["grounds"][0]["evidence"] is not None
    application = fresh(application)
    assert application.state == State.REGISTRATION_FILED
    filing = application.filings.get(status=Filing.Status.PENDING)
    assert filing.registration_number is None and filing.decided_at is None
    assert list(RegistrationNumberCounter.objects.values_list("year", "last")) == counters
    refused = AuditEntry.objects.filter(application=application, transition="register").get()
    assert refused.outcome == "refused" and refused.error_code == "registration_refused"


@pytest.mark.parametrize("code", ["SAME_DAY_TWIN", "INVALIDATION_PENDING"])
def test_acknowledged_risks_register(world, code):
    patent = (
        utility_model_expiring_in(3000, [world.enterprise], same_day_twin=True)
        if code == "SAME_DAY_TWIN"
        else clean_patent([world.enterprise], invalidation_pending=True)
    )
    application = filed_application(world, [patent], acknowledged=[code])
    fire(application, "register", world.registrar)
    assert application.state == State.REGISTERED


def test_one_filing_with_several_grounds_names_them_all(world):
    other = EnterpriseFactory()
    frozen = clean_patent([world.enterprise], ownership_frozen=True, invalidation_pending=True)
    lapsed = clean_patent([world.enterprise, other], status="lapsed", grant_date=None)
    application = filed_application(world, [frozen, lapsed], terms=False)
    with pytest.raises(Conflict) as caught:
        fire(application, "register", world.registrar)
    found = [(g["code"], g["patent"]) for g in caught.value.details["grounds"]]
    assert found == [
        ("PATENT_NOT_IN_FORCE", lapsed.number),
        ("NOT_GRANTED", lapsed.number),
        ("OWNERSHIP_FROZEN", frozen.number),
        ("CONTRACT_INCOMPLETE", None),
        ("CO_OWNER_CONSENT_MISSING", lapsed.number),
        ("INVALIDATION_PENDING", frozen.number),
    ]


def test_co_owner_consent_recorded_on_the_application_clears_the_ground(world):
    patent = clean_patent([world.enterprise, EnterpriseFactory()])
    application = contracted_application(world, [patent])
    application.pledged_patents.update(co_owner_consent=True)
    fire(application, "sign_filing", world.officer)
    fire(application, "file_registration", world.applicant, {"acknowledged": []})
    fire(application, "register", world.registrar)
    assert application.state == State.REGISTERED


# --- registering --------------------------------------------------------------------------------


def test_register_issues_a_number_and_stores_the_precheck(world):
    application = filed_application(world)
    fire(application, "register", world.registrar)
    filing = application.filings.get()
    today = timezone.localdate()
    assert filing.status == Filing.Status.REGISTERED
    assert filing.registration_number == f"PR-{today.year}-000001"
    assert filing.registered_on == today
    assert filing.decided_by == world.registrar
    assert filing.precheck == {"checked_on": today.isoformat(), "grounds": []}
    assert all(fp.registered for fp in filing.filed_patents.all())


def test_registration_numbers_run_on_and_never_come_back(world):
    first = registered_application(world).filings.get()
    second_app = registered_application(world)
    second = second_app.filings.get()
    year = timezone.localdate().year
    assert (first.registration_number, second.registration_number) == (f"PR-{year}-000001", f"PR-{year}-000002")
    # A registration rolled back never showed its number; the counter does not move for it.
    with pytest.raises(RuntimeError), transaction.atomic():
        services.registration_number_issue(on=timezone.localdate())
        raise RuntimeError("registration failed after the number was drawn")
    # Cancelled registrations keep their numbers; the next one is new.
    fire(second_app, "disburse", world.officer, {"disbursed_on": timezone.localdate().isoformat()})
    fire(second_app, "apply_cancellation", world.officer, {"ground": "debt_discharged", "repaid_on": timezone.localdate().isoformat()})
    fire(second_app, "release", world.registrar, {"effective_on": timezone.localdate().isoformat()})
    third = registered_application(world).filings.get()
    assert third.registration_number == f"PR-{year}-000003"
    assert services.registration_number_issue(on=dt.date(year + 1, 1, 4)) == f"PR-{year + 1}-000001"


def test_a_decided_filing_is_never_edited_or_deleted(world):
    filing = registered_application(world).filings.get()
    filing.debt_amount = Decimal("1.00")
    with pytest.raises(PermissionError):
        filing.save()
    filing.refresh_from_db()
    with pytest.raises(PermissionError):
        filing.delete()
    filing.pledgor_name = "Renamed"
    with pytest.raises(PermissionError):
        filing.save()


def test_the_filing_lifecycle_is_the_declared_transitions_only(world):
    filing = registered_application(world).filings.get()
    with pytest.raises(AttributeError):
        filing.status = Filing.Status.PENDING  # protected: only a transition moves it
    with pytest.raises(TransitionNotAllowed):
        filing.refuse(by=world.registrar, grounds=[], precheck={}, note="")
    with pytest.raises(Conflict) as caught:
        services.filing_refuse(application=filing.application, by=world.registrar, grounds=["NOT_GRANTED"], note="")
    assert caught.value.code == "no_pending_filing"
    assert fresh_filing(filing).status == Filing.Status.REGISTERED


def test_a_stale_filing_cannot_be_decided_twice(world):
    application = filed_application(world)
    stale = application.filings.get()
    services.filing_register(application=application, by=world.registrar)
    stale.refuse(by=world.registrar, grounds=[], precheck={}, note="")  # in memory, from the stale pending state
    with pytest.raises(ConcurrentTransition), transaction.atomic():
        stale.save(update_fields=["status", "decided_by", "decided_at", "grounds", "precheck", "note"])
    assert fresh_filing(stale).status == Filing.Status.REGISTERED


def fresh_filing(filing):
    return Filing.objects.get(pk=filing.pk)


def test_two_filings_of_one_patent_stale_objects_second_is_already_pledged(world):
    """Both filings loaded before either is registered: the second registrar's attempt finds the first."""
    patent = clean_patent([world.enterprise])
    first = filed_application(world, [patent])
    second = filed_application(world, [patent], bank=world.other_bank)
    first_stale, second_stale = fresh(first), fresh(second)

    fire(first_stale, "register", world.registrar)
    with pytest.raises(Conflict) as caught:
        fire(second_stale, "register", world.registrar)

    grounds = caught.value.details["grounds"]
    registration_number = first.filings.get().registration_number
    assert [(g["code"], g["patent"]) for g in grounds] == [("ALREADY_PLEDGED", patent.number)]
    assert grounds[0]["evidence"] == {"registrations": [registration_number]}
    assert fresh(first).state == State.REGISTERED
    assert fresh(second).state == State.REGISTRATION_FILED
    assert FiledPatent.objects.filter(patent=patent, registered=True).count() == 1


def test_the_database_refuses_a_second_registered_pledge_of_a_patent(world):
    patent = clean_patent([world.enterprise])
    registered_application(world, [patent])
    second = filed_application(world, [patent]).filings.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        FiledPatent.objects.filter(filing=second).update(registered=True)


def test_if_the_check_missed_a_race_the_constraint_still_refuses(world, monkeypatch):
    """Simulates the pre-check of the loser running before the winner committed."""
    patent = clean_patent([world.enterprise])
    registered_application(world, [patent])
    second = filed_application(world, [patent])
    real = services.filing_precheck
    calls = []

    def blind_first_time(*, filing, on=None):
        calls.append(1)
        return [] if len(calls) == 1 else real(filing=filing, on=on)

    monkeypatch.setattr(services, "filing_precheck", blind_first_time)
    with pytest.raises(Conflict) as caught:
        fire(second, "register", world.registrar)
    assert caught.value.code == "registration_refused"
    assert [g["code"] for g in caught.value.details["grounds"]] == ["ALREADY_PLEDGED"]
    assert fresh(second).state == State.REGISTRATION_FILED


def test_a_patent_is_free_again_once_its_pledge_is_cancelled(world):
    patent = clean_patent([world.enterprise])
    first = registered_application(world, [patent])
    second = filed_application(world, [patent], bank=world.other_bank)
    with pytest.raises(Conflict):
        fire(second, "register", world.registrar)
    today = timezone.localdate().isoformat()
    fire(first, "disburse", world.officer, {"disbursed_on": today})
    fire(first, "apply_cancellation", world.officer, {"ground": "debt_discharged", "repaid_on": today})
    fire(first, "release", world.registrar, {"effective_on": today})
    second = fresh(second)
    fire(second, "register", world.registrar)
    assert second.state == State.REGISTERED
    assert first.filings.get().status == Filing.Status.CANCELLED


# --- refusing -----------------------------------------------------------------------------------


def test_refusal_names_the_registrars_grounds_and_every_ground_found(world):
    application = filed_application(world, [clean_patent([world.enterprise], ownership_frozen=True)])
    fire(application, "refuse_registration", world.registrar, {"grounds": ["CONTRACT_INCOMPLETE"], "note": "no list"})
    filing = application.filings.get()
    assert application.state == State.REGISTRATION_REFUSED
    assert filing.status == Filing.Status.REFUSED
    assert [(g["code"], g["source"]) for g in filing.grounds] == [
        ("OWNERSHIP_FROZEN", "precheck"),
        ("CONTRACT_INCOMPLETE", "registrar"),
    ]
    assert filing.grounds[0]["evidence"] == {"ownership_frozen": True}
    assert [g["code"] for g in filing.precheck["grounds"]] == ["OWNERSHIP_FROZEN"]
    assert filing.note == "no list"
    assert filing.registration_number is None


def test_refusal_with_an_unknown_ground_is_400(world):
    application = filed_application(world)
    with pytest.raises(ValidationFailed):
        fire(application, "refuse_registration", world.registrar, {"grounds": ["TOO_EXPENSIVE"]})
    assert fresh(application).state == State.REGISTRATION_FILED


def test_refiled_after_refusal_is_a_new_filing(world):
    patent = clean_patent([world.enterprise], ownership_frozen=True)
    application = filed_application(world, [patent])
    fire(application, "refuse_registration", world.registrar, {"grounds": ["OWNERSHIP_FROZEN"]})
    patent.ownership_frozen = False
    patent.save()
    fire(application, "sign_filing", world.applicant)
    fire(application, "file_registration", world.officer, {"acknowledged": []})
    fire(application, "register", world.registrar)
    first, second = application.filings.order_by("sequence")
    assert (first.status, second.status) == (Filing.Status.REFUSED, Filing.Status.REGISTERED)
    assert second.sequence == 2


# --- changes and cancellation ------------------------------------------------------------------


def test_record_change_is_a_new_row_and_leaves_the_registration_alone(world):
    application = registered_application(world)
    filing = application.filings.get()
    before = Filing.objects.values().get(pk=filing.pk)
    fire(
        application,
        "record_change",
        world.registrar,
        {"changes": {"amount": "2500000.00", "pledgor_name": "Renamed Co."}, "note": "prepaid"},
    )
    assert Filing.objects.values().get(pk=filing.pk) == before
    change = RegistrationChange.objects.get(filing=filing)
    assert change.changes == {"debt_amount": "2500000.00", "pledgor_name": "Renamed Co."}
    assert change.previous == {"debt_amount": str(filing.debt_amount), "pledgor_name": filing.pledgor_name}
    assert services.registration_particulars(filing)["debt_amount"] == "2500000.00"
    with pytest.raises(PermissionError):
        change.delete()


def test_a_longer_term_past_a_patents_expiry_is_refused(world):
    patent = utility_model_expiring_in(500, [world.enterprise])
    application = registered_application(world, [patent])
    past_expiry = (timezone.localdate() + dt.timedelta(days=520)).isoformat()
    with pytest.raises(Conflict) as caught:
        fire(application, "record_change", world.registrar, {"changes": {"term_end": past_expiry}})
    assert caught.value.code == "change_refused"
    assert [g["code"] for g in caught.value.details["grounds"]] == ["TERM_EXCEEDS_PATENT"]
    assert not RegistrationChange.objects.exists()
    within = (timezone.localdate() + dt.timedelta(days=480)).isoformat()
    fire(application, "record_change", world.registrar, {"changes": {"term_end": within}})
    assert RegistrationChange.objects.get().changes == {"term_end": within}


@pytest.mark.parametrize(
    "changes",
    [{"rate": "0.05"}, {}, {"amount": "-1"}, {"term_end": "soon"}, {"debt_currency": "yuan"}],
)
def test_bad_changes_are_400(world, changes):
    application = registered_application(world)
    with pytest.raises(ValidationFailed):
        fire(application, "record_change", world.registrar, {"changes": changes})
    assert not RegistrationChange.objects.exists()


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"rate": Decimal("0.05")},
        {"amount": Decimal("2500000.00")},  # the API's alias; the service takes the item's own name
        {"debt_amount": "2500000.00"},  # not validated: a string, not a Decimal
        {"debt_amount": Decimal("-1")},
        {"term_end": "2027-06-30"},
        {"pledgor_name": 42},
    ],
)
def test_the_service_refuses_what_no_registered_pledge_has_whoever_calls(world, changes):
    application = registered_application(world)
    with pytest.raises(ValidationFailed):
        services.registration_change_record(application=application, by=world.registrar, changes=changes, note="")
    assert not RegistrationChange.objects.exists()


def test_a_change_that_changes_nothing_is_400(world):
    application = registered_application(world)
    amount = application.filings.get().debt_amount
    with pytest.raises(ValidationFailed):
        services.registration_change_record(
            application=application, by=world.registrar, changes={"debt_amount": amount}, note=""
        )


def test_release_cancels_by_a_new_row(world):
    application = registered_application(world)
    today = timezone.localdate()
    fire(application, "disburse", world.officer, {"disbursed_on": today.isoformat()})
    fire(application, "apply_cancellation", world.officer, {"ground": "debt_discharged", "repaid_on": today.isoformat()})
    fire(application, "release", world.registrar, {"effective_on": today.isoformat()})
    filing = application.filings.get()
    assert (filing.status, filing.cancelled_on, filing.cancelled_by) == (
        Filing.Status.CANCELLED, today, world.registrar
    )
    assert filing.registration_number  # kept
    cancellation = filing.changes.get()
    assert cancellation.kind == "cancellation" and cancellation.effective_on == today
    assert not FiledPatent.objects.filter(registered=True).exists()


def test_cancel_without_a_registration_is_409(world):
    application = filed_application(world)
    with pytest.raises(Conflict):
        services.registration_cancel(application=application, by=world.registrar, on=timezone.localdate())


# --- UCC-1 --------------------------------------------------------------------------------------


def us_patent(owners):
    return PatentFactory(
        owners=list(owners), jurisdiction="US", number="US10123456B2", filing_date=dt.date(2016, 5, 2),
        grant_date=dt.date(2018, 11, 13),
    )


def test_ucc1_recorded_by_the_lending_officer(world):
    filing = filed_application(world, [us_patent([world.enterprise])]).filings.get()
    ucc = services.ucc_filing_record(
        filing=filing, by=world.officer, state="DE", file_number="2026 1234567", filed_on=dt.date(2026, 1, 5)
    )
    assert (ucc.state, ucc.file_number, ucc.filed_on) == ("DE", "2026 1234567", dt.date(2026, 1, 5))
    with pytest.raises(Conflict):
        services.ucc_filing_record(filing=filing, by=world.officer, state="DE", file_number="2026 1234567")


def test_ucc1_refused_for_wrong_people_and_for_china_only(world):
    us_filing = filed_application(world, [us_patent([world.enterprise])]).filings.get()
    with pytest.raises(PermissionRefused):
        services.ucc_filing_record(filing=us_filing, by=world.registrar, state="DE", file_number="1")
    with pytest.raises(ValidationFailed):
        services.ucc_filing_record(filing=us_filing, by=world.officer, state="ZZ", file_number="1")
    cn_filing = filed_application(world).filings.get()
    with pytest.raises(Conflict) as caught:
        services.ucc_filing_record(filing=cn_filing, by=world.officer, state="DE", file_number="1")
    assert caught.value.code == "no_us_patents"


def test_filing_create_takes_the_ucc1_with_it(world):
    application = contracted_application(world, [us_patent([world.enterprise])])
    services.filing_sign(application=application, by=world.applicant)
    filing = services.filing_create(
        application=application, by=world.officer, acknowledged=[], ucc1_state="NY", ucc1_file_number="202601050001"
    )
    assert [(u.state, u.file_number) for u in filing.ucc_filings.all()] == [("NY", "202601050001")]


# --- two registrars at the same moment, on PostgreSQL ---------------------------------------------

ON_POSTGRESQL = __import__("os").environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


@pytest.mark.skipif(not ON_POSTGRESQL, reason="row locks need PostgreSQL (DATABASE_URL); SQLite serialises writers")
@pytest.mark.django_db(transaction=True)
def test_two_registrars_register_one_patent_at_once(world):
    import threading

    from django.db import connection

    from financing.models import PledgeApplication

    patent = clean_patent([world.enterprise])
    first = filed_application(world, [patent])
    second = filed_application(world, [patent], bank=world.other_bank)
    start = threading.Barrier(2)
    outcomes: dict[int, object] = {}

    def register(application_id: int) -> None:
        try:
            application = PledgeApplication.objects.get(pk=application_id)
            start.wait(timeout=30)
            fire(application, "register", world.registrar)
            outcomes[application_id] = "registered"
        except Conflict as error:
            outcomes[application_id] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(a.pk,)) for a in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(map(str, outcomes.values())).count("registered") == 1, outcomes
    [refused] = [o for o in outcomes.values() if isinstance(o, Conflict)]
    assert refused.code == "registration_refused"
    assert [g["code"] for g in refused.details["grounds"]] == ["ALREADY_PLEDGED"]
    assert FiledPatent.objects.filter(patent=patent, registered=True).count() == 1
    states = sorted(PledgeApplication.objects.filter(pk__in=[first.pk, second.pk]).values_list("state", flat=True))
    assert states == [State.REGISTERED, State.REGISTRATION_FILED]


# --- what the US cover sheets are built from -------------------------------------------------------


def test_us_cover_sheets_security_agreement_then_release(world):
    from registration.selectors import us_cover_sheet

    cn = clean_patent([world.enterprise])
    us = us_patent([world.enterprise])
    application = registered_application(world, [cn, us])
    filing = application.filings.get()
    services.ucc_filing_record(filing=filing, by=world.officer, state="CA", file_number="U2026-77")

    sheet = us_cover_sheet(filing)
    assert sheet["nature_of_conveyance"] == "Security Agreement"
    assert sheet["patent_numbers"] == ["US10123456B2"]  # the CN patent goes to the CN form
    assert sheet["conveying_party"]["name"] == world.enterprise.name
    assert sheet["receiving_party"]["name"] == world.bank.name
    assert sheet["execution_date"] == application.terms.signed_on
    assert sheet["ucc_filings"] == [{"state": "CA", "file_number": "U2026-77", "filed_on": None}]

    fire(application, "record_change", world.registrar, {"changes": {"pledgee_name": "Merged Bank"}})
    today = timezone.localdate()
    fire(application, "disburse", world.officer, {"disbursed_on": today.isoformat()})
    fire(application, "apply_cancellation", world.officer, {"ground": "debt_discharged", "repaid_on": today.isoformat()})
    fire(application, "release", world.registrar, {"effective_on": today.isoformat()})
    release = us_cover_sheet(fresh(application).filings.get(), release=True)
    assert release["nature_of_conveyance"] == "Release by Secured Party"
    assert release["conveying_party"]["name"] == "Merged Bank"
    assert release["receiving_party"]["name"] == world.enterprise.name
    assert release["execution_date"] == today


def test_no_us_cover_sheet_for_a_chinese_pledge(world):
    from registration.selectors import us_cover_sheet

    assert us_cover_sheet(registered_application(world).filings.get()) is None
