"""core.prefetch: a page's related rows in one query per relation, attached as lists."""
from __future__ import annotations

import pytest

from core.prefetch import Rows, attach
from financing.models import PledgedPatent
from tests.factories import ApplicationFactory, PatentFactory

pytestmark = pytest.mark.django_db


def _page():
    first = ApplicationFactory(patents=[PatentFactory(), PatentFactory()])
    second = ApplicationFactory(patents=[PatentFactory()])
    third = ApplicationFactory(patents=[])
    return [first, second, third]


def test_each_instance_gets_its_own_rows_from_one_query(django_assert_num_queries):
    page = _page()
    with django_assert_num_queries(1):
        rows = attach(page, "pledged_patents", PledgedPatent.objects.select_related("patent").order_by("id"),
                      fk="application")
    assert len(rows) == 3
    with django_assert_num_queries(0):
        got = [[pp.patent.number for pp in application.pledged_patents.all()] for application in page]
        assert [len(g) for g in got] == [2, 1, 0]
        assert page[0].pledged_patents.exists() and not page[2].pledged_patents.exists()
        assert page[0].pledged_patents.count() == 2 and len(page[1].pledged_patents.all()) == 1
        # Each row knows its application without a query, as after a prefetch.
        assert all(pp.application is page[0] for pp in page[0].pledged_patents.all())
    expected = {a.pk: sorted(PledgedPatent.objects.filter(application=a).values_list("patent__number", flat=True))
                for a in page}
    assert {a.pk: sorted(g) for a, g in zip(page, got)} == expected


def test_anything_else_a_queryset_does_is_a_fresh_query_of_that_instances_rows_only(django_assert_num_queries):
    page = _page()
    attach(page, "pledged_patents", PledgedPatent.objects.all(), fk="application")
    with django_assert_num_queries(1):
        filtered = list(page[1].pledged_patents.select_related("patent"))
    assert [pp.application_id for pp in filtered] == [page[1].pk]
    assert page[2].pledged_patents.filter(co_owner_consent=False).count() == 0


def test_an_empty_page_reads_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert attach([], "pledged_patents", PledgedPatent.objects.all(), fk="application") == []


def test_rows_keep_the_list_api():
    rows = Rows([1, 2, 2])
    assert rows.all() is rows and rows.count() == 3 and rows.count(2) == 2 and rows.exists()
    with pytest.raises(AttributeError):
        rows.filter  # no query behind it: never a query that forgot whose rows these are


def test_related_rows_attach_what_the_queryset_attaches_in_one_query(django_assert_num_queries):
    from core.prefetch import RelatedRows

    related = RelatedRows(lambda: PledgedPatent.objects.select_related("patent").order_by("id"), fk="application")
    page = _page()
    attach(page, "pledged_patents", related)  # compiled for three owners
    expected = {a.pk: [pp.pk for pp in PledgedPatent.objects.filter(application=a).order_by("id")] for a in page}
    fresh = _page() + page
    with django_assert_num_queries(1):
        rows = attach(fresh, "pledged_patents", related)
    assert len(rows) == 6
    with django_assert_num_queries(0):
        assert {a.pk: [pp.pk for pp in a.pledged_patents.all()] for a in page} == expected
        assert all(pp.patent.number and pp.application is a for a in fresh for pp in a.pledged_patents.all())
