"""A spec's package as the formatter is handed it, unformatted, for the tests of the formatter's
parts on real generated code (`tests/render/`)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import black

from generator.format import workers


class Capture:
    """A formatter (generator.format.Formatter) that keeps what it is given and formats nothing."""

    def __init__(self) -> None:
        self.sources: dict[str, str] = {}

    def submit(self, sources: Mapping[str, str]) -> Capture:
        self.sources.update(sources)
        return self

    def result(self) -> dict[str, str]:
        return dict(self.sources)

    def format_sources(self, sources: Mapping[str, str]) -> dict[str, str]:
        return self.submit(sources).result()


def rendered_sources(spec: Path) -> dict[str, str]:
    """Every module of the spec's package as rendered, before formatting (break marks included)."""
    import generator.render as render
    from generator.build import lower_client
    from generator.config import adhoc_options

    capture = Capture()
    api, _ = lower_client(adhoc_options(spec, Path("unused") / "pkg", "pkg", ()).clients[0])
    render.render_package(api, formatter=capture)
    return capture.sources


def black_of_piece(piece: str) -> str:
    """Black's output for a piece as the formatter batches it (a method, indented, inside a
    stand-in class)."""
    method = piece.startswith(" ")
    text = ("class _:\n" + piece + "\n") if method else piece + "\n"
    out = black.format_str(text, mode=workers.mode())
    return (out.removeprefix("class _:\n") if method else out).removesuffix("\n")
