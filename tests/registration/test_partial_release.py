"""A partial release over the API: some patents leave the pledge, the rest stay, the register and notice say so."""
from __future__ import annotations

import pytest

from documents.models import Document
from registration.models import FiledPatent
from tests.documents.reading import pdf_text
from tests.factories import PatentFactory
from tests.financing.states import application_in, database_fingerprint
from tests.registration.states import filed_application, post

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def three_patent_pledge(world, state="disbursed"):
    patents = [PatentFactory(owners=[world.enterprise]) for _ in range(3)]
    return application_in(state, world, patents=patents), [p.number for p in patents]


def test_released_patents_are_free_on_the_register_and_the_rest_stay_pledged(
    api, world, django_capture_on_commit_callbacks
):
    application, numbers = three_patent_pledge(world)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(api, world.registrar, application, "record_change",
                        {"changes": {"release_patents": [numbers[1]]}, "note": "Part repaid"})
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "disbursed"

    free = api().get("/api/v1/register/", {"patent": numbers[1]}).json()
    assert free["pledged"] is False
    assert free["registrations"][0]["status"] == "registered"
    assert free["registrations"][0]["released_patents"] == [numbers[1]]
    for number in (numbers[0], numbers[2]):
        assert api().get("/api/v1/register/", {"patent": number}).json()["pledged"] is True

    notice = Document.objects.get(application=application, kind="change_notice")
    assert notice.content["changes"] == [
        {"item": "release_patents", "before": "—", "after": numbers[1]},
        {"item": "patents", "before": ", ".join(numbers), "after": f"{numbers[0]}, {numbers[2]}"},
    ]
    text = pdf_text(notice)
    assert "解除质押的专利" in text and "Patents released from the pledge" in text and numbers[1] in text

    # The released patent can be pledged again; the others cannot.
    again = filed_application(world, [application.pledged_patents.get(patent__number=numbers[1]).patent])
    assert post(api, world.registrar, again, "register").status_code == 200
    held = filed_application(world, [application.pledged_patents.get(patent__number=numbers[0]).patent])
    response = post(api, world.registrar, held, "register")
    assert response.status_code == 409
    assert [g["code"] for g in response.json()["error"]["details"]["grounds"]] == ["ALREADY_PLEDGED"]


def test_releasing_every_patent_or_one_outside_the_pledge_is_409_and_changes_nothing(api, world):
    application, numbers = three_patent_pledge(world, "registered")
    stranger = PatentFactory(owners=[world.enterprise]).number
    for release, code in [(numbers, "release_all_patents"), ([stranger], "patent_not_pledged")]:
        before = database_fingerprint()
        response = post(api, world.registrar, application, "record_change", {"changes": {"release_patents": release}})
        assert response.status_code == 409, response.content
        assert response.json()["error"]["code"] == code
        assert database_fingerprint() == before
    # Once released, a patent is no longer in the pledge either.
    assert post(api, world.registrar, application, "record_change",
                {"changes": {"release_patents": [numbers[0]]}}).status_code == 200
    response = post(api, world.registrar, application, "record_change", {"changes": {"release_patents": [numbers[0]]}})
    assert response.status_code == 409 and response.json()["error"]["code"] == "patent_not_pledged"
    response = post(api, world.registrar, application, "record_change",
                    {"changes": {"release_patents": numbers[1:]}})
    assert response.status_code == 409 and response.json()["error"]["code"] == "release_all_patents"
    assert FiledPatent.objects.filter(filing__application=application, registered=True).count() == 2


def test_a_malformed_number_is_400(api, world):
    application, _ = three_patent_pledge(world, "registered")
    response = post(api, world.registrar, application, "record_change", {"changes": {"release_patents": ["ZL123"]}})
    assert response.status_code == 400
    response = post(api, world.registrar, application, "record_change", {"changes": {"release_patents": []}})
    assert response.status_code == 400
