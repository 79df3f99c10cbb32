"""The registrar's pages: the desk by deadline, a filing's pre-check, the register's search, edit and CSV import."""
from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from financing.models import AuditEntry
from patents.models import Patent
from registration.models import Filing
from tests.factories import PatentFactory
from tests.registration.states import clean_patent, filed_application, fresh


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def filed(world):
    return filed_application(world)


def test_the_desk_lists_filings_soonest_deadline_first_and_flags_the_overdue(world, filed):
    later = filed_application(world)
    overdue = filed_application(world)
    Filing.objects.filter(application=overdue).update(deadline=timezone.localdate() - dt.timedelta(days=3))
    Filing.objects.filter(application=later).update(deadline=timezone.localdate() + dt.timedelta(days=30))
    page = client_for(world.registrar).get("/desk/")
    assert page.status_code == 200
    html = page.content.decode()
    order = [html.index(f'data-filing="{Filing.objects.get(application=a).pk}"') for a in (overdue, filed, later)]
    assert order == sorted(order)
    overdue_row = html[order[0]:html.index("</tr>", order[0])]
    assert "data-overdue" in overdue_row
    assert "data-overdue" not in html[order[1]:html.index("</tr>", order[1])]

    only_overdue = client_for(world.registrar).get("/desk/?show=overdue").content.decode()
    assert f'data-filing="{Filing.objects.get(application=overdue).pk}"' in only_overdue
    assert f'data-filing="{Filing.objects.get(application=filed).pk}"' not in only_overdue


@pytest.mark.parametrize("who", ["applicant", "officer", "approver", "appraiser"])
def test_only_registrars_reach_the_desk_and_the_register_forms(world, filed, who):
    client = client_for(getattr(world, who))
    filing = Filing.objects.get(application=filed)
    for url in ("/desk/", f"/desk/filings/{filing.pk}/", "/patents/import/",
                f"/patents/{filed.pledged_patents.first().patent.number}/edit/"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "<html" in response.content.decode()  # the human 403 page, not a bare body
    # Everyone signed in may read the register.
    assert client.get("/patents/").status_code == 200


def test_a_filing_page_shows_each_ground_with_its_evidence_and_ticks_it_for_the_refusal(world):
    frozen = clean_patent([world.enterprise], ownership_frozen=True)
    application = filed_application(world, [frozen])
    filing = Filing.objects.get(application=application)
    client = client_for(world.registrar)
    html = client.get(f"/desk/filings/{filing.pk}/").content.decode()
    assert 'data-ground="OWNERSHIP_FROZEN"' in html
    assert frozen.number in html
    assert 'data-registrable="false"' in html
    refuse = html[html.index('data-transition="refuse_registration"'):]
    refuse = refuse[: refuse.index("</form>")]
    assert 'value="OWNERSHIP_FROZEN" checked' in refuse
    assert 'value="PLEDGOR_NOT_OWNER" checked' not in refuse
    # The registrar reads each ground's title, not only its code.
    assert "court preservation order" in refuse

    response = client.post(f"/applications/{application.pk}/transitions/refuse_registration/",
                           {"grounds": ["OWNERSHIP_FROZEN"], "note": "Frozen by court order"})
    assert response.status_code == 302
    assert fresh(application).state == "registration_refused"
    assert [g["code"] for g in Filing.objects.get(pk=filing.pk).grounds] == ["OWNERSHIP_FROZEN"]


def test_a_clean_filing_says_it_may_be_registered(world, filed):
    filing = Filing.objects.get(application=filed)
    html = client_for(world.registrar).get(f"/desk/filings/{filing.pk}/").content.decode()
    assert "data-precheck-clear" in html and 'data-transition="register"' in html


def test_the_register_is_searched_by_any_spelling_of_a_number_and_by_title(world):
    patent = PatentFactory(owners=[world.enterprise], title="Graphene anode coating")
    other = PatentFactory(owners=[world.enterprise], title="Something else")
    spaced = f"{patent.number[:2]} {patent.number[2:6]} {patent.number[6]} {patent.number[7:]}"
    client = client_for(world.applicant)
    by_number = client.get("/patents/", {"q": spaced}).content.decode()
    assert f'data-patent="{patent.number}"' in by_number and f'data-patent="{other.number}"' not in by_number
    by_title = client.get("/patents/", {"q": "graphene"}).content.decode()
    assert f'data-patent="{patent.number}"' in by_title and f'data-patent="{other.number}"' not in by_title
    assert "/edit/" not in by_title  # an applicant reads the register, it does not write it


def _edit_form(patent: Patent, **changes) -> dict:
    form = {
        "title": patent.title, "status": patent.status, "grant_date": patent.grant_date.isoformat(),
        "annual_fee_paid_until": patent.annual_fee_paid_until.isoformat() if patent.annual_fee_paid_until else "",
        "award": patent.award, "term_adjustment_days": str(patent.term_adjustment_days),
        "owners": [str(o.pk) for o in patent.owners.all()],
    }
    form.update(changes)
    return form


def test_a_registrar_edits_a_patent_through_the_registers_rules(world):
    patent = PatentFactory(owners=[world.enterprise])
    client = client_for(world.registrar)
    url = f"/patents/{patent.number}/edit/"
    assert client.get(url).status_code == 200
    response = client.post(url, _edit_form(patent, ownership_frozen="on", owners=[str(world.other_enterprise.pk)]))
    assert response.status_code == 302 and response["Location"].endswith("?saved=1")
    patent.refresh_from_db()
    assert patent.ownership_frozen is True
    assert list(patent.owners.all()) == [world.other_enterprise]


def test_a_bad_edit_says_why_beside_the_field_and_changes_nothing(world):
    patent = PatentFactory(owners=[world.enterprise])
    before = (patent.title, patent.grant_date, patent.updated_at)
    client = client_for(world.registrar)
    bad_grant = (patent.filing_date - dt.timedelta(days=1)).isoformat()
    response = client.post(f"/patents/{patent.number}/edit/", _edit_form(patent, title="Renamed", grant_date=bad_grant))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-error-for="grant_date"' in html
    assert 'value="Renamed"' in html  # what was typed is kept
    patent.refresh_from_db()
    assert (patent.title, patent.grant_date, patent.updated_at) == before


def _csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["number", "title", "filing_date", "grant_date", "owners"])
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def test_the_csv_import_loads_good_rows_and_hands_back_the_rejected_ones(world):
    good = {"number": "ZL 2021 1 0921116.9", "title": "Good", "filing_date": "2021-08-06",
            "grant_date": "2023-01-10", "owners": world.enterprise.credit_code}
    bad = {"number": "ZL 2021 1 0921116.8", "title": "Wrong check digit", "filing_date": "2021-08-06",
           "grant_date": "", "owners": ""}
    client = client_for(world.registrar)
    response = client.post("/patents/import/", {"file": SimpleUploadedFile("register.csv", _csv([good, bad]))})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-created="1"' in html and 'data-rejected="1"' in html
    assert Patent.objects.filter(number="ZL202110921116.9").exists()
    download = html[html.index("/patents/import/rejects/"):]
    download = download[: download.index('"')]
    rejects = client.get(download)
    assert rejects.status_code == 200 and rejects["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(rejects.content.decode("utf-8-sig"))))
    assert [r["number"] for r in rows] == ["ZL 2021 1 0921116.8"]
    assert "number" in rows[0]["errors"]
    # Another person's session cannot fetch them.
    assert client_for(world.admin).get(download).status_code == 404


def test_an_unreadable_file_is_refused_whole(world):
    client = client_for(world.registrar)
    response = client.post("/patents/import/", {"file": SimpleUploadedFile("x.csv", b"title,number\nA,B\n")})
    assert response.status_code == 400
    assert "filing_date" in response.content.decode()
    assert not AuditEntry.objects.exists() and Patent.objects.count() == 0


def test_an_enterprise_sees_its_own_patents_first_and_may_look_at_the_whole_register(world):
    own = PatentFactory(owners=[world.enterprise])
    theirs = PatentFactory(owners=[world.other_enterprise])
    client = client_for(world.applicant)
    mine = client.get("/patents/").content.decode()
    assert f'data-patent="{own.number}"' in mine and f'data-patent="{theirs.number}"' not in mine
    everything = client.get("/patents/", {"mine": "0"}).content.decode()
    assert f'data-patent="{theirs.number}"' in everything
