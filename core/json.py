"""Plain JSON for JSON columns and audit payloads: Decimals and dates as the strings the API shows."""
from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder


def as_json(value: Any) -> Any:
    """`value` with Decimals, dates and datetimes turned into strings; raises TypeError on anything else."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))
