"""The registrar's pre-check: every refusal ground of DOMAIN.md §3 that applies to a filing, with its evidence."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from patents.facts import PatentFacts

PLEDGOR_NOT_OWNER = "PLEDGOR_NOT_OWNER"
PATENT_NOT_IN_FORCE = "PATENT_NOT_IN_FORCE"
NOT_GRANTED = "NOT_GRANTED"
ANNUAL_FEE_UNPAID = "ANNUAL_FEE_UNPAID"
OWNERSHIP_FROZEN = "OWNERSHIP_FROZEN"
TERM_EXCEEDS_PATENT = "TERM_EXCEEDS_PATENT"
CONTRACT_INCOMPLETE = "CONTRACT_INCOMPLETE"
CO_OWNER_CONSENT_MISSING = "CO_OWNER_CONSENT_MISSING"
ALREADY_PLEDGED = "ALREADY_PLEDGED"
SAME_DAY_TWIN = "SAME_DAY_TWIN"
INVALIDATION_PENDING = "INVALIDATION_PENDING"
OTHER = "OTHER"

# The text the grounds and the mandatory contract items come from (DOMAIN.md §3).
MEASURES = (
    "《专利权质押登记办法》（国家知识产权局，2021年）",
    "Measures for Patent Pledge Registration (CNIPA, 2021)",
)

# In the order of DOMAIN.md §3; grounds are reported in this order.
GROUND_CODES: tuple[str, ...] = (
    PLEDGOR_NOT_OWNER,
    PATENT_NOT_IN_FORCE,
    NOT_GRANTED,
    ANNUAL_FEE_UNPAID,
    OWNERSHIP_FROZEN,
    TERM_EXCEEDS_PATENT,
    CONTRACT_INCOMPLETE,
    CO_OWNER_CONSENT_MISSING,
    ALREADY_PLEDGED,
    SAME_DAY_TWIN,
    INVALIDATION_PENDING,
    OTHER,
)

# Only the registrar states these, with a reason; the pre-check never finds them.
REGISTRAR_ONLY: frozenset[str] = frozenset({OTHER})

# The parties may accept these risks when they file; the others always refuse.
ACKNOWLEDGEABLE: frozenset[str] = frozenset({SAME_DAY_TWIN, INVALIDATION_PENDING})

# Wording for notices and screens, English and Chinese: the twelve grounds of the 2021 Measures (MEASURES).
GROUND_TITLES: dict[str, tuple[str, str]] = {
    PLEDGOR_NOT_OWNER: ("The pledgor is not the patentee on the register", "出质人不是专利登记簿记载的专利权人"),
    PATENT_NOT_IN_FORCE: ("The patent has lapsed, expired or been declared invalid", "专利权已终止或者已被宣告无效"),
    NOT_GRANTED: ("The patent has not been granted", "专利申请尚未被授予专利权"),
    ANNUAL_FEE_UNPAID: ("An annual fee is unpaid past its due date", "专利年费逾期未缴纳"),
    OWNERSHIP_FROZEN: (
        "Proceedings are suspended by an ownership dispute, or a court preservation order stands",
        "专利权处于权属纠纷中止程序或者被采取保全措施",
    ),
    TERM_EXCEEDS_PATENT: ("The debtor's term ends after the patent expires", "债务人履行债务的期限超过专利权有效期"),
    CONTRACT_INCOMPLETE: ("The pledge contract lacks a mandatory item", "质押合同缺少必备条款"),
    CO_OWNER_CONSENT_MISSING: (
        "A co-owned patent is pledged without every co-owner's consent",
        "共有专利权出质未经全体共有人同意",
    ),
    ALREADY_PLEDGED: ("The patent is under a registered pledge that has not been cancelled", "专利权已被出质且尚未注销"),
    SAME_DAY_TWIN: (
        "A utility model has a same-day invention twin, not acknowledged by the parties",
        "实用新型存在同日申请的发明专利，当事人未予确认",
    ),
    INVALIDATION_PENDING: (
        "An invalidation request is pending, not acknowledged by the parties",
        "专利权已被提出无效宣告请求，当事人未予确认",
    ),
    OTHER: (
        "Another case in which the law does not allow the patent to be pledged",
        "其他依法不得出质的情形",
    ),
}

# What a pledge contract must state (DOMAIN.md §3, after the 2021 Measures): both parties' names and
# addresses, the kind and amount of the secured debt, the debtor's term, the number of patents and for
# each its number, title and dates, and the scope of the security.
CONTRACT_ITEMS: tuple[str, ...] = (
    "pledgor_name", "pledgor_address", "pledgee_name", "pledgee_address", "debt_kind", "debt_amount", "term",
    "patent_count", "patent_list", "security_scope",
)
# What the security covers: every pledge contract states all four.
SECURITY_SCOPE: tuple[str, ...] = ("principal", "interest", "penalties", "enforcement_costs")


@dataclass(frozen=True)
class PatentOnRegister:
    """One pledged patent as the register shows it on the check date, with what this filing says of it."""

    facts: PatentFacts
    owner_ids: frozenset[int]
    # Owners who consented to this pledge (the pledgor's own consent is implied by filing).
    consenting_owner_ids: frozenset[int] = frozenset()
    # Registration numbers of other registered, uncancelled pledges of this patent.
    registered_pledges: tuple[str, ...] = ()

    @property
    def number(self) -> str:
        return self.facts.number


@dataclass(frozen=True)
class PledgeFiling:
    """What a filing states: parties, the secured debt, the debtor's term, the patents, and what was acknowledged."""

    pledgor_id: int | None
    pledgee_id: int | None
    debt_kind: str
    debt_amount: Decimal | None
    debt_currency: str
    term_end: dt.date | None
    patents: tuple[PatentOnRegister, ...]
    acknowledged: frozenset[str] = frozenset()
    # Items the signed pledge contract states; None means judge only by the particulars above.
    contract_items: frozenset[str] | None = None
    # The parties as the contract names them; None (a caller that does not give them) is not checked.
    pledgor_name: str | None = None
    pledgor_address: str | None = None
    pledgee_name: str | None = None
    pledgee_address: str | None = None
    # How many patents the contract says it pledges (None: not given, not checked), and what it secures.
    patent_count: int | None = None
    security_scope: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Ground:
    """One reason to refuse: its code, the patent concerned (None for the filing as a whole), and the facts."""

    code: str
    patent: str | None
    evidence: dict[str, Any] = field(default_factory=dict)
    # The office whose list the code is from: "CN" (the 2021 Measures) or "US" (a notice of non-recordation).
    office: str = "CN"

    def _titles(self) -> tuple[str, str]:
        if self.office == "US":
            from registration.recordation import NON_RECORDATION_TITLES

            return NON_RECORDATION_TITLES[self.code]
        return GROUND_TITLES[self.code]

    @property
    def title(self) -> str:
        return self._titles()[0]

    @property
    def title_zh(self) -> str:
        return self._titles()[1]

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "patent": self.patent, "title": self.title, "evidence": dict(self.evidence)}


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def refusal_grounds(filing: PledgeFiling, *, on: dt.date) -> list[Ground]:
    """Every ground that applies to `filing` on the date `on`, in the order of DOMAIN.md §3, patents in filing order.

    An empty list means the filing may be registered.
    """
    found: list[Ground] = []
    for patent in filing.patents:
        found.extend(_patent_grounds(filing, patent, on))
    missing = _missing_contract_items(filing)
    if missing:
        found.append(Ground(CONTRACT_INCOMPLETE, None, {"missing": missing}))
    order = {code: i for i, code in enumerate(GROUND_CODES)}
    position = {p.number: i for i, p in enumerate(filing.patents)}
    # Stable sort: by ground, then by the patent's place in the filing (filing-wide grounds first).
    found.sort(key=lambda g: (order[g.code], -1 if g.patent is None else position[g.patent]))
    return found


def _patent_grounds(filing: PledgeFiling, patent: PatentOnRegister, on: dt.date) -> list[Ground]:
    grounds: list[Ground] = []
    number = patent.number
    facts = patent.facts
    expiry = facts.expiry_date

    def ground(code: str, **evidence: Any) -> None:
        grounds.append(Ground(code, number, evidence))

    owners = sorted(patent.owner_ids)
    if filing.pledgor_id is not None and filing.pledgor_id not in patent.owner_ids:
        ground(PLEDGOR_NOT_OWNER, pledgor=filing.pledgor_id, owners_on_register=owners)

    # A fee unpaid past its grace period lapsed the patent as from the due date (patents.terms).
    lapsed_on = facts.fee_lapse_date(on)
    if not facts.in_force or expiry < on or lapsed_on is not None:
        evidence = {"status": facts.status, "expiry_date": _iso(expiry), "checked_on": _iso(on)}
        if lapsed_on is not None:
            evidence["lapsed_on"] = _iso(lapsed_on)
        ground(PATENT_NOT_IN_FORCE, **evidence)

    if facts.grant_date is None or facts.grant_date > on:
        ground(NOT_GRANTED, grant_date=_iso(facts.grant_date), checked_on=_iso(on))

    # A register without a payment record says nothing about fees; only a recorded date past due refuses.
    if facts.annual_fee_paid_until is not None and facts.annual_fee_paid_until < on:
        ground(
            ANNUAL_FEE_UNPAID,
            annual_fee_paid_until=_iso(facts.annual_fee_paid_until),
            checked_on=_iso(on),
            days_overdue=(on - facts.annual_fee_paid_until).days,
        )

    if facts.ownership_frozen:
        ground(OWNERSHIP_FROZEN, ownership_frozen=True)

    if filing.term_end is not None and filing.term_end > expiry:
        ground(
            TERM_EXCEEDS_PATENT,
            term_end=_iso(filing.term_end),
            expiry_date=_iso(expiry),
            days_beyond=(filing.term_end - expiry).days,
        )

    if len(patent.owner_ids) > 1:
        consented = set(patent.consenting_owner_ids) | {filing.pledgor_id}
        without_consent = sorted(patent.owner_ids - consented)
        if without_consent:
            ground(
                CO_OWNER_CONSENT_MISSING,
                owners_on_register=owners,
                consented=sorted(patent.owner_ids & consented),
                without_consent=without_consent,
            )

    if patent.registered_pledges:
        ground(ALREADY_PLEDGED, registrations=sorted(patent.registered_pledges))

    if facts.kind == "utility_model" and facts.same_day_twin and SAME_DAY_TWIN not in filing.acknowledged:
        ground(SAME_DAY_TWIN, same_day_twin=True, acknowledged=False)

    if facts.invalidation_pending and INVALIDATION_PENDING not in filing.acknowledged:
        ground(INVALIDATION_PENDING, invalidation_pending=True, acknowledged=False)

    return grounds


def _stated(text: str | None) -> bool:
    return text is None or bool(text.strip())


def _missing_contract_items(filing: PledgeFiling) -> list[str]:
    stated = {
        "pledgor_name": filing.pledgor_id is not None and _stated(filing.pledgor_name),
        "pledgor_address": filing.pledgor_id is not None and _stated(filing.pledgor_address),
        "pledgee_name": filing.pledgee_id is not None and _stated(filing.pledgee_name),
        "pledgee_address": filing.pledgee_id is not None and _stated(filing.pledgee_address),
        "debt_kind": bool(filing.debt_kind and filing.debt_kind.strip()),
        "debt_amount": filing.debt_amount is not None and filing.debt_amount > 0 and bool(filing.debt_currency),
        "term": filing.term_end is not None,
        "patent_count": filing.patent_count is None or filing.patent_count == len(filing.patents) > 0,
        "patent_list": bool(filing.patents)
        and all(p.facts.number and p.facts.title and p.facts.filing_date for p in filing.patents),
        "security_scope": filing.security_scope is None or set(SECURITY_SCOPE) <= set(filing.security_scope),
    }
    if filing.contract_items is not None:
        stated = {item: present and item in filing.contract_items for item, present in stated.items()}
    return [item for item in CONTRACT_ITEMS if not stated[item]]
