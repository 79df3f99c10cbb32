"""Documents services against the database: queued after commit, idempotent, failing visibly, retried, exported."""
from __future__ import annotations

import hashlib
import io

import pypdf
import pytest
from django.core.management import call_command

from core.errors import Conflict, PermissionRefused
from documents import services
from documents.assembly import kinds_for
from documents.models import Document
from documents.tasks import document_generate as document_generate_task
from financing.models import AuditEntry
from tests.documents.conftest import TO_CONTRACTED
from tests.documents.reading import pdf_text, stored_bytes
from tests.factories import PatentFactory

pytestmark = pytest.mark.django_db


def test_documents_are_rows_of_the_transition_and_only_their_queueing_waits_for_the_commit(
    world, application, django_capture_on_commit_callbacks
):
    from financing import services as financing

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        financing.application_submit(application=application, by=world.applicant)
    # Written by the transition itself, keyed on the audit entry it wrote, with its content gathered.
    document = Document.objects.get()
    entry = AuditEntry.objects.get(application=application, transition="submit", outcome="succeeded")
    assert document.audit_entry == entry
    assert (document.kind, document.stage, document.transition) == ("application_form", "submitted", "submit")
    assert document.status == Document.Status.PENDING and document.content is not None and document.attempts == 0
    assert len(callbacks) == 2, "two after-commit callbacks: the documents' queueing and the outbox's dispatch"
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    document = Document.objects.get()
    assert document.status == Document.Status.READY and document.attempts == 1
    content = stored_bytes(document)
    assert hashlib.sha256(content).hexdigest() == document.sha256
    assert len(pypdf.PdfReader(io.BytesIO(content)).pages) == document.page_count
    assert document.size == len(content)


def test_a_transition_that_rolls_back_leaves_no_document(world, application, monkeypatch):
    """The rows live and die with the transition: a failure after them undoes them too."""
    from financing import services as financing

    real_create = services.documents_create

    def create_then_fail(**kwargs):
        real_create(**kwargs)
        raise RuntimeError("the database went away")

    monkeypatch.setattr(financing, "documents_create", create_then_fail)
    with pytest.raises(RuntimeError):
        financing.application_submit(application=application, by=world.applicant)
    application.refresh_from_db()
    assert application.state == "draft"
    assert not Document.objects.exists()
    assert not AuditEntry.objects.filter(outcome="succeeded").exists()


def test_creating_twice_for_one_entry_and_running_the_task_twice_make_one_document_built_once(
    world, application, walk
):
    walk(application, "submit")
    document = Document.objects.get()
    assert services.documents_create(application=application, audit_entry=document.audit_entry) == []
    document_generate_task.apply(args=[document.pk])  # the task redelivered after it succeeded
    services.document_generate(document_id=document.pk)
    again = Document.objects.get()
    assert (again.pk, again.sha256, again.attempts, again.file.name) == (document.pk, document.sha256, 1, document.file.name)


def test_a_stage_reached_again_gets_its_own_document(world, application, walk):
    walk(application, "submit")
    from financing import services as financing

    financing.application_return_to_applicant(
        application=application, by=world.officer, note="Please attach the licence agreements."
    )
    walk(application, "submit")
    forms = Document.objects.filter(kind="application_form").order_by("id")
    assert forms.count() == 2
    assert forms[0].audit_entry_id != forms[1].audit_entry_id
    assert forms[0].public_id != forms[1].public_id


def test_each_stage_produces_the_kinds_of_workflow_md(world, application, walk):
    walk(application, *TO_CONTRACTED, "sign_filing", "file_registration", "register", "disburse", "record_change", "apply_cancellation", "release")
    made = list(Document.objects.order_by("id").values_list("stage", "kind", "status"))
    assert made == [
        ("submitted", "application_form", "ready"),
        ("valued", "valuation_report", "ready"),
        ("approved", "credit_approval_letter", "ready"),
        ("contracted", "loan_contract", "ready"),
        ("contracted", "pledge_contract", "ready"),
        ("registration_filed", "registration_application", "ready"),
        ("registered", "registration_notice", "ready"),
        ("changed", "change_notice", "ready"),
        ("cancellation_applied", "cancellation_application", "ready"),
        ("released", "cancellation_notice", "ready"),
    ]
    notice = Document.objects.get(kind="registration_notice")
    number = application.filings.get(status="cancelled").registration_number
    text = pdf_text(notice)
    assert number and number in text and application.reference in text


def test_refused_then_refiled_gives_refusal_notice_and_a_second_registration_application(world, application, walk):
    walk(application, *TO_CONTRACTED, "sign_filing", "file_registration", "refuse_registration", "sign_filing", "file_registration")
    kinds = list(Document.objects.order_by("id").values_list("kind", flat=True))
    assert kinds[-3:] == ["registration_application", "refusal_notice", "registration_application"]
    refusal = Document.objects.get(kind="refusal_notice")
    assert refusal.content["grounds"] == ["CONTRACT_INCOMPLETE"]
    text = pdf_text(refusal)
    assert "CONTRACT_INCOMPLETE" in text and "质押合同缺少必备条款" in text
    second = Document.objects.filter(kind="registration_application").order_by("id").last()
    assert second.content["filing_number"] == 2


def test_rejection_letter_carries_the_reasons(world, application, walk):
    walk(application, "submit", "complete_valuation", "start_review", "reject")
    letter = Document.objects.get(kind="rejection_letter")
    text = pdf_text(letter)
    assert "Revenue forecast not credible" in text


def test_default_and_disposal_give_the_enforcement_record_and_the_cancellation(world, application, walk):
    walk(application, *TO_CONTRACTED, "sign_filing", "file_registration", "register", "disburse", "declare_default", "dispose")
    kinds = list(Document.objects.filter(stage="disposed").order_by("id").values_list("kind", flat=True))
    assert kinds == ["enforcement_record", "cancellation_notice"]
    record = Document.objects.get(kind="enforcement_record")
    assert record.content["method"] == "auction" and record.content["proceeds"]["amount"] == "2800000.00"
    assert record.content["default_reason"] == "Three instalments missed"


def test_us_patents_get_the_us_cover_sheets(world):
    from tests.factories import ApplicationFactory

    cn = PatentFactory(owners=[world.enterprise])
    us = PatentFactory(owners=[world.enterprise], jurisdiction="US", number="US10123456B2", kind="invention")
    only_us = ApplicationFactory(enterprise=world.enterprise, bank=world.bank, patents=[us])
    mixed = ApplicationFactory(enterprise=world.enterprise, bank=world.bank, patents=[cn, us])
    assert kinds_for(application=only_us, transition="file_registration") == ("us_recordation_cover_sheet",)
    assert kinds_for(application=only_us, transition="release") == ("us_release_cover_sheet",)
    assert kinds_for(application=mixed, transition="file_registration") == (
        "registration_application",
        "us_recordation_cover_sheet",
    )
    assert kinds_for(application=mixed, transition="start_review") == ()


def test_a_failure_is_recorded_with_its_error_and_a_retry_by_bank_staff_rebuilds_it(
    world, application, walk, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(kind, content):
        raise ValueError("the builder tripped")

    monkeypatch.setattr(services, "build_pdf", broken)
    walk(application, "submit")
    document = Document.objects.get()
    assert document.status == Document.Status.FAILED
    assert "ValueError: the builder tripped" in document.error
    assert not document.file and not document.sha256

    with pytest.raises(PermissionRefused):
        services.document_retry(document=document, by=world.applicant)
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        services.document_retry(document=document, by=world.officer)
    document.refresh_from_db()
    assert document.status == Document.Status.READY and document.error == "" and document.attempts == 2
    assert hashlib.sha256(stored_bytes(document)).hexdigest() == document.sha256
    with pytest.raises(Conflict):
        services.document_retry(document=document, by=world.officer)


def test_a_rebuild_from_the_snapshot_gives_the_same_bytes_even_after_the_application_changed(world, application, walk):
    walk(application, "submit")
    document = Document.objects.get()
    first = document.sha256
    application.enterprise.name = "Renamed Since Co., Ltd."
    application.enterprise.save()
    Document.objects.filter(pk=document.pk).update(status=Document.Status.FAILED)
    services.document_retry(document=Document.objects.get(pk=document.pk), by=world.officer)
    # retry queues after commit; run it here as the worker would
    services.document_generate(document_id=document.pk)
    assert Document.objects.get(pk=document.pk).sha256 == first


def test_with_the_broker_down_documents_stay_pending_and_the_requeue_builds_them(world, application, walk, monkeypatch):
    publishes = []

    def broker_down(*args, **kwargs):
        publishes.append(kwargs)
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(document_generate_task, "apply_async", broker_down)
    walk(application, "submit")  # the transition does not fail for the broker
    assert publishes and all(p.get("retry") is False for p in publishes), "the publish must not retry in a request"
    document = Document.objects.get()
    assert document.status == Document.Status.PENDING and document.content is not None
    monkeypatch.undo()
    import datetime as dt

    assert services.documents_requeue_pending(older_than=dt.timedelta(0)) == 1
    assert Document.objects.get().status == Document.Status.READY
    call_command("documents_requeue", "--older-than", "0")  # nothing left pending; a no-op


def test_content_that_cannot_be_gathered_fails_visibly_without_breaking_the_transition(world, application, walk, monkeypatch):
    from documents import assembly

    monkeypatch.setitem(assembly.GATHERERS, "application_form", lambda g: 1 / 0)
    walk(application, "submit")
    application.refresh_from_db()
    assert application.state == "submitted"
    document = Document.objects.get()
    assert document.status == Document.Status.FAILED and "ZeroDivisionError" in document.error
    assert document.content is None
    monkeypatch.undo()
    services.document_retry(document=document, by=world.officer)
    services.document_generate(document_id=document.pk)
    assert Document.objects.get().status == Document.Status.READY


def test_export_writes_every_document_of_the_application(world, application, walk, tmp_path):
    walk(application, *TO_CONTRACTED)
    written = services.documents_export(application=application, out_dir=tmp_path / "out")
    assert [p.name for p in written] == [
        "01-submitted-application_form.pdf",
        "02-valued-valuation_report.pdf",
        "03-approved-credit_approval_letter.pdf",
        "04-contracted-loan_contract.pdf",
        "05-contracted-pledge_contract.pdf",
    ]
    for path, document in zip(written, Document.objects.order_by("id")):
        assert hashlib.sha256(path.read_bytes()).hexdigest() == document.sha256


@pytest.mark.django_db(transaction=True)  # real commits: documents are made after each one, as in production
def test_run_demo_lifecycle_writes_every_document_as_a_valid_pdf(tmp_path):
    out = tmp_path / "demo"
    call_command("run_demo_lifecycle", "--out", str(out), stdout=io.StringIO())
    pdfs = sorted(out.glob("*.pdf"))
    assert len(pdfs) == 12
    for path in pdfs:
        reader = pypdf.PdfReader(path)
        assert len(reader.pages) >= 1 and "PF-" in reader.pages[0].extract_text()
    assert AuditEntry.objects.filter(transition="release", outcome="succeeded").exists()


def test_release_papers_print_the_parties_as_the_register_has_them_after_a_recorded_change(world, walk):
    import datetime as dt
    from decimal import Decimal

    from tests.factories import ApplicationFactory

    cn = PatentFactory(owners=[world.enterprise])
    us = PatentFactory(
        owners=[world.enterprise], jurisdiction="US", number="US10123456B2", kind="invention",
        filing_date=dt.date(2016, 5, 2), grant_date=dt.date(2018, 11, 13),
    )
    # A portfolio spanning both offices is refused at creation now (one application per office); made
    # directly, as such an application from before that rule, its papers still name the parties right.
    application = ApplicationFactory(
        enterprise=world.enterprise, bank=world.bank, created_by=world.applicant, patents=[cn, us],
        amount_requested=Decimal("3000000.00"), term_months=12, purpose="Second production line",
    )
    old_name, new_name = world.enterprise.name, "New Name Co., Ltd."
    walk(
        application, *TO_CONTRACTED, "sign_filing", "file_registration", "register", "record_change", "disburse", "apply_cancellation",
        "release",
        payloads={"record_change": {"changes": {"pledgor_name": new_name}, "note": "renamed"}},
    )

    change = Document.objects.get(kind="change_notice")
    notice = Document.objects.get(kind="cancellation_notice")
    sheet = Document.objects.get(kind="us_release_cover_sheet")
    assert {change.status, notice.status, sheet.status} == {Document.Status.READY}
    for document in (notice, sheet):
        text = pdf_text(document)
        assert new_name in text and old_name not in text, document.kind
    assert notice.content["pledgor"]["name"] == new_name
    assert sheet.content["receiving_party"]["name"] == new_name
    # The change notice names the party as the change left it, and the change itself.
    assert change.content["pledgor"]["name"] == new_name
    assert [(c["item"], c["before"], c["after"]) for c in change.content["changes"]] == [
        ("pledgor_name", old_name, new_name)
    ]
    # Documents of the stages before the change keep the name as it then stood.
    registered = Document.objects.get(kind="registration_notice")
    assert registered.content["pledgor"]["name"] == old_name


@pytest.mark.parametrize(
    "path",
    [
        ["sign_filing", "file_registration", "register", "record_change", "disburse", "apply_cancellation", "release"],
        ["sign_filing", "file_registration", "refuse_registration", "sign_filing", "file_registration", "register", "disburse", "declare_default", "dispose"],
    ],
)
def test_every_document_of_a_whole_lifecycle_is_gathered_and_built(world, application, walk, path):
    """Missing data fails a document instead of printing a blank; none is missing on a real lifecycle."""
    walk(application, *TO_CONTRACTED, *path)
    assert [(d.kind, d.error) for d in Document.objects.exclude(status=Document.Status.READY)] == []


@pytest.mark.parametrize("value_type, words", [("market", "市场价值Market value"), ("liquidation", "清算价值Liquidation value")])
def test_the_valuation_report_states_the_value_type_and_the_sensitivity_table(
        world, application, walk, settings, value_type, words):
    from documents.pdf.formats import amount
    from valuation.selectors import valuation_current_for

    settings.PLEDGEFLOW_VALUE_TYPE = value_type
    walk(application, "submit", "complete_valuation")
    report = Document.objects.get(kind="valuation_report")
    text = pdf_text(report)
    flat = "".join(text.split())
    assert "".join(f"价值类型Value type{words}".split()) in flat
    assert "敏感性分析" in flat and "Sensitivity" in flat
    for row in valuation_current_for(application).patent_valuations.all():
        assert row.workings["value_type"] == value_type
        assert len(row.workings["sensitivity"]) == 9
        for cell in row.workings["sensitivity"]:
            assert amount(cell["value"]) in flat and amount(cell["income_value"]) in flat
        if value_type == "liquidation":
            assert amount(row.workings["liquidation"]["market_value"]) in flat
            assert "".join("Liquidation discount".split()) in flat
