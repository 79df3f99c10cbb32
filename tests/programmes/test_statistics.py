"""Each statistic against the rows it counts; who may read which; the CSV and XLSX exports say the same."""
from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal as D

import pytest
from django.utils import timezone

from accounts.models import Enterprise
from financing.models import LoanTerms, PledgeApplication
from programmes.models import Repayment
from tests.financing.states import application_in, fire
from tests.programmes.conftest import OTHER_REGION, REGION, backdate
from valuation.models import PatentValuation

pytestmark = pytest.mark.django_db

STATISTICS = "/api/v1/statistics/"


@pytest.fixture
def loans(world, office):
    """Five loans: four in the region (one before the period, one at the other bank), one outside it."""
    today = timezone.localdate()
    second_enterprise = Enterprise.objects.create(name="Second Co", region=REGION)
    outsider = Enterprise.objects.create(name="Outsider Co", region=OTHER_REGION)
    running = application_in("disbursed", world)  # 3,000,000, 1,000,000 repaid
    backdate(running, disbursed_days_ago=60)
    Repayment.objects.create(application=running, paid_on=today - dt.timedelta(days=5), principal=D("1000000"),
                             interest=D("10000"), recorded_by=world.officer)
    big = application_in("disbursed", world)  # 12,000,000 of another enterprise, in default
    backdate(big, disbursed_days_ago=50)
    LoanTerms.objects.filter(application=big).update(amount=D("12000000.00"))
    PledgeApplication.objects.filter(pk=big.pk).update(enterprise=second_enterprise)
    big.refresh_from_db()
    fire(application=big, name="declare_default", by=world.officer, payload={"reason": "Missed instalments"})
    other_bank = application_in("disbursed", world)
    backdate(other_bank, disbursed_days_ago=40)
    PledgeApplication.objects.filter(pk=other_bank.pk).update(bank=world.other_bank)
    early = application_in("disbursed", world)
    backdate(early, disbursed_days_ago=400)
    outside = application_in("disbursed", world)
    backdate(outside, disbursed_days_ago=30)
    PledgeApplication.objects.filter(pk=outside.pk).update(enterprise=outsider)
    application_in("approved", world)  # not disbursed: never counted
    # One high-value patent in the running loan, two in the big one.
    PatentValuation.objects.filter(valuation__application=running).update(high_value=False)
    first = PatentValuation.objects.filter(valuation__application=running).order_by("id").first()
    PatentValuation.objects.filter(pk=first.pk).update(high_value=True)
    PatentValuation.objects.filter(valuation__application=big).update(high_value=True)
    return {"running": running, "big": big, "other_bank": other_bank, "early": early, "outside": outside,
            "from": (today - dt.timedelta(days=100)).isoformat(), "to": today.isoformat()}


def test_the_offices_statistics_count_its_regions_loans_of_the_period(api, office_user, loans, world):
    body = api(office_user).get(STATISTICS, {"date_from": loans["from"], "date_to": loans["to"]}).json()
    assert set(body) == {"loans", "amount", "enterprises", "inclusive_loans", "inclusive_share",
                         "outstanding_principal", "npl_ratio", "high_value_patents", "by_bank", "by_month"}
    # running (3,000,000), big (12,000,000), other_bank (3,000,000); not early (before), not outside (region).
    assert body["loans"] == 3
    assert body["amount"] == "18000000.00"
    assert body["enterprises"] == 2  # the world's enterprise and the second one
    assert body["inclusive_loans"] == 2 and body["inclusive_share"] == "0.6667"  # all but the 12,000,000
    # 2,000,000 + 12,000,000 + 3,000,000 outstanding; of it 12,000,000 in default.
    assert body["outstanding_principal"] == "17000000.00"
    assert body["npl_ratio"] == "0.7059"
    assert body["high_value_patents"] == 3
    by_bank = {row["bank"]: (row["loans"], row["amount"]) for row in body["by_bank"]}
    assert by_bank == {world.bank.pk: (2, "15000000.00"), world.other_bank.pk: (1, "3000000.00")}
    assert sum(row["loans"] for row in body["by_month"]) == 3


def test_filters_narrow_what_is_counted(api, office_user, loans, world):
    everything = api(office_user).get(STATISTICS).json()
    assert everything["loans"] == 4  # with the early loan
    one_bank = api(office_user).get(STATISTICS, {"bank": world.other_bank.pk}).json()
    assert (one_bank["loans"], one_bank["amount"]) == (1, "3000000.00")


def test_an_overdue_loan_counts_as_non_performing(api, office_user, loans, settings):
    # The running loan's last day is a year after signing; 91 days past it with principal unpaid it is an NPL.
    terms = LoanTerms.objects.get(application=loans["running"])
    LoanTerms.objects.filter(pk=terms.pk).update(
        signed_on=terms.signed_on - dt.timedelta(days=365 + 91 + 1), term_months=12)
    settings.PLEDGEFLOW_NPL_OVERDUE_DAYS = 90
    body = api(office_user).get(STATISTICS, {"date_from": "1985-04-01"}).json()
    # 2,000,000 (running, overdue) + 12,000,000 (default) of 17,000,000 + 3,000,000 (early).
    assert body["npl_ratio"] == "0.7000"


def test_a_bank_sees_only_itself_and_an_office_only_its_region(api, world, office_user, other_office_user, loans):
    mine = api(world.officer).get(STATISTICS, {"date_from": loans["from"]}).json()
    assert mine["loans"] == 3  # running, big, outside: the bank's own, whatever the region
    assert [row["bank"] for row in mine["by_bank"]] == [world.bank.pk]
    assert api(world.officer).get(STATISTICS, {"bank": world.other_bank.pk}).status_code == 403
    assert api(office_user).get(STATISTICS, {"region": OTHER_REGION}).status_code == 403
    assert api(other_office_user).get(STATISTICS).json()["loans"] == 1  # the outsider, in its region
    assert api(world.applicant).get(STATISTICS).status_code == 403
    assert api(office_user).get(STATISTICS, {"date_from": "yesterday"}).status_code == 400


def test_csv_and_xlsx_export_the_same_figures(api, office_user, loans):
    query = {"date_from": loans["from"], "date_to": loans["to"]}
    body = api(office_user).get(STATISTICS, query).json()
    response = api(office_user).get(STATISTICS, {**query, "format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    total = rows[0]
    assert total["scope"] == "total" and int(total["loans"]) == body["loans"] and total["amount"] == body["amount"]
    assert total["npl_ratio"] == body["npl_ratio"]
    assert len(rows) == 1 + len(body["by_bank"]) + len(body["by_month"])

    from openpyxl import load_workbook

    response = api(office_user).get(STATISTICS, {**query, "format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    total = dict(zip(header, [cell.value for cell in sheet[2]]))
    assert total["loans"] == body["loans"] and D(str(total["amount"])) == D(body["amount"])
