"""Factories for the whole suite (factory_boy): organisations, users by role, patents, applications, active pledges."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import Bank, Enterprise, User
from financing.models import LoanTerms, PledgeApplication, PledgedPatent, State
from patents.models import Patent
from patents.numbers import cn_check_digit


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"Enterprise {n} Co., Ltd.")
    name_zh = factory.Sequence(lambda n: f"企业{n}有限公司")
    address = factory.Sequence(lambda n: f"{n} Wensan Road, Hangzhou")
    credit_code = factory.Sequence(lambda n: f"9133{n:014d}")


class BankFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bank

    name = factory.Sequence(lambda n: f"Bank {n}")
    name_zh = factory.Sequence(lambda n: f"银行{n}")
    address = factory.Sequence(lambda n: f"{n} Lujiazui Ring Road, Shanghai")


class UserFactory(factory.django.DjangoModelFactory):
    """`UserFactory(role="bank_officer", bank=b)`: the role becomes the user's Django group."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "pw")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(Group.objects.get_or_create(name=extracted)[0])
        self.save()


def cn_number(year: int, kind_digit: int, serial: int) -> str:
    twelve = f"{year:04d}{kind_digit}{serial:07d}"
    return f"ZL{twelve}.{cn_check_digit(twelve)}"


_KIND_DIGIT = {"invention": 1, "utility_model": 2, "design": 3}


class PatentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Patent
        skip_postgeneration_save = True

    jurisdiction = "CN"
    kind = "invention"
    filing_date = dt.date(2021, 3, 1)
    grant_date = dt.date(2022, 6, 1)
    number = factory.LazyAttributeSequence(
        lambda o, n: cn_number(o.filing_date.year, _KIND_DIGIT[o.kind], 100000 + n)
    )
    title = factory.Sequence(lambda n: f"Method for thing number {n}")
    annual_fee_paid_until = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=300))

    @factory.post_generation
    def owners(self, create, extracted, **kwargs):
        if extracted:
            self.owners.add(*extracted)


class ApplicationFactory(factory.django.DjangoModelFactory):
    """An application in any state: `ApplicationFactory(state="recommended", patents=[p1, p2])`.

    The state field is protected; it may be given only when the object is built, which is what
    tests need to start from a given state without walking there.
    """

    class Meta:
        model = PledgeApplication
        skip_postgeneration_save = True

    enterprise = factory.SubFactory(EnterpriseFactory)
    bank = factory.SubFactory(BankFactory)
    created_by = factory.SubFactory(UserFactory)
    amount_requested = Decimal("5000000.00")
    currency = "CNY"
    term_months = 12
    purpose = "Working capital for production line"
    state = State.DRAFT

    @factory.post_generation
    def patents(self, create, extracted, **kwargs):
        patents = extracted if extracted is not None else [PatentFactory(owners=[self.enterprise])]
        for patent in patents:
            PledgedPatent.objects.create(application=self, patent=patent)


class LoanTermsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LoanTerms

    application = factory.SubFactory(ApplicationFactory)
    amount = Decimal("4000000.00")
    annual_rate = Decimal("0.045")
    term_months = 12
    recommended_by = factory.SubFactory(UserFactory, role="bank_officer")
    recommended_at = factory.LazyFunction(timezone.now)


def active_pledge(*, state="disbursed", patents=None, bank=None, enterprise=None, signed_on=dt.date(2026, 1, 15),
                  term_months=12):
    """An application in `state` pledging `patents` (default: one healthy patent), with signed terms."""
    extra = {}
    if bank is not None:
        extra["bank"] = bank
    if enterprise is not None:
        extra["enterprise"] = enterprise
    application = ApplicationFactory(state=state, patents=patents, **extra)
    LoanTermsFactory(application=application, term_months=term_months, signed_on=signed_on)
    return application


def patent(**overrides):
    """A granted CN invention filed 2021-03-01 (expires 2041), fees paid well ahead, unless overridden."""
    overrides.setdefault("annual_fee_paid_until", dt.date(2027, 6, 1))
    return PatentFactory(**overrides)
