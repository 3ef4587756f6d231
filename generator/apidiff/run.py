"""Where the two sides of a comparison come from: a spec (lowered to IR, located line by line), a
committed `.clientgen-api.json`, or a tree `build_tree` rendered in memory."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from generator.apidiff.adapter import snapshot
from generator.apidiff.compare import compare
from generator.apidiff.report import Locator, Report, Side
from generator.apidiff.surface import FILE_NAME, Surface, from_json
from generator.config import ClientConfig, adhoc_options
from generator.diagnostics import Diagnostic, DiagnosticError, error, split_pointer

_PACKAGE = (
    "api"  # ad-hoc diffs lower both specs under one package name, so env var names compare equal
)


def spec_side(path: Path, shown: str | None = None) -> tuple[Surface, Side]:
    """A spec file lowered to its surface, with a locator that gives file:line; or, when `path` is a
    committed `.clientgen-api.json`, that snapshot (located by file and pointer only). `shown`: the
    name to report the file under (default: relative to the working directory)."""
    if path.name == FILE_NAME:
        return surface_file_side(path, shown or str(path))
    from generator.build import lower_client_spec

    client = adhoc_options(path, Path("unused"), _PACKAGE).clients[0]
    if shown is not None:
        client = replace(client, spec_display=shown)
    api, spec = lower_client_spec(client)

    def locate(pointer: str) -> tuple[str, int | None, str]:
        file, line, _, local = spec.documents.where(pointer)
        return file, line, local

    found = snapshot(api)
    return found, Side(client.spec_display, found.version, locate)


def surface_file_side(path: Path, shown: str) -> tuple[Surface, Side]:
    """A committed snapshot; a missing or unreadable one is a located error that says what to do."""
    try:
        found = from_json(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise DiagnosticError(
            [
                error(
                    "no-api-snapshot",
                    f"cannot read {FILE_NAME}: {exc.strerror or exc}",
                    shown,
                    hint="run `clientgen generate` once to record the package's API",
                )
            ]
        ) from None
    except ValueError as exc:
        raise DiagnosticError(
            [
                error(
                    "bad-api-snapshot",
                    str(exc),
                    shown,
                    hint="regenerate it with `clientgen generate`",
                )
            ]
        ) from None
    return found, Side(found.spec or shown, found.version, _unlined(found.spec or shown))


def _unlined(file: str) -> Locator:
    """Pointers of a side whose spec text is not at hand: the file and pointer, no line."""

    def locate(pointer: str) -> tuple[str, int | None, str]:
        tokens = split_pointer(pointer)
        if tokens and tokens[0].startswith(
            "$file:"
        ):  # a file `$ref`'d from the spec (see generator.refs)
            return (
                tokens[0][len("$file:") :],
                None,
                pointer[len(tokens[0]) + 1 :] if len(tokens) > 1 else "",
            )
        return file, None, pointer

    return locate


def diff_specs(old: Path, new: Path, shown: tuple[str | None, str | None] = (None, None)) -> Report:
    """`clientgen diff OLD NEW`: errors of both sides are reported together."""
    sides: list[tuple[Surface, Side]] = []
    errors: list[Diagnostic] = []
    for path, name in zip((old, new), shown, strict=True):
        try:
            sides.append(spec_side(path, name))
        except DiagnosticError as exc:
            errors.extend(exc.diagnostics)
    if errors:
        raise DiagnosticError(errors)
    (old_surface, old_side), (new_surface, new_side) = sides
    return Report(old_side, new_side, compare(old_surface, new_surface))


def explain_client(client: ClientConfig, rendered: dict[str, str]) -> Report:
    """`clientgen check --explain`: the committed package's API (its `.clientgen-api.json`) against
    the one the current spec produces (`rendered`, the tree `build_tree` made), the new side located
    by line.
    """
    old_surface, old_side = surface_file_side(
        client.output / FILE_NAME, f"{client.output.name}/{FILE_NAME}"
    )
    new_surface = from_json(rendered[FILE_NAME])
    return Report(
        old_side,
        Side(client.spec_display, new_surface.version, _new_locator(client)),
        compare(old_surface, new_surface),
    )


def _new_locator(client: ClientConfig) -> Locator:
    """Lines in the client's spec (overlays applied) are looked up on first use: a report with no
    changes does not load the spec again."""
    from generator.build import load_client_document

    loaded: list[object] = []
    fallback = _unlined(client.spec_display)

    def locate(pointer: str) -> tuple[str, int | None, str]:
        if pointer.startswith("/$file:"):
            return fallback(pointer)
        if not loaded:
            loaded.append(load_client_document(client)[0])
        file, line, _ = loaded[0].where(pointer)  # type: ignore[attr-defined]
        return file, line, pointer

    return locate
