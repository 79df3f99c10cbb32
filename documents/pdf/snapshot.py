"""Content dataclasses to JSON and back, so a document keeps what it said at its stage.

The documents service snapshots a document's content when its stage is reached
and builds from the snapshot: a retry, or a rebuild to check a hash, prints
the same facts and so the same bytes, whatever changed on the application since.
Decimals and dates travel as strings.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from . import KINDS


def content_to_json(content: Any) -> Any:
    if dataclasses.is_dataclass(content):
        return {f.name: content_to_json(getattr(content, f.name)) for f in dataclasses.fields(content)}
    if isinstance(content, (Decimal, date)):
        return str(content) if isinstance(content, Decimal) else content.isoformat()
    if isinstance(content, (tuple, list)):
        return [content_to_json(item) for item in content]
    if isinstance(content, dict):
        return {str(key): content_to_json(value) for key, value in content.items()}
    return content


@lru_cache(maxsize=None)
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _decode(annotation: Any, value: Any) -> Any:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        if value is None:
            return None
        options = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _decode(options[0], value)
    if origin is tuple:
        item_type = typing.get_args(annotation)[0]
        return tuple(_decode(item_type, item) for item in value)
    if origin is dict:
        _, value_type = typing.get_args(annotation)
        return {key: _decode(value_type, item) for key, item in value.items()}
    if dataclasses.is_dataclass(annotation):
        hints = _hints(annotation)
        known = {f.name for f in dataclasses.fields(annotation)}
        return annotation(**{name: _decode(hints[name], item) for name, item in value.items() if name in known})
    if annotation is Decimal:
        return Decimal(value)
    if annotation is date:
        return date.fromisoformat(value)
    return value


def content_from_json(kind: str, data: dict) -> Any:
    """The content dataclass of `kind` from its snapshot; fields added since default, gone ones are dropped."""
    return _decode(KINDS[kind].content_type, data)
