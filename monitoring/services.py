"""The post-loan sweep: check every active pledge against the register and keep its alerts current."""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import asdict, dataclass
from typing import Iterable, Iterator

from django.conf import settings
from django.db import transaction

from financing.models import PledgeApplication, PledgedPatent, State
from monitoring.watch import Finding, WatchPolicy, pledge_findings, ucc1_findings, us_recording_findings
from monitoring.models import Alert
from events.services import events_for_alerts_raised
from patents.facts import PatentFacts
from registration.models import FiledPatent, Filing, UccFiling

logger = logging.getLogger(__name__)

# A pledge is watched from registration until the loan ends: repaid (released) or enforced (disposed).
ACTIVE_STATES = (State.REGISTERED, State.DISBURSED, State.CANCELLATION_APPLIED, State.DEFAULTED)
# A US security agreement is watched from its execution (the contracts' signing) until it is recorded
# (35 USC 261); only that is watched before registration.
RECORDING_STATES = (
    State.CONTRACTED, State.REGISTRATION_FILED, State.CORRECTION_REQUESTED, State.REGISTRATION_REFUSED,
)
WATCHED_STATES = ACTIVE_STATES + RECORDING_STATES
DEFAULT_BATCH_SIZE = 1000
# Keeps each `id IN (...)` well under SQLite's and PostgreSQL's parameter limits.
ID_CHUNK = 900

PATENT_FIELDS = PatentFacts.fields("patent__")


@dataclass
class SweepSummary:
    today: dt.date
    pledges: int = 0
    patents: int = 0
    opened: int = 0
    still_open: int = 0
    updated: int = 0
    resolved: int = 0
    batches: int = 0

    def as_dict(self) -> dict:
        return {**asdict(self), "today": self.today.isoformat()}

    def __str__(self) -> str:
        return (
            f"{self.today.isoformat()}: {self.pledges} active pledges, {self.patents} pledged patents checked "
            f"in {self.batches} batches; alerts opened {self.opened}, still open {self.still_open} "
            f"(of which updated {self.updated}), resolved {self.resolved}"
        )


def watch_policy() -> WatchPolicy:
    return WatchPolicy(
        fee_notice_days=settings.PLEDGEFLOW_MONITOR_FEE_NOTICE_DAYS,
        protection_margin_months=settings.PLEDGEFLOW_MIN_PROTECTION_MARGIN_MONTHS,
    )


def monitor_pledges_run(*, today: dt.date, batch_size: int = DEFAULT_BATCH_SIZE) -> SweepSummary:
    """Sweep every active pledge once; running it again on the same facts changes nothing.

    Applications are read in windows of `batch_size` consecutive ids, so memory stays bounded by
    the batch size however many pledges there are, and each window costs the same whatever its
    position (an id range is an index range on every database; "the next N active ones in id
    order" is not, and made each batch re-sort all active pledges). Each window is written in its
    own transaction.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    summary = SweepSummary(today=today)
    policy = watch_policy()
    for window, batch in _active_pledge_batches(batch_size):
        with transaction.atomic():
            _sweep_batch(window=window, batch=batch, today=today, policy=policy, summary=summary)
        summary.batches += 1
    # Loans that ended, or pledges no longer registered: nothing left to watch.
    with transaction.atomic():
        summary.resolved += Alert.objects.filter(status=Alert.Status.OPEN).exclude(
            application__state__in=WATCHED_STATES
        ).update(status=Alert.Status.RESOLVED, resolved_on=today)
    logger.info("monitor_pledges: %s", summary)
    return summary


def _active_pledge_batches(batch_size: int) -> Iterator[tuple[tuple[int, int], dict]]:
    """((first id, last id), {application id: (signed_on, term months, state)}) for each id window holding
    watched pledges: active ones, and those not yet recorded (RECORDING_STATES)."""
    ids = PledgeApplication.objects.order_by("id").values_list("id", flat=True)
    first, last = ids.first(), ids.last()  # two index lookups; MIN and MAX together would scan
    if first is None:
        return
    # Applications created while the sweep runs are not yet pledged; tomorrow's sweep sees them.
    for low in range(first, last + 1, batch_size):
        high = low + batch_size - 1
        rows = (
            PledgeApplication.objects.filter(state__in=WATCHED_STATES, id__gte=low, id__lte=high)
            .order_by()
            .values_list("id", "term_months", "terms__signed_on", "terms__term_months", "state")
        )
        batch = {
            pk: (signed_on, terms_months or term_months, state)
            for pk, term_months, signed_on, terms_months, state in rows
        }
        if batch:
            yield (low, high), batch


def _sweep_batch(*, window: tuple[int, int], batch: dict, today: dt.date, policy: WatchPolicy,
                 summary: SweepSummary) -> None:
    first, last = window
    summary.pledges += sum(1 for *_, state in batch.values() if state in ACTIVE_STATES)

    wanted: dict[tuple[int, int, str], Finding] = {}
    pledged = (
        PledgedPatent.objects.filter(application_id__gte=first, application_id__lte=last)
        .order_by()  # no sort: the order does not matter here
        .values_list("application_id", "patent_id", *PATENT_FIELDS)
    )
    # Patents a recorded change released from a registration that still stands: no longer collateral.
    released = set(
        FiledPatent.objects.filter(
            filing__application_id__gte=first, filing__application_id__lte=last,
            filing__status=Filing.Status.REGISTERED, registered=False,
        ).order_by().values_list("filing__application_id", "patent_id")
    )
    # UCC-1s of standing filings, by application: the first filed, then its continuations.
    ucc1s: dict[int, list[dt.date]] = {}
    for application_id, filed_on in (
        UccFiling.objects.filter(
            filing__application_id__gte=first, filing__application_id__lte=last, filed_on__isnull=False,
            filing__status__in=(Filing.Status.PENDING, Filing.Status.REGISTERED),
        ).order_by("filed_on", "id").values_list("filing__application_id", "filed_on")
    ):
        ucc1s.setdefault(application_id, []).append(filed_on)
    for application_id, patent_id, *facts in pledged.iterator(chunk_size=2000):
        if application_id not in batch or (application_id, patent_id) in released:
            continue  # in the id window, but not an active pledge, or a patent released from it
        patent = PatentFacts.from_values(facts)
        signed_on, term_months, state = batch[application_id]
        if state in RECORDING_STATES:
            if patent.jurisdiction != "US" or signed_on is None:
                continue
            summary.patents += 1
            findings = us_recording_findings(number=patent.number, executed_on=signed_on, recorded_on=None, today=today)
        else:
            summary.patents += 1
            # Every watched pledge was signed before it was filed; today stands in only for hand-made rows.
            findings = pledge_findings(
                patent=patent, loan_start=signed_on or today, term_months=term_months, today=today, policy=policy
            )
            if patent.jurisdiction == "US" and application_id in ucc1s:
                original, *continuations = ucc1s[application_id]
                findings += ucc1_findings(
                    number=patent.number, filed_on=original, continuations=tuple(continuations), today=today
                )
        for finding in findings:
            wanted[(application_id, patent_id, finding.kind)] = finding

    refresh, resolve, changed = [], [], []
    open_alerts = (
        Alert.objects.filter(status=Alert.Status.OPEN, application_id__gte=first, application_id__lte=last)
        .order_by()
        .values_list("id", "application_id", "patent_id", "kind", "severity", "message", "details", "last_seen")
    )
    for alert_id, application_id, patent_id, kind, severity, message, details, last_seen in open_alerts:
        if application_id not in batch:
            continue  # resolved by the closing pass in monitor_pledges_run
        finding = wanted.pop((application_id, patent_id, kind), None)
        if finding is None:
            resolve.append(alert_id)
            continue
        summary.still_open += 1
        if (finding.severity, finding.message, finding.details) != (severity, message, details):
            changed.append(Alert(
                id=alert_id, severity=finding.severity, message=finding.message, details=finding.details,
                last_seen=today,
            ))
        elif last_seen != today:
            refresh.append(alert_id)

    for ids in _chunks(refresh):
        Alert.objects.filter(id__in=ids).update(last_seen=today)
    for ids in _chunks(resolve):
        summary.resolved += Alert.objects.filter(id__in=ids).update(status=Alert.Status.RESOLVED, resolved_on=today)
    if changed:
        Alert.objects.bulk_update(changed, ["severity", "message", "details", "last_seen"], batch_size=500)
        summary.updated += len(changed)
    if wanted:
        # ignore_conflicts: should two sweeps overlap, the open-alert constraint keeps one row.
        Alert.objects.bulk_create(
            (
                Alert(
                    application_id=application_id, patent_id=patent_id, kind=kind, severity=finding.severity,
                    message=finding.message, details=finding.details, first_seen=today, last_seen=today,
                )
                for (application_id, patent_id, kind), finding in wanted.items()
            ),
            batch_size=500,
            ignore_conflicts=True,
        )
        summary.opened += len(wanted)
        # The outbox: one alert.raised per alert opened today in this window (ignore_conflicts gives
        # no ids back); an event already written for an alert is not written again.
        raised = Alert.objects.filter(
            status=Alert.Status.OPEN, application_id__gte=first, application_id__lte=last, first_seen=today,
        ).select_related("application")
        events_for_alerts_raised(alerts=[a for a in raised if (a.application_id, a.patent_id, a.kind) in wanted])


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), ID_CHUNK):
        yield ids[start:start + ID_CHUNK]
