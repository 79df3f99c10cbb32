"""core.compiled: a queryset compiled once, run with other values, gives what the ORM gives."""
from __future__ import annotations

import pytest
from knox.models import AuthToken

from accounts.auth import _tokens_with_user_and_role, _tokens_with_users_and_roles
from accounts.roles import APPLICANT, BANK_OFFICER, REGISTRAR
from core.compiled import CompiledQuery
from financing import selectors
from financing.models import PledgeApplication
from tests.factories import ApplicationFactory, BankFactory, LoanTermsFactory, UserFactory

pytestmark = pytest.mark.django_db


def _same(got: list, expected: list) -> None:
    """The same rows, field by field, with the same related rows cached and the same annotations."""
    assert [o.pk for o in got] == [o.pk for o in expected]
    for a, b in zip(got, expected):
        assert type(a) is type(b)
        assert {f.attname: getattr(a, f.attname) for f in a._meta.concrete_fields} == {
            f.attname: getattr(b, f.attname) for f in b._meta.concrete_fields
        }
        assert {k: type(v) for k, v in vars(a).items() if not k.startswith("_")} == {
            k: type(v) for k, v in vars(b).items() if not k.startswith("_")
        }
        assert a._state.adding is False and a._state.db == b._state.db
        assert set(a._state.fields_cache) == set(b._state.fields_cache)
        for name, related in a._state.fields_cache.items():
            other = b._state.fields_cache[name]
            assert (related and related.pk) == (other and other.pk)


def _world():
    bank, other_bank = BankFactory(), BankFactory()
    mine = [ApplicationFactory(bank=bank, state=state) for state in ("draft", "valued", "registration_filed")]
    LoanTermsFactory(application=mine[2])
    theirs = ApplicationFactory(bank=other_bank, state="registered")
    return bank, mine, theirs


def test_each_scope_loads_what_the_orm_loads_in_one_query(django_assert_num_queries):
    bank, mine, theirs = _world()
    users = [
        UserFactory(role=BANK_OFFICER, bank=bank),
        UserFactory(role=APPLICANT, enterprise=mine[0].enterprise),
        UserFactory(role=REGISTRAR),
        UserFactory(is_superuser=True),
        UserFactory(),  # no role: sees nothing
    ]
    for user in users:
        kind, organisation = selectors.scope_of(user)
        for application in [*mine, theirs]:
            expected = list(
                selectors.applications_visible_to(user).select_related("bank", "enterprise", "terms")
                .filter(pk=application.pk)
            )
            selectors._with_joins(kind, organisation or 0, [application.pk])  # compiled
            with django_assert_num_queries(0 if kind == "none" else 1):
                got = selectors._with_joins(kind, organisation or 0, [application.pk])
            _same(got, expected)


def test_the_loaded_application_is_saved_and_transitioned_like_an_orm_one():
    bank, mine, _ = _world()
    officer = UserFactory(role=BANK_OFFICER, bank=bank)
    application = selectors.application_for_transition(user=officer, pk=mine[1].pk)
    application.start_review()
    application.save()
    assert PledgeApplication.objects.get(pk=mine[1].pk).state == "under_review"


def test_the_token_query_gives_the_token_its_user_and_the_role_annotations(django_assert_num_queries):
    user = UserFactory(role=BANK_OFFICER)
    token, _ = AuthToken.objects.create(user=user)
    _tokens_with_user_and_role(None, token.token_key)
    with django_assert_num_queries(1):
        got = _tokens_with_user_and_role(None, token.token_key)
        assert got[0].user.username == user.username
    _same(got, list(_tokens_with_users_and_roles(None, token.token_key)))
    assert (got[0].first_role, got[0].last_role) == (BANK_OFFICER, BANK_OFFICER)
    assert _tokens_with_user_and_role(None, "nosuchke") == []


def test_list_parameters_are_compiled_per_length_and_a_flat_column_is_a_list_of_values():
    _, mine, theirs = _world()
    ids = CompiledQuery(lambda shape, pks: PledgeApplication.objects.filter(pk__in=pks).order_by("id")
                        .values_list("id", flat=True))
    everyone = sorted(a.pk for a in [*mine, theirs])
    assert ids(None, everyone) == everyone
    assert ids(None, everyone[:2]) == everyone[:2]
    assert ids(None, everyone[::-1]) == everyone
    assert ids(None, []) == []  # an empty IN: no query at all, as the ORM


def test_a_value_the_sql_does_not_carry_as_one_parameter_is_run_uncompiled_and_still_right():
    _, mine, _ = _world()
    twice = CompiledQuery(lambda shape, pk: PledgeApplication.objects.filter(pk=pk).exclude(pk=pk + 1))
    assert twice._prepared == {}
    _same(twice(None, mine[0].pk), list(PledgeApplication.objects.filter(pk=mine[0].pk)))
    contains = CompiledQuery(lambda shape, text: PledgeApplication.objects.filter(purpose__contains=text))
    assert {a.pk for a in contains(None, "production")} == {a.pk for a in mine} | {
        a.pk for a in PledgeApplication.objects.exclude(pk__in=[a.pk for a in mine])
    }
    assert set(contains._prepared.values()) == {None}  # "%stand-in%" is not the stand-in: never compiled
    used_twice = CompiledQuery(lambda shape, pk: PledgeApplication.objects.filter(pk=pk) | PledgeApplication.objects.filter(id=pk))
    assert [a.pk for a in used_twice(None, mine[1].pk)] == [mine[1].pk]
    assert set(used_twice._prepared.values()) == {None}


def test_an_id_beyond_64_bits_finds_nothing_and_a_wrong_parameter_type_is_refused():
    _, mine, _ = _world()
    load = CompiledQuery(lambda shape, pk: PledgeApplication.objects.filter(pk=pk))
    assert load(None, 2**70) == [] and load(None, -(2**70)) == []
    assert [a.pk for a in load(None, mine[0].pk)] == [mine[0].pk]
    with pytest.raises(TypeError):
        load(None, 1.5)
    with pytest.raises(TypeError):
        CompiledQuery(lambda shape, pk: PledgeApplication.objects.filter(pk=pk).values("id"))(None, 1)


def test_a_shape_may_leave_a_parameter_unused():
    bank, mine, theirs = _world()
    scoped = CompiledQuery(lambda kind, bank_id: PledgeApplication.objects.filter(bank_id=bank_id)
                           if kind == "bank" else PledgeApplication.objects.all())
    assert {a.pk for a in scoped("bank", bank.pk)} == {a.pk for a in mine}
    assert {a.pk for a in scoped("all", 0)} == set(PledgeApplication.objects.values_list("pk", flat=True))


def test_the_current_valuation_with_its_patents_is_what_the_orm_loads(world, django_assert_num_queries):
    """A transition's answer reads the current valuation, its appraiser and its patents' register rows
    in one compiled query (valuation.selectors): the same rows, and the same nested objects, as the ORM."""
    from tests.financing.states import application_in
    from valuation.models import PatentValuation
    from valuation.selectors import _current_with_patents, _current_with_patents_of, valuations_current_in_one_query

    application = application_in("valued", world)
    expected = list(_current_with_patents_of(None, application.pk))
    assert expected, "the walk to `valued` leaves a valuation with its patents"
    got = _current_with_patents(None, application.pk)
    assert None not in _current_with_patents._prepared.values()  # compiled, not run the ordinary way
    _same(got, expected)
    for a, b in zip(got, expected):
        _same([a.valuation], [b.valuation])
        _same([a.valuation.appraiser], [b.valuation.appraiser])
        assert a.patent.number == b.patent.number
    with django_assert_num_queries(1):
        [valuation] = valuations_current_in_one_query(application)
    assert valuation.superseded_at is None
    assert [pv.patent_id for pv in valuation.patent_valuations.all()] == list(
        PatentValuation.objects.filter(valuation=valuation).order_by("id").values_list("patent_id", flat=True)
    )
    assert _current_with_patents(None, application.pk + 10**6) == []
