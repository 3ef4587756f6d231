"""What a spec change does to a generated package's callers: the API surface, its comparison,
reports.

    snapshot(api) -> Surface     (adapter: the only module that reads the IR)
    compare(old, new) -> changes (pure; breaking or compatible, each with both sides' pointers)
    Report(...) -> text / Markdown / JSON

`SURFACE_FILE` is written beside every generated package so a committed package can be compared
without the spec that produced it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.apidiff.surface import FILE_NAME as SURFACE_FILE

if TYPE_CHECKING:
    from generator.ir import Api

__all__ = ["SURFACE_FILE", "surface_text"]


def surface_text(api: Api) -> str:
    from generator.apidiff.adapter import snapshot
    from generator.apidiff.surface import to_json

    return to_json(snapshot(api))
