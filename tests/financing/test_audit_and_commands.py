"""The audit trail is append-only; the demo commands work and are idempotent; the admin is read-only."""
from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.management import call_command
from pypdf import PdfReader

from accounts.models import User
from financing.models import AuditEntry, PledgeApplication
from tests.financing.states import application_in, database_fingerprint

pytestmark = pytest.mark.django_db


def test_audit_entries_cannot_be_updated_or_deleted(world):
    application = application_in("submitted", world)
    entry = application.audit_entries.get()
    entry.message = "rewritten"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(message="x")
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.get(pk=entry.pk).message == ""


@pytest.mark.parametrize("statement", [
    "UPDATE financing_auditentry SET message = 'x'",
    "DELETE FROM financing_auditentry",
])
def test_the_database_itself_refuses_to_rewrite_the_audit_trail(world, statement):
    """Raw SQL by the service's own database user, past every Python guard: the trigger refuses it."""
    from django.db import DatabaseError, connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger is PostgreSQL's (pgtrigger installs nothing on SQLite)")
    application = application_in("submitted", world)
    with pytest.raises(DatabaseError, match="Cannot update or delete rows"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    entry = application.audit_entries.get()
    assert entry.message == ""


def test_seed_demo_twice_changes_nothing():
    out = io.StringIO()
    call_command("seed_demo", "--password", "s3cret-demo", stdout=out)
    assert "applicant2" in out.getvalue() and "s3cret-demo" in out.getvalue()
    first = database_fingerprint()
    call_command("seed_demo", "--password", "s3cret-demo", stdout=io.StringIO())
    assert database_fingerprint() == first
    for username in ("applicant", "applicant2", "appraiser", "officer", "approver", "registrar", "admin"):
        assert User.objects.get(username=username).check_password("s3cret-demo")
    assert User.objects.get(username="admin").is_superuser


@pytest.mark.django_db(transaction=True)
def test_run_demo_lifecycle_prints_each_transition_and_ends_released(tmp_path, time_machine):
    # The demo values its patents on the day it runs and the cap falls as their terms run down:
    # the figure below is the cap on 21 November 2026, so the clock is pinned to that day (ticking,
    # so the transitions' timestamps still advance).
    time_machine.move_to(dt.datetime(2026, 11, 21, 12, 0, tzinfo=ZoneInfo(settings.TIME_ZONE)), tick=True)
    # Real commits, as when the command runs: documents are queued after each transition commits.
    out = io.StringIO()
    call_command("run_demo_lifecycle", "--out", str(tmp_path), stdout=out)
    lines = out.getvalue().splitlines()
    transitions = [line.split()[0] for line in lines[1:] if "->" in line]
    assert transitions == [
        "submit", "complete_valuation", "start_review", "recommend", "approve", "sign_contracts",
        "sign_filing", "file_registration", "request_correction", "sign_filing", "file_registration", "register",
        "disburse", "record_change", "apply_cancellation", "release",
        # The US pledge: recorded at the USPTO with reel and frame, then released.
        "submit", "complete_valuation", "start_review", "recommend", "approve", "sign_contracts",
        "sign_filing", "file_registration", "register", "disburse", "apply_cancellation", "release",
    ]
    assert out.getvalue().count("ended in released") == 2
    cn, us = PledgeApplication.objects.order_by("id")
    assert (cn.state, cn.currency, us.state, us.currency) == ("released", "CNY", "released", "USD")
    recorded = us.filings.get()
    assert (recorded.reel, recorded.frame) == (68123, 456)
    us_pdfs = sorted(p.name.split("-", 2)[-1] for p in (tmp_path / "us").glob("*.pdf"))
    for kind in ("us_recordation_cover_sheet", "us_notice_of_recordation", "us_release_cover_sheet"):
        assert f"{kind}.pdf" in us_pdfs, us_pdfs
    assert not any("registration_notice" in name for name in us_pdfs)
    pdfs = sorted(p.name for p in tmp_path.glob("*.pdf"))
    assert len(pdfs) == 12 and pdfs[0] == "01-submitted-application_form.pdf"
    report = PdfReader(str(next(tmp_path.glob("*valuation_report.pdf"))))
    text = " ".join(page.extract_text() for page in report.pages)
    # The firm signs for the appraiser, in both languages; the cap is the valuation's.
    for expected in ("Demo Asset Appraisal Co., Ltd.", "示范资产评估有限公司", "Min Zhou", "6,387,956.34"):
        assert expected in text
    # Run again: the released pledge freed its patents, so a second walk works too.
    call_command("run_demo_lifecycle", "--out", str(tmp_path), stdout=io.StringIO())
    assert PledgeApplication.objects.filter(state="released").count() == 4


def test_admin_shows_state_read_only(client, world):
    application = application_in("submitted", world)
    client.force_login(world.admin)
    page = client.get(f"/admin/financing/pledgeapplication/{application.pk}/change/")
    assert page.status_code == 200
    assert b'name="state"' not in page.content  # shown, not editable
    assert b"submitted" in page.content
    assert client.get("/admin/financing/auditentry/").status_code == 200
    assert client.get("/admin/financing/pledgeapplication/add/").status_code == 403
