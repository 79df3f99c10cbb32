"""PatentFacts: what the register says of a patent, read the same way from a row, a values row or a caller's description."""
from __future__ import annotations

import datetime as dt

import pytest

from patents.facts import PatentFacts
from patents.models import Patent
from tests.factories import PatentFactory

US_DESIGN = PatentFacts(number="USD912345S", jurisdiction="US", kind="design", filing_date=dt.date(2020, 1, 1),
                        grant_date=dt.date(2022, 6, 1))


def test_a_us_design_runs_15_years_from_grant():
    assert US_DESIGN.expiry_date == dt.date(2037, 6, 1)
    assert US_DESIGN.granted and US_DESIGN.in_force


def test_a_chinese_inventions_term_compensation_counts():
    # Filed 2021-08-12: the day before the 20th anniversary is 2041-08-11, plus 100 days.
    facts = PatentFacts(number="ZL202110921116.9", jurisdiction="CN", kind="invention",
                        filing_date=dt.date(2021, 8, 12), term_adjustment_days=100)
    assert facts.expiry_date == dt.date(2041, 8, 11) + dt.timedelta(days=100)


def test_granted_follows_the_grant_date_unless_the_caller_says_so():
    ungranted = PatentFacts(number="ZL202110921116.9", jurisdiction="CN", kind="invention",
                            filing_date=dt.date(2021, 8, 12))
    assert not ungranted.granted
    # A quote may say "granted" without the date when the term does not depend on it.
    assert PatentFacts(number="ZL202110921116.9", jurisdiction="CN", kind="invention",
                       filing_date=dt.date(2021, 8, 12), granted=True).granted
    with pytest.raises(ValueError, match="grant date"):
        PatentFacts(number="USD912345S", jurisdiction="US", kind="design", filing_date=dt.date(2020, 1, 1),
                    grant_date=dt.date(2022, 6, 1), granted=False)


@pytest.mark.django_db
def test_facts_of_a_row_and_of_a_values_row_are_the_same():
    patent = PatentFactory(number="USD912345S", jurisdiction="US", kind="design", filing_date=dt.date(2020, 1, 1),
                           grant_date=dt.date(2022, 6, 1), same_day_twin=False, strategic_industry=True)
    row = Patent.objects.values_list("id", *PatentFacts.fields()).get(pk=patent.pk)
    assert PatentFacts.from_values(row[1:]) == PatentFacts.of(patent) == patent.facts
    assert patent.facts.strategic_industry
    assert patent.expiry_date == patent.facts.expiry_date == dt.date(2037, 6, 1)
    assert PatentFacts.fields("patent__")[0] == "patent__number"
