"""Valuation services: the appraiser's valuation, the lending check the bank must pass, and the quote."""
from __future__ import annotations

import datetime as dt
from dataclasses import fields
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from core.json import as_json
from core.errors import Conflict, ValidationFailed
from financing.models import PledgeApplication, PledgedPatent, State
from patents.facts import PatentFacts
from patents.numbers import parse_patent_number
from valuation.calculations import (
    LendingPolicy,
    PatentValuationResult,
    ValuationInputError,
    loan_cap,
    patent_valuation,
    protection_check,
    valuation_valid_until,
)
from valuation.models import PatentValuation, Valuation
from valuation.policy import high_value_criteria, lending_policy, quality_weights
from valuation.selectors import valuation_current_for
from valuation.workings import workings_of

# States in which a pledge was registered, so the patent has "secured a pledge" (high-value category).
SECURED_STATES = (State.REGISTERED, State.DISBURSED, State.RELEASED, State.DEFAULTED, State.DISPOSED)




def _refused_input(error: ValuationInputError, prefix: str = "") -> ValidationFailed:
    field = f"{prefix}{error.field}"
    return ValidationFailed(f"{field}: {error.message}", code="invalid", details={field: [error.message]})


def _policy_snapshot(policy: LendingPolicy) -> dict:
    snapshot = {}
    for item in fields(policy):
        value = getattr(policy, item.name)
        snapshot[item.name] = dict(value) if hasattr(value, "items") else value
    return as_json(snapshot)


def _facts(patent) -> PatentFacts:
    return PatentFacts.of(patent)


def _pledges_secured(*, application: PledgeApplication, patent_ids: list[int]) -> dict[int, Decimal]:
    """Per patent, the largest loan an earlier registered pledge of it secured, in this application's currency."""
    rows = (
        PledgedPatent.objects.filter(
            patent_id__in=patent_ids, application__state__in=SECURED_STATES,
            application__currency=application.currency,
        )
        .exclude(application=application)
        .values("patent_id")
        .annotate(largest=Max("application__terms__amount"))
    )
    return {row["patent_id"]: row["largest"] for row in rows if row["largest"] is not None}


def _base_number(number: str) -> str:
    # Two spellings of one US patent (with or without its kind code) are the same patent.
    return parse_patent_number(number).base


@transaction.atomic
def valuation_complete(
    *, application: PledgeApplication, by, valuation_date: dt.date, patents: list[dict], note: str = ""
) -> Valuation:
    """Value every pledged patent from the appraiser's inputs and store it as the application's new current valuation.

    `patents`: one entry per pledged patent, {"number", "income", "cost", "market", "quality",
    "weights"}, each part shaped as the quote's (DOMAIN.md §4). The previous
    valuation, if any, is marked superseded, never changed otherwise.
    Raises ValidationFailed (400) naming the field on any bad input.
    """
    policy = lending_policy()
    valid_until = valuation_valid_until(valuation_date, policy)
    if valid_until < timezone.localdate():
        message = (f"a valuation dated {valuation_date.isoformat()} expired on {valid_until.isoformat()} "
                   f"({policy.valuation_validity_months} months' validity)")
        raise ValidationFailed(f"valuation_date: {message}", details={"valuation_date": [message]})

    # Lock the application row so two appraisers cannot number the same version; the loser waits,
    # then fails the state machine's optimistic lock.
    PledgeApplication.objects.select_for_update().filter(pk=application.pk).exists()
    pledged = {_base_number(pp.patent.number): pp.patent
               for pp in application.pledged_patents.select_related("patent").order_by("id")}
    entries = patents
    by_number = {}
    errors = {}
    for index, entry in enumerate(entries):
        base = _base_number(entry["number"])
        if base not in pledged:
            errors[f"patents.{index}.number"] = [f"{entry['number']} is not pledged in this application"]
        by_number[base] = (index, entry)
    missing = [patent.number for base, patent in pledged.items() if base not in by_number]
    if missing:
        errors["patents"] = [f"every pledged patent must be valued; missing: {', '.join(missing)}"]
    if errors:
        first = next(iter(errors))
        raise ValidationFailed(f"{first}: {errors[first][0]}", code="invalid", details=errors)

    secured = _pledges_secured(application=application, patent_ids=[p.pk for p in pledged.values()])
    weights = quality_weights()
    criteria = high_value_criteria()
    results: list[tuple[object, dict, PatentValuationResult]] = []
    for base, patent in pledged.items():
        index, entry = by_number[base]
        try:
            result = patent_valuation(
                patent=_facts(patent), valuation_date=valuation_date,
                income=entry.get("income"), cost=entry.get("cost"), market=entry.get("market"),
                quality=entry.get("quality"), weights=entry.get("weights"), quality_weights=weights,
                pledge_secured=secured.get(patent.pk, Decimal("0")), currency=application.currency,
                policy=policy, criteria=criteria,
            )
        except ValuationInputError as error:
            raise _refused_input(error, prefix=f"patents.{index}.") from None
        results.append((patent, entry, result))

    cap = loan_cap((patent.number, result.value, result.ltv) for patent, _, result in results)
    current = Valuation.objects.filter(application=application, superseded_at__isnull=True)
    latest = Valuation.objects.filter(application=application).aggregate(latest=Max("version"))["latest"] or 0
    current.update(superseded_at=timezone.now())
    valuation = Valuation.objects.create(
        application=application,
        version=latest + 1,
        appraiser=by,
        valuation_date=valuation_date,
        valid_until=valid_until,
        currency=application.currency,
        total_value=cap.total_value,
        loan_cap=cap.cap,
        policy=_policy_snapshot(policy),
        note=note,
    )
    PatentValuation.objects.bulk_create(
        PatentValuation(
            valuation=valuation,
            patent=patent,
            inputs=as_json(entry),
            expiry_date=result.expiry,
            remaining_term_years=result.remaining_term_years,
            income_value=result.income.value if result.income else None,
            cost_value=result.cost.value if result.cost else None,
            market_value=result.market.value if result.market else None,
            value=result.value,
            quality_score=result.quality.score,
            high_value=result.high_value.is_high_value,
            high_value_categories=list(result.high_value.reasons),
            ltv=result.ltv,
            max_loan=result.max_loan,
            workings=workings_of(result),
        )
        for patent, entry, result in results
    )
    return valuation


def lending_check(*, application: PledgeApplication, amount: Decimal, term_months: int, on: dt.date) -> None:
    """Refuse (409) a loan the current valuation does not support.

    Codes: "valuation_missing" (none, or it does not cover every pledged
    patent), "valuation_expired", "amount_exceeds_cap", and
    "term_outlasts_protection" (a pledged patent expires before the loan's
    end plus the policy margin).
    """
    policy = lending_policy()
    current = valuation_current_for(application)
    if current is None:
        raise Conflict("the pledged patents have not been valued", code="valuation_missing")
    if on > current.valid_until:
        raise Conflict(
            f"the valuation of {current.valuation_date.isoformat()} expired on {current.valid_until.isoformat()}; "
            "request a revaluation",
            code="valuation_expired",
            details={"valuation_date": current.valuation_date.isoformat(),
                     "valid_until": current.valid_until.isoformat(), "on": on.isoformat()},
        )
    pledged = [pp.patent for pp in application.pledged_patents.select_related("patent").order_by("id")]
    valued = {pv.patent_id for pv in current.patent_valuations.all()}
    unvalued = [patent.number for patent in pledged if patent.pk not in valued]
    if unvalued:
        raise Conflict(
            f"the valuation does not cover {', '.join(unvalued)}; request a revaluation",
            code="valuation_missing", details={"unvalued": unvalued},
        )
    if amount > current.loan_cap:
        raise Conflict(
            f"amount {amount} {current.currency} exceeds the loan cap of {current.loan_cap} {current.currency}",
            code="amount_exceeds_cap",
            details={"amount": str(amount), "cap": str(current.loan_cap), "currency": current.currency,
                     "valuation_version": current.version},
        )
    short = []
    for patent in pledged:
        check = protection_check(expiry=patent.expiry_date, on=on, term_months=term_months, policy=policy)
        if not check.ok:
            short.append({"number": patent.number, "expiry_date": check.expiry.isoformat(),
                          "protection_needed_until": check.protection_needed_until.isoformat()})
    if short:
        raise Conflict(
            f"a {term_months}-month loan from {on.isoformat()} needs protection until "
            f"{short[0]['protection_needed_until']} ({policy.protection_margin_months} months beyond the loan); "
            f"{', '.join(p['number'] + ' expires ' + p['expiry_date'] for p in short)}",
            code="term_outlasts_protection",
            details={"term_months": term_months, "margin_months": policy.protection_margin_months, "patents": short},
        )


def valuation_quote(
    *,
    patent: dict,
    valuation_date: dt.date,
    currency: str = "CNY",
    income: dict | None = None,
    cost: dict | None = None,
    market: dict | None = None,
    quality: dict | None = None,
    weights: dict | None = None,
    pledge_amount: Decimal | None = None,
) -> PatentValuationResult:
    """A stateless estimate for a patent described by the caller (nothing is stored or looked up).

    `patent` holds PatentFacts fields (QuotePatentSerializer's validated data): the facts a registered
    patent gives, so its expiry is counted the same way (a US design from its grant date); what the
    caller leaves out keeps PatentFacts' defaults (in force, no flags).
    """
    facts = PatentFacts(**patent)
    try:
        return patent_valuation(
            patent=facts, valuation_date=valuation_date, income=income, cost=cost, market=market,
            quality=quality, weights=weights, quality_weights=quality_weights(),
            pledge_secured=pledge_amount or Decimal("0"), currency=currency,
            policy=lending_policy(), criteria=high_value_criteria(),
        )
    except ValuationInputError as error:
        raise _refused_input(error) from None
