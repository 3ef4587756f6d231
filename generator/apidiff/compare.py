"""Two API surfaces -> the changes a caller of the generated package meets, each breaking or
compatible.

Pure and linear: everything is matched through dicts keyed by a stable identity (methods by
operationId, else HTTP method and path; arguments and fields by Python name; models by name; auth
schemes by constructor argument), and a type is parsed only when its text changed (plus once per
surface to learn which models are requests and which are responses). The rules are the table in the
README ("What counts as breaking"):

- a caller *sends* request types: narrowing them (fewer values accepted) breaks, widening does not;
- a caller *reads* response types: widening them breaks (a value the caller's code does not handle,
  `None` included), narrowing does not; except enum values added to a response, which are
  compatible (vendors add them routinely; only an exhaustive `match` notices, and the model still
  validates);
- a model reachable from both takes both rules; one no method reaches is read as a response (a
  caller only meets it by validating data it got some other way: an untyped stream, a webhook).
"""

from __future__ import annotations

from generator.apidiff import surface as s
from generator.apidiff.changes import Change, Context
from generator.apidiff.directions import model_directions
from generator.apidiff.methods import method_changes
from generator.apidiff.models import model_changes, renamed_models, scheme_changes


def compare(old: s.Surface, new: s.Surface) -> tuple[Change, ...]:
    renamed = renamed_models(old, new)
    context = Context(renamed, model_directions(old), model_directions(new))
    changes = [
        *method_changes(old, new, context),
        *model_changes(old, new, context),
        *scheme_changes(old, new),
    ]
    if old.server != new.server:
        changes.append(
            Change(
                "api",
                "base URL",
                "server-changed",
                False,
                f"default base URL `{old.server}` -> `{new.server}`",
            )
        )
    return tuple(changes)
