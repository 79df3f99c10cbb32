"""E-mail: the people an application now awaits, and its applicant on every change of state; bilingual; opt-out."""
from __future__ import annotations

import pytest
from django.core import mail

from events import services
from events.models import EmailNotice, EmailPreference
from financing import services as financing
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def addresses(world):
    for user in (world.applicant, world.other_applicant, world.appraiser, world.officer, world.approver,
                 world.registrar, world.other_officer):
        user.email = f"{user.username}@example.test"
        user.save()


def mails_to(address: str) -> list:
    return [m for m in mail.outbox if address in m.to]


def test_submit_tells_the_appraiser_it_awaits_them_and_the_applicant_of_the_change(world, application, addresses,
                                                                                   committed):
    with committed():
        financing.application_submit(application=application, by=world.applicant)
    assert {tuple(m.to) for m in mail.outbox} == {("appraiser@example.test",), ("applicant@example.test",)}
    awaits = mails_to("appraiser@example.test")[0]
    assert "awaits you" in awaits.subject and "待您处理" in awaits.subject
    assert f"http://localhost:8000/applications/{application.pk}/" in awaits.body
    assert "Submitted" in awaits.body and "已提交" in awaits.body
    change = mails_to("applicant@example.test")[0]
    assert "is now" in change.subject and application.reference in change.subject
    assert f"/applications/{application.pk}/" in change.body
    # Nobody of another bank or enterprise hears of it.
    assert not mails_to("officer2@example.test") and not mails_to("applicant2@example.test")


def test_a_person_who_turned_email_off_is_not_told(world, application, addresses, committed):
    services.email_preference_set(user=world.appraiser, email_enabled=False)
    with committed():
        financing.application_submit(application=application, by=world.applicant)
    assert [m.to for m in mail.outbox] == [["applicant@example.test"]]


def test_turning_email_off_after_the_notice_was_made_still_holds(world, application, addresses, committed,
                                                                 monkeypatch):
    monkeypatch.setattr(services, "_enqueue_emails", lambda ids: None)  # the notices wait
    with committed():
        financing.application_submit(application=application, by=world.applicant)
    monkeypatch.undo()
    services.email_preference_set(user=world.appraiser, email_enabled=False)
    for notice in EmailNotice.objects.all():
        services.email_notice_send(notice_id=notice.pk)
    assert [m.to for m in mail.outbox] == [["applicant@example.test"]]
    assert EmailNotice.objects.get(recipient=world.appraiser).status == "skipped"


def test_a_person_without_an_address_gets_no_notice(world, application, committed):
    with committed():
        financing.application_submit(application=application, by=world.applicant)
    assert mail.outbox == [] and not EmailNotice.objects.exists()


def test_an_email_is_sent_once_however_often_its_task_runs(world, application, addresses, committed):
    with committed():
        financing.application_submit(application=application, by=world.applicant)
    sent = len(mail.outbox)
    for notice in EmailNotice.objects.all():
        services.email_notice_send(notice_id=notice.pk)
    assert len(mail.outbox) == sent == 2


def test_a_mail_server_that_refuses_is_tried_again(world, application, addresses, committed, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 1  # nobody listens
    with committed():
        financing.application_submit(application=application, by=world.applicant)
    notices = EmailNotice.objects.all()
    assert notices and all(n.status == "pending" and n.attempts == 1 and n.last_error for n in notices)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    import time_machine

    with time_machine.travel(max(n.next_attempt_at for n in notices)):
        with committed():
            services.events_redeliver_due()
    assert {n.status for n in EmailNotice.objects.all()} == {"sent"}
    assert len(mail.outbox) == 2


def test_the_approver_is_told_when_terms_are_recommended(world, application, addresses, walk, committed):
    walk(application, "submit", "complete_valuation", "start_review")
    mail.outbox.clear()
    walk(application, "recommend")
    assert {m.to[0] for m in mail.outbox} == {"approver@example.test", "applicant@example.test"}


def test_the_home_page_toggles_email(world, client):
    client.force_login(world.officer)
    page = client.get("/")
    assert b'name="email_enabled"' in page.content
    response = client.post("/settings/email/", {"email_enabled": "off"})
    assert response.status_code == 302
    assert EmailPreference.objects.get(user=world.officer).email_enabled is False
    client.post("/settings/email/", {"email_enabled": "on"})
    assert EmailPreference.objects.get(user=world.officer).email_enabled is True
