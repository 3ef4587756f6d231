"""What counts as a JSON media type, for lowering, lint and the conformance cases.

One definition: the runtime's own (`templates/runtime/_media.py`, read by `generator.contract`), so
the generator and the clients it writes cannot disagree. A *documented* `*/*` counts as JSON too:
specs written by framework plugins (springdoc's default) document JSON bodies that way, with a
schema; treating them as bytes would leave every such operation untyped. (At run time the answer's
own `Content-Type` decides.)
"""

from __future__ import annotations

from generator.contract import is_json, media_type

__all__ = ["is_json", "media_type"]
