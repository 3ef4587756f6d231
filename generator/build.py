"""`build_tree`: the one pure function behind both `generate` and `check`.

options -> for each client: load -> spec -> IR -> render -> formatted files. Nothing here touches
the output folders; `generator.emit` does, after every client has built without errors.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from generator import emit, progress
from generator.config import ClientConfig, Options
from generator.diagnostics import Diagnostic, DiagnosticError, Severity, unique_sorted

if TYPE_CHECKING:
    from generator.ir import Api
    from generator.format import Formatter
    from generator.load import SourceDocument
    from generator.spec import Spec

Tree = dict[Path, dict[str, str]]


@dataclass(frozen=True)
class BuildResult:
    trees: Tree  # output folder -> {relative POSIX path: text}
    warnings: tuple[Diagnostic, ...]
    # output folder -> every input file its client read: the spec, then the files its `$ref`s
    # reached
    sources: dict[Path, tuple[Path, ...]] = field(default_factory=dict)


def build_tree(options: Options, skip: frozenset[str] = frozenset()) -> BuildResult:
    """Render every configured client in memory (but those named in `skip`, which the manifest
    proved up to date). Raises DiagnosticError with the errors of all clients."""
    trees: Tree = {}
    sources: dict[Path, tuple[Path, ...]] = {}
    warnings: list[Diagnostic] = []
    errors: list[Diagnostic] = []
    clients = [client for client in options.clients if client.package not in skip]
    if not clients:
        return BuildResult(trees, (), sources)
    spec_bytes = sum(_size(client.spec) for client in clients)
    with _formatter(spec_bytes) as formatter:  # workers start now, while the specs load and lower
        for client in clients:
            progress.current().client = client.package
            try:
                with _gc_paused():
                    files, found, sources[client.output], _ = _build(client, formatter)
            except DiagnosticError as exc:
                errors.extend(exc.diagnostics)
                continue
            trees[client.output] = files
            warnings.extend(found)
    if errors:
        raise DiagnosticError(errors)
    return BuildResult(trees, unique_sorted(warnings), sources)


@contextmanager
def _formatter(spec_bytes: int = 0) -> Iterator[Formatter]:
    from generator.format.black_formatter import formatter  # not on the clean path of `check`

    with formatter(spec_bytes) as started:
        yield started


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # loading reports it


@contextmanager
def _gc_paused() -> Iterator[None]:
    """The build allocates millions of long-lived objects (document, spec model, IR) and little
    cyclic garbage; the collector rescanning them as they pile up costs about a third of the time
    before formatting (more the larger the spec), so it runs once at the end instead."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
        gc.collect()


@functools.cache
def _freeze_imported() -> None:
    """Once per process, when the build's modules are imported (pydantic, openapi-pydantic, jinja2,
    clientgen's own: ~200,000 objects that live as long as the process): leave them out of every
    later collection. The collection at the end of each build then scans what the build made
    (the cyclic garbage it is there for) instead of every object again: ~30-70 ms of a small
    spec's run. The garbage of the imports themselves, frozen with them, is a few kilobytes once."""
    gc.freeze()


def input_files(client: ClientConfig, referenced: Sequence[Path] = ()) -> list[Path]:
    """Every file the client's build read: the spec, its overlays and documentation pages (whose
    drift warnings the manifest records), and the files its `$ref`s reached (`BuildResult.sources`).
    The manifest hashes exactly these: a file the build did not read cannot change its output, and a
    spec that starts to refer to another file has changed itself."""
    fixed = [
        client.spec,
        *(path for path, _ in client.overlays),
        *(path for path, _ in client.docs),
    ]
    return [*fixed, *(path for path in referenced if path not in fixed)]


def build_package(client: ClientConfig) -> tuple[dict[str, str], list[Diagnostic]]:
    with _formatter(_size(client.spec)) as formatter:
        files, warnings, _, _ = _build(client, formatter)
    return files, warnings


def build_package_ir(client: ClientConfig) -> tuple[dict[str, str], list[Diagnostic], Api]:
    """`build_package` and the IR it rendered (golden cases keep both)."""
    with _formatter(_size(client.spec)) as formatter:
        files, warnings, _, api = _build(client, formatter)
    return files, warnings, api


def _build(
    client: ClientConfig, formatter: Formatter
) -> tuple[dict[str, str], list[Diagnostic], tuple[Path, ...], Api]:
    from generator.apidiff import SURFACE_FILE, surface_text
    from generator.manifest import MANIFEST, manifest_text
    from generator.render import (
        render_package,
    )  # imported here: `check` on a clean tree never needs it
    from generator.render.packaging import Packaging

    _freeze_imported()
    api, found, spec = _lower(client)
    warnings = [
        d for d in found if d.severity is not Severity.INFO
    ]  # info findings are for `clientgen lint`
    progress.current().phase("render")
    files = render_package(api, Packaging(client.http_library, client.distribution), formatter)
    files[emit.MARKER] = emit.marker_text()
    # The API as callers see it, for `check --explain` (the committed package has no IR) and review
    # diffs.
    files[SURFACE_FILE] = surface_text(api)
    files[MANIFEST] = manifest_text(
        client, files, [w.format() for w in unique_sorted(warnings)], spec.sources
    )
    return dict(sorted(files.items())), warnings, spec.sources, api


def lower_client(client: ClientConfig) -> tuple[Api, list[Diagnostic]]:
    api, warnings, _ = _lower(client)
    return api, warnings


def lower_client_spec(client: ClientConfig) -> tuple[Api, Spec]:
    """The client's IR and the spec it came from (which locates the IR's pointers:
    `spec.documents.where`)."""
    api, _, spec = _lower(client)
    return api, spec


def _lower(client: ClientConfig) -> tuple[Api, list[Diagnostic], Spec]:
    """The client's IR, its warnings, and the spec (whose `sources` are the files read: spec first,
    then the files its `$ref`s reached)."""
    # Imported here, not at the top: a clean `check` proves itself from the manifest without them.
    from generator.lint import lint_spec
    from generator.lower import lower_api
    from generator.spec import load_spec

    progress.current().phase("load")
    document, overlay_warnings = load_client_document(client)
    progress.current().phase("lower")
    spec = load_spec(document)
    api, warnings = lower_api(
        spec,
        package=client.package,
        spec_path=client.spec_display,
        env_prefix=client.env_prefix,
        stream_modes=client.stream_modes,
    )
    found = overlay_warnings + lint_spec(spec, client.docs) + warnings + spec.bundler.warnings()
    return api, list(unique_sorted(found)), spec


def load_client_document(client: ClientConfig) -> tuple[SourceDocument, list[Diagnostic]]:
    """The client's spec with its overlays applied (errors in several overlays are reported
    together)."""
    from generator.load import load_document
    from generator.overlay import Overlay, apply_overlays, load_overlay

    document = load_document(client.spec, display_path=client.spec_display)
    overlays: list[Overlay] = []
    errors: list[Diagnostic] = []
    for path, shown in client.overlays:
        try:
            overlays.append(load_overlay(path, shown))
        except DiagnosticError as exc:
            errors.extend(exc.diagnostics)
    if errors:
        raise DiagnosticError(errors)
    return apply_overlays(document, overlays)
