"""Operations grouped into the modules of a package's `_operations/` folder.

A client's methods are split by the first meaningful segment of their path (`/v1/customers/{id}` ->
`customers`), so that using one operation loads only its group and `import <pkg>; <pkg>.Client()` loads
none: the generated client looks its methods up lazily (`_base._BaseClient.__getattr__`). The path, not
the tag, decides because every operation has one and it rarely changes between spec versions, which
keeps regeneration diffs small.
"""

from __future__ import annotations

import re

from generator import ir
from generator.names import make_identifier

# Segments that say nothing about what an operation does: API versions and prefixes like `/api/v2`.
_SKIPPED = re.compile(r"^(api|v\d+(\.\d+)*|\{.*\})$", re.IGNORECASE)


def group_name(path: str) -> str:
    """Module name (a safe identifier) of the group an operation with this path belongs to."""
    segments = [s for s in path.split("/") if s and not _SKIPPED.match(s)]
    return make_identifier(segments[0] if segments else "", style="snake", fallback="root")


def group_operations(operations: tuple[ir.Operation, ...]) -> tuple[tuple[str, tuple[ir.Operation, ...]], ...]:
    """(module name, its operations in API order), sorted by module name."""
    groups: dict[str, list[ir.Operation]] = {}
    for op in operations:
        groups.setdefault(group_name(op.path), []).append(op)
    return tuple((name, tuple(ops)) for name, ops in sorted(groups.items()))
