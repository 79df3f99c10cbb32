"""What a registered pledge is made of: the items a change may touch, and the US states a UCC-1 is filed in."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

# The secured debt of every pledge pledgeflow files: a loan.
DEBT_KIND_LOAN = "loan"

# Items of a registered pledge that `record_change` may change (DOMAIN.md §2.8: a new amount, a longer
# term, a renamed party), each named as the Filing field that holds it as registered, with the Python
# type of its value.
CHANGEABLE_ITEM_TYPES: dict[str, type] = {
    "debt_amount": Decimal,
    "debt_currency": str,
    "debt_kind": str,
    "term_end": dt.date,
    "pledgor_name": str,
    "pledgor_name_zh": str,
    "pledgor_address": str,
    "pledgee_name": str,
    "pledgee_name_zh": str,
    "pledgee_address": str,
}
CHANGEABLE_ITEMS = tuple(CHANGEABLE_ITEM_TYPES)
# Not an item of the register but an instruction recorded as a change: release these patents from the
# pledge while the rest stay pledged (DOMAIN.md §3, a partial release).
RELEASE_PATENTS = "release_patents"

# Friendlier names clients may use for the same items.
ITEM_ALIASES = {"amount": "debt_amount", "currency": "debt_currency"}

# USPS codes of the states, DC and the territories with a UCC filing office.
US_STATES = frozenset(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND "
    "OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY AS GU MP PR VI".split()
)
