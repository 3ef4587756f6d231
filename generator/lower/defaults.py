"""Whether a schema's `default` is a value of the type lowering gave the schema."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from generator import ir

SCALAR_DEFAULT_KINDS: dict[str, Any] = {"str": str, "int": int, "float": (int, float), "bool": bool}


def default_fits(value: Any, type_: ir.TypeRef) -> bool:
    inner = type_.inner if isinstance(type_, ir.Nullable) else type_
    if value is None:
        return isinstance(type_, ir.Nullable) or inner == ir.ANY
    if isinstance(inner, ir.LiteralType):
        return value in inner.values
    if not isinstance(inner, ir.Primitive):
        return True  # objects, arrays and unions: documentation only, not checked
    parse = _FORMAT_CHECKS.get(inner.kind)
    if parse is not None:
        try:
            parse(value)
        except (TypeError, ValueError, AttributeError):
            return False
        return True
    if inner.kind in SCALAR_DEFAULT_KINDS:
        return isinstance(value, SCALAR_DEFAULT_KINDS[inner.kind]) and (
            inner.kind == "bool" or not isinstance(value, bool)
        )
    return True


_FORMAT_CHECKS: dict[str, Any] = {
    "uuid": lambda v: uuid.UUID(v),
    "date": lambda v: datetime.date.fromisoformat(v),
    "datetime": lambda v: datetime.datetime.fromisoformat(v.replace("Z", "+00:00")),
}
