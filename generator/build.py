"""`build_tree`: the one pure function behind both `generate` and `check`.

options -> for each client: load -> spec -> IR -> render -> formatted files. Nothing here touches the
output folders; `generator.emit` does, after every client has built without errors.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generator import emit
from generator.config import ClientConfig, Options
from generator.diagnostics import Diagnostic, DiagnosticError
from generator.ir import Api
from generator.load import load_document
from generator.lower import lower_api
from generator.render import render_package
from generator.spec import load_spec

Tree = dict[Path, dict[str, str]]


@dataclass(frozen=True)
class BuildResult:
    trees: Tree  # output folder -> {relative POSIX path: text}
    warnings: tuple[Diagnostic, ...]
    # output folder -> every input file its client read: the spec, then the files its `$ref`s reached
    sources: dict[Path, tuple[Path, ...]] = field(default_factory=dict)


def build_tree(options: Options) -> BuildResult:
    """Render every configured client in memory. Raises DiagnosticError with the errors of all clients."""
    trees: Tree = {}
    sources: dict[Path, tuple[Path, ...]] = {}
    warnings: list[Diagnostic] = []
    errors: list[Diagnostic] = []
    for client in options.clients:
        try:
            files, found, sources[client.output] = _build(client)
        except DiagnosticError as exc:
            errors.extend(exc.diagnostics)
            continue
        trees[client.output] = files
        warnings.extend(found)
    if errors:
        raise DiagnosticError(errors)
    return BuildResult(trees, tuple(sorted(warnings, key=lambda d: d.sort_key)), sources)


def build_package(client: ClientConfig) -> tuple[dict[str, str], list[Diagnostic]]:
    files, warnings, _ = _build(client)
    return files, warnings


def _build(client: ClientConfig) -> tuple[dict[str, str], list[Diagnostic], tuple[Path, ...]]:
    api, warnings, sources = lower_client(client)
    files = render_package(api)
    files[emit.MARKER] = emit.marker_text()
    return dict(sorted(files.items())), warnings, sources


def lower_client(client: ClientConfig) -> tuple[Api, list[Diagnostic], tuple[Path, ...]]:
    """The client's IR, its warnings, and the files read (`Spec.sources`: spec first, then $ref'd files)."""
    document = load_document(client.spec, display_path=client.spec_display)
    spec = load_spec(document)
    api, warnings = lower_api(spec, package=client.package, spec_path=client.spec_display, env_prefix=client.env_prefix, stream_modes=client.stream_modes)
    return api, warnings, spec.sources
