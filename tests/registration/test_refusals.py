"""The pre-check: each refusal ground alone, all of them together, and acknowledgements."""
import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest

from patents.facts import PatentFacts
from patents.terms import add_years
from registration import refusals
from registration.refusals import Ground, PatentOnRegister, PledgeFiling, refusal_grounds

ON = dt.date(2026, 3, 2)
PLEDGOR, CO_OWNER, STRANGER, BANK = 1, 2, 3, 10


CLEAN_FACTS = PatentFacts(
    number="ZL202110921116.9",
    kind="invention",
    jurisdiction="CN",
    title="Battery thermal management",
    status="in_force",
    filing_date=dt.date(2021, 8, 12),  # in force through 2041-08-11
    grant_date=dt.date(2023, 5, 9),
    annual_fee_paid_until=dt.date(2026, 8, 11),
)
# What the filing says of a patent, beside the register's facts.
FILING_SIDE = ("owner_ids", "consenting_owner_ids", "registered_pledges")


def clean_patent(**changes) -> PatentOnRegister:
    """The clean patent with `changes` to its facts or to what the filing says of it."""
    facts = replace(CLEAN_FACTS, **{k: v for k, v in changes.items() if k not in FILING_SIDE})
    filing_side = {k: v for k, v in changes.items() if k in FILING_SIDE}
    return PatentOnRegister(facts=facts, **{"owner_ids": frozenset({PLEDGOR}), **filing_side})


def expiring(last_day: dt.date) -> dict:
    """The filing date of a CN invention whose last day in force is `last_day`."""
    return {"filing_date": add_years(last_day + dt.timedelta(days=1), -20)}


def clean_filing(*patents: PatentOnRegister, **changes) -> PledgeFiling:
    filing = PledgeFiling(
        pledgor_id=PLEDGOR,
        pledgee_id=BANK,
        debt_kind="loan",
        debt_amount=Decimal("5000000.00"),
        debt_currency="CNY",
        term_end=dt.date(2027, 3, 1),
        patents=patents or (clean_patent(),),
        pledgor_name="Hangzhou Demo Co.",
        pledgor_address="88 Wensan Road, Hangzhou",
        pledgee_name="Demo Bank",
        pledgee_address="1 Lujiazui Ring Road, Shanghai",
        patent_count=len(patents or (None,)),
        security_scope=refusals.SECURITY_SCOPE,
    )
    return replace(filing, **changes)


def codes(grounds: list[Ground]) -> list[str]:
    return [g.code for g in grounds]


def test_a_clean_filing_has_no_grounds():
    assert refusal_grounds(clean_filing(), on=ON) == []


def test_the_codes_are_the_twelve_of_the_domain():
    assert len(refusals.GROUND_CODES) == 12
    assert set(refusals.GROUND_TITLES) == set(refusals.GROUND_CODES)


# Each ground triggered alone: (filing, the one expected code, a piece of its evidence)
ALONE = {
    "PLEDGOR_NOT_OWNER": (
        clean_filing(clean_patent(owner_ids=frozenset({STRANGER}))),
        {"pledgor": PLEDGOR, "owners_on_register": [STRANGER]},
    ),
    "PATENT_NOT_IN_FORCE": (
        clean_filing(clean_patent(status="lapsed")),
        {"status": "lapsed"},
    ),
    "NOT_GRANTED": (
        clean_filing(clean_patent(grant_date=None)),
        {"grant_date": None},
    ),
    "ANNUAL_FEE_UNPAID": (
        clean_filing(clean_patent(annual_fee_paid_until=dt.date(2026, 2, 1))),
        {"annual_fee_paid_until": "2026-02-01", "days_overdue": 29},
    ),
    "OWNERSHIP_FROZEN": (
        clean_filing(clean_patent(ownership_frozen=True)),
        {"ownership_frozen": True},
    ),
    "TERM_EXCEEDS_PATENT": (
        clean_filing(clean_patent(**expiring(dt.date(2026, 12, 31))), term_end=dt.date(2027, 3, 1)),
        {"term_end": "2027-03-01", "expiry_date": "2026-12-31", "days_beyond": 60},
    ),
    "CONTRACT_INCOMPLETE": (
        clean_filing(debt_kind=""),
        {"missing": ["debt_kind"]},
    ),
    "CO_OWNER_CONSENT_MISSING": (
        clean_filing(clean_patent(owner_ids=frozenset({PLEDGOR, CO_OWNER}))),
        {"without_consent": [CO_OWNER], "consented": [PLEDGOR]},
    ),
    "ALREADY_PLEDGED": (
        clean_filing(clean_patent(registered_pledges=("PR-2025-000007",))),
        {"registrations": ["PR-2025-000007"]},
    ),
    "SAME_DAY_TWIN": (
        clean_filing(
            clean_patent(
                number="ZL202120000001.7", kind="utility_model", same_day_twin=True
            )
        ),
        {"same_day_twin": True, "acknowledged": False},
    ),
    "INVALIDATION_PENDING": (
        clean_filing(clean_patent(invalidation_pending=True)),
        {"invalidation_pending": True, "acknowledged": False},
    ),
}


def test_every_ground_has_a_case_alone():
    # OTHER is never found by the pre-check: only the registrar states it, with a reason.
    assert set(ALONE) == set(refusals.GROUND_CODES) - refusals.REGISTRAR_ONLY


@pytest.mark.parametrize("code", list(ALONE))
def test_each_ground_triggered_alone(code):
    filing, evidence = ALONE[code]
    grounds = refusal_grounds(filing, on=ON)
    assert codes(grounds) == [code]
    ground = grounds[0]
    for key, value in evidence.items():
        assert ground.evidence[key] == value
    expected_patent = None if code == "CONTRACT_INCOMPLETE" else filing.patents[0].number
    assert ground.patent == expected_patent
    assert ground.as_dict()["title"] == refusals.GROUND_TITLES[code][0]


def test_one_filing_that_triggers_several_returns_them_all():
    bad_invention = clean_patent(
        owner_ids=frozenset({STRANGER, CO_OWNER}),
        status="invalidated",
        grant_date=None,
        annual_fee_paid_until=dt.date(2025, 8, 11),
        ownership_frozen=True,
        **expiring(dt.date(2026, 6, 30)),
        registered_pledges=("PR-2025-000003",),
        invalidation_pending=True,
    )
    twin = clean_patent(
        number="ZL202120000001.7",
        kind="utility_model",
        same_day_twin=True,
    )
    filing = clean_filing(bad_invention, twin, debt_amount=None, term_end=dt.date(2027, 3, 1))
    grounds = refusal_grounds(filing, on=ON)
    assert set(codes(grounds)) == set(refusals.GROUND_CODES) - refusals.REGISTRAR_ONLY
    # Reported in the order of DOMAIN.md §3, each naming its patent.
    assert codes(grounds) == [c for c in refusals.GROUND_CODES if c not in refusals.REGISTRAR_ONLY]
    by_code = {g.code: g for g in grounds}
    assert by_code["SAME_DAY_TWIN"].patent == "ZL202120000001.7"
    assert by_code["PLEDGOR_NOT_OWNER"].patent == "ZL202110921116.9"
    assert by_code["CONTRACT_INCOMPLETE"].evidence == {"missing": ["debt_amount"]}
    assert by_code["CO_OWNER_CONSENT_MISSING"].evidence["without_consent"] == [CO_OWNER, STRANGER]


def test_a_ground_on_two_patents_is_reported_for_each_in_filing_order():
    first = clean_patent(number="ZL202110921116.9", ownership_frozen=True)
    second = clean_patent(number="ZL201811564288.X", ownership_frozen=True)
    grounds = refusal_grounds(clean_filing(second, first), on=ON)
    assert [(g.code, g.patent) for g in grounds] == [
        ("OWNERSHIP_FROZEN", "ZL201811564288.X"),
        ("OWNERSHIP_FROZEN", "ZL202110921116.9"),
    ]


@pytest.mark.parametrize("code", ["SAME_DAY_TWIN", "INVALIDATION_PENDING"])
def test_acknowledgement_suppresses_its_ground(code):
    filing, _ = ALONE[code]
    assert refusal_grounds(replace(filing, acknowledged=frozenset({code})), on=ON) == []


def test_acknowledging_one_risk_does_not_suppress_the_other():
    twin = clean_patent(
        kind="utility_model", same_day_twin=True, invalidation_pending=True
    )
    filing = clean_filing(twin, acknowledged=frozenset({"SAME_DAY_TWIN"}))
    assert codes(refusal_grounds(filing, on=ON)) == ["INVALIDATION_PENDING"]


@pytest.mark.parametrize("code", ["OWNERSHIP_FROZEN", "ALREADY_PLEDGED", "ANNUAL_FEE_UNPAID"])
def test_other_grounds_cannot_be_acknowledged_away(code):
    filing, _ = ALONE[code]
    assert codes(refusal_grounds(replace(filing, acknowledged=frozenset(refusals.GROUND_CODES)), on=ON)) == [code]


def test_same_day_twin_flag_on_an_invention_is_not_a_ground():
    # Only a utility model can lose out to its same-day invention twin.
    assert refusal_grounds(clean_filing(clean_patent(same_day_twin=True)), on=ON) == []


def test_expiry_date_past_refuses_even_if_status_says_in_force():
    patent = clean_patent(**expiring(dt.date(2026, 3, 1)))
    grounds = refusal_grounds(clean_filing(patent, term_end=dt.date(2026, 3, 1)), on=ON)
    assert codes(grounds) == ["PATENT_NOT_IN_FORCE"]
    assert grounds[0].evidence["expiry_date"] == "2026-03-01"


def test_last_day_of_protection_and_fee_paid_until_today_are_fine():
    patent = clean_patent(**expiring(ON), annual_fee_paid_until=ON)
    assert refusal_grounds(clean_filing(patent, term_end=ON), on=ON) == []


def test_grant_after_the_check_date_is_not_granted_yet():
    assert codes(refusal_grounds(clean_filing(clean_patent(grant_date=ON + dt.timedelta(days=1))), on=ON)) == [
        "NOT_GRANTED"
    ]


def test_no_fee_record_is_not_a_ground():
    assert refusal_grounds(clean_filing(clean_patent(annual_fee_paid_until=None)), on=ON) == []


def test_every_co_owner_consenting_clears_the_ground():
    patent = clean_patent(owner_ids=frozenset({PLEDGOR, CO_OWNER}), consenting_owner_ids=frozenset({CO_OWNER}))
    assert refusal_grounds(clean_filing(patent), on=ON) == []


@pytest.mark.parametrize(
    "changes,missing",
    [
        ({"pledgor_id": None}, ["pledgor_name", "pledgor_address"]),
        ({"pledgee_id": None}, ["pledgee_name", "pledgee_address"]),
        ({"pledgor_address": ""}, ["pledgor_address"]),
        ({"pledgee_address": "  "}, ["pledgee_address"]),
        ({"pledgor_name": ""}, ["pledgor_name"]),
        ({"debt_amount": Decimal("0")}, ["debt_amount"]),
        ({"debt_currency": ""}, ["debt_amount"]),
        ({"term_end": None}, ["term"]),
        ({"patents": ()}, ["patent_count", "patent_list"]),
        ({"patent_count": 2}, ["patent_count"]),
        ({"security_scope": ("principal", "interest")}, ["security_scope"]),
        (
            {"contract_items": frozenset(refusals.CONTRACT_ITEMS) - {"pledgee_address", "term"}},
            ["pledgee_address", "term"],
        ),
    ],
)
def test_contract_items_missing(changes, missing):
    grounds = refusal_grounds(clean_filing(**changes), on=ON)
    assert codes(grounds) == ["CONTRACT_INCOMPLETE"]
    assert grounds[0].evidence["missing"] == missing


def test_a_patent_without_title_leaves_the_patent_list_incomplete():
    grounds = refusal_grounds(clean_filing(clean_patent(title="")), on=ON)
    assert grounds[0].evidence["missing"] == ["patent_list"]


def test_evidence_is_plain_json():
    import json

    filing, _ = ALONE["ANNUAL_FEE_UNPAID"]
    json.dumps([g.as_dict() for g in refusal_grounds(filing, on=ON)])


def test_twelve_grounds_and_other_is_never_found_by_the_precheck():
    assert len(refusals.GROUND_CODES) == 12 and refusals.GROUND_CODES[-1] == "OTHER"
    assert refusals.OTHER in refusals.REGISTRAR_ONLY
    everything = clean_filing(
        clean_patent(owner_ids=frozenset({STRANGER}), status="lapsed", grant_date=None, ownership_frozen=True,
                     invalidation_pending=True, registered_pledges=("PR-2025-000001",)),
        debt_kind="",
    )
    assert "OTHER" not in codes(refusal_grounds(everything, on=ON))


def test_every_ground_is_titled_in_both_languages_and_the_2021_measures_are_cited():
    from documents.pdf import wording

    assert set(refusals.GROUND_TITLES) == set(refusals.GROUND_CODES) == set(wording.GROUNDS)
    assert "2021" in refusals.MEASURES[0] and "2021" in refusals.MEASURES[1]
    assert "2021" in wording.MEASURES_CITATION[1]
