"""`build_tree`: the one pure function behind both `generate` and `check`.

options -> for each client: load -> spec -> IR -> render -> formatted files. Nothing here touches the
output folders; `generator.emit` does, after every client has built without errors.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from generator import emit
from generator.config import ClientConfig, Options
from generator.diagnostics import Diagnostic, DiagnosticError

if TYPE_CHECKING:
    from generator.ir import Api

Tree = dict[Path, dict[str, str]]


@dataclass(frozen=True)
class BuildResult:
    trees: Tree  # output folder -> {relative POSIX path: text}
    warnings: tuple[Diagnostic, ...]


def build_tree(options: Options, skip: frozenset[str] = frozenset()) -> BuildResult:
    """Render every configured client in memory (but those named in `skip`, which the manifest proved
    up to date). Raises DiagnosticError with the errors of all clients."""
    trees: Tree = {}
    warnings: list[Diagnostic] = []
    errors: list[Diagnostic] = []
    for client in options.clients:
        if client.package in skip:
            continue
        try:
            files, found = build_package(client)
        except DiagnosticError as exc:
            errors.extend(exc.diagnostics)
            continue
        trees[client.output] = files
        warnings.extend(found)
    if errors:
        raise DiagnosticError(errors)
    return BuildResult(trees, tuple(sorted(warnings, key=lambda d: d.sort_key)))


def input_files(client: ClientConfig) -> list[Path]:
    """Every file the client's load reads: the spec, then the `*.overlay.yaml` files beside it, sorted.
    The manifest hashes exactly these, so anything that makes the load read more files extends this list."""
    overlays = sorted(p for p in client.spec.parent.glob("*.overlay.yaml") if p != client.spec)
    return [client.spec, *overlays]


def build_package(client: ClientConfig) -> tuple[dict[str, str], list[Diagnostic]]:
    from generator.manifest import MANIFEST, manifest_text
    from generator.render import render_package  # imported here: `check` on a clean tree never needs it

    api, warnings = lower_client(client)
    files = render_package(api)
    files[emit.MARKER] = emit.marker_text()
    files[MANIFEST] = manifest_text(client, files, [w.format() for w in sorted(warnings, key=lambda d: d.sort_key)])
    return dict(sorted(files.items())), warnings


def lower_client(client: ClientConfig) -> tuple[Api, list[Diagnostic]]:
    # Imported here, not at the top: a clean `check` proves itself from the manifest without them.
    from generator.load import load_document
    from generator.lower import lower_api
    from generator.spec import load_spec

    document = load_document(client.spec, display_path=client.spec_display)
    spec = load_spec(document)
    return lower_api(spec, package=client.package, spec_path=client.spec_display, env_prefix=client.env_prefix, stream_modes=client.stream_modes)
