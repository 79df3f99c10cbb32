"""A user's role is one Django group; one organisation at most."""
import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.db import IntegrityError

from accounts.roles import role_of
from tests.factories import BankFactory, EnterpriseFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_role_is_the_users_group_and_is_cached(django_assert_num_queries):
    user = UserFactory(role="bank_officer")
    with django_assert_num_queries(1):
        assert role_of(user) == "bank_officer"
        assert role_of(user) == "bank_officer"


def test_two_roles_or_none_give_no_role():
    user = UserFactory(role="bank_officer")
    user.groups.add(Group.objects.get_or_create(name="bank_approver")[0])
    user = type(user).objects.get(pk=user.pk)
    assert role_of(user) is None  # a maker may not also be the checker
    assert role_of(UserFactory()) is None
    assert role_of(AnonymousUser()) is None


def test_a_user_belongs_to_one_organisation_at_most():
    with pytest.raises(IntegrityError):
        UserFactory(enterprise=EnterpriseFactory(), bank=BankFactory())
