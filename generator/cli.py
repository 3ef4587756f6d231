"""Command line: `clientgen generate | check | lint | extract | apply-overlays`.

Exit codes: 0 success, 1 spec errors or drift, 2 usage errors. Diagnostics go to stderr
compiler-style; a Python traceback reaching the user is a clientgen bug.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import click

from generator import cli_reports, emit, manifest, progress
from generator.build import build_tree, load_client_document, lower_client
from generator.config import (
    HTTP_LIBRARIES,
    ClientConfig,
    Options,
    adhoc_options,
    find_pyproject,
    load_options,
)
from generator.diagnostics import Diagnostic, DiagnosticError, Severity

# A click command function, decorated in place.
Command = TypeVar("Command", bound=Callable[..., Any])
Result = TypeVar("Result")

_FILE = click.Path(path_type=Path, dir_okay=False)
_CONFIG = click.option(
    "--config",
    "config_path",
    type=_FILE,
    help="pyproject.toml to read (default: nearest one upwards).",
)
_CLIENT = click.option(
    "--client", "only", multiple=True, help="Only this configured client (repeatable)."
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="clientgen")
def main() -> None:
    """Generate typed Python clients from OpenAPI documents."""


def _target_options(func: Command) -> Command:
    func = click.argument("spec", required=False, type=click.Path(path_type=Path))(func)
    func = click.option(
        "--output",
        "-o",
        type=click.Path(path_type=Path),
        help="Ad-hoc mode: the package folder to write.",
    )(func)
    func = click.option(
        "--package",
        "-p",
        help="Ad-hoc mode: the import name of the package.",
    )(func)
    func = click.option(
        "--overlay",
        "overlays",
        multiple=True,
        type=_FILE,
        help="Ad-hoc mode: an OpenAPI Overlay file to apply to SPEC first (repeatable, in order).",
    )(func)
    func = _CONFIG(func)
    func = _CLIENT(func)
    func = click.option(
        "--http-library",
        type=click.Choice(HTTP_LIBRARIES),
        default=HTTP_LIBRARIES[0],
        help="Ad-hoc mode: the HTTP library the package runs on (default httpx2).",
    )(func)
    func = click.option(
        "--distribution",
        is_flag=True,
        help="Ad-hoc mode: also write pyproject.toml (a pip-installable project).",
    )(func)
    return func


@main.command()
@_target_options
def generate(
    spec: Path | None,
    output: Path | None,
    package: str | None,
    overlays: tuple[Path, ...],
    config_path: Path | None,
    only: tuple[str, ...],
    http_library: str,
    distribution: bool,
) -> None:
    """Render every configured client and write it (atomically) to its output folder."""
    options = _options(
        spec, output, package, overlays, config_path, only, (http_library, distribution)
    )
    clean = _clean_clients(options)
    with progress.reporting() as reporter:
        result = _run(lambda: build_tree(options, skip=frozenset(clean)))
        if result.trees:
            reporter.client = ""
            reporter.phase("write")
        report = _run(lambda: emit.write_tree(result.trees))
    _print(result.warnings)
    for package in sorted(clean):
        click.echo(f"{emit._shown(_output_of(options, package))}: up to date (manifest)", err=True)
    if result.trees:
        click.echo(report.summary(), err=True)


_FORMAT = click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
    help="Report for people (grouped; colour on a terminal), a pull-request comment, or tools.",
)


@main.command()
@_target_options
@click.option(
    "--explain",
    is_flag=True,
    help="Print the API changes (breaking or compatible) instead of the file diff.",
)
@_FORMAT
def check(
    spec: Path | None,
    output: Path | None,
    package: str | None,
    overlays: tuple[Path, ...],
    config_path: Path | None,
    only: tuple[str, ...],
    http_library: str,
    distribution: bool,
    explain: bool,
    output_format: str,
) -> None:
    """Fail with a diff when the files on disk differ from what the specs and templates produce; the
    API changes behind the drift come first (`--explain`: only them, in full)."""
    options = _options(
        spec, output, package, overlays, config_path, only, (http_library, distribution)
    )
    clean = _clean_clients(options)
    with progress.reporting() as reporter:
        result = _run(lambda: build_tree(options, skip=frozenset(clean)))
        if result.trees:
            reporter.client = ""
            reporter.phase("compare")
        report = emit.check_tree(result.trees)
    _print(result.warnings)
    if report.ok():
        click.echo(f"clientgen check: {len(options.clients)} client(s) up to date.", err=True)
        return
    cli_reports.explain_drift(options, result.trees, output_format if explain else "summary")
    if not explain:
        for diff in report.diffs:
            click.echo(diff.diff, nl=False)
    click.echo(report.summary(), err=True)
    sys.exit(1)


@main.command()
@click.argument("old", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.argument("new", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@_FORMAT
@click.option(
    "--fail-on",
    "fail_on",
    type=click.Choice(["never", "breaking", "any"]),
    default="never",
    show_default=True,
    help=(
        "Exit 1 on breaking changes only, on any API change, or never "
        "(a report is not a failure)."
    ),
)
def diff(old: Path, new: Path, output_format: str, fail_on: str) -> None:
    """Report what changes for callers of the generated package between two versions of a spec.

    OLD may also be a committed .clientgen-api.json (the API of a generated package)."""
    from generator.apidiff.run import diff_specs

    api_report = _run(lambda: diff_specs(old, new))
    click.echo(cli_reports.formatted(api_report, output_format), nl=False)
    if (fail_on == "breaking" and api_report.breaking) or (fail_on == "any" and api_report.changes):
        sys.exit(1)


def _clean_clients(options: Options) -> dict[str, list[str]]:
    """Clients whose manifest proves their folder up to date (no render needed); their recorded
    warnings are printed here, as a render would have printed them."""
    clean = {}
    for client in options.clients:
        warnings = manifest.clean_warnings(client)
        if warnings is not None:
            clean[client.package] = warnings
            for line in warnings:
                click.echo(line, err=True)
    return clean


def _output_of(options: Options, package: str) -> Path:
    return next(c.output for c in options.clients if c.package == package)


@main.command()
@click.argument("page", type=_FILE)
@click.option("--output", "-o", type=_FILE, required=True, help="File to write the document to.")
def extract(page: Path, output: Path) -> None:
    """Write the OpenAPI document embedded in a Markdown documentation PAGE to a file, byte for
    byte."""
    from generator.load import extract_embedded  # lazily: only this command reads docs pages

    embedded = _run(lambda: extract_embedded(page))
    _write(output, embedded.text.encode("utf-8"))
    click.echo(
        f"wrote {output} ({embedded.language}, from line {embedded.first_line} of {page})", err=True
    )


@main.command()
@click.argument("spec", required=False, type=_FILE)
@click.option(
    "--overlay",
    "overlays",
    multiple=True,
    type=_FILE,
    help="With SPEC: an OpenAPI Overlay file to apply first (repeatable, in order).",
)
@click.option(
    "--docs",
    "docs",
    multiple=True,
    type=_FILE,
    help="With SPEC: the vendor's documentation page, to report what it documents that SPEC lacks.",
)
@_CONFIG
@_CLIENT
@click.option("--strict", is_flag=True, help="Treat warnings as errors: exit 1 if there is any.")
def lint(
    spec: Path | None,
    overlays: tuple[Path, ...],
    docs: tuple[Path, ...],
    config_path: Path | None,
    only: tuple[str, ...],
    strict: bool,
) -> None:
    """Report what is wrong or vague in the specs (the warnings `generate` prints), without
    rendering."""
    if spec is not None:
        client = adhoc_options(spec, Path("unused"), "lint", overlays).clients[0]
        clients: tuple[ClientConfig, ...] = (
            replace(client, docs=tuple((path.resolve(), str(path)) for path in docs)),
        )
    elif overlays or docs:
        raise click.UsageError(
            "--overlay and --docs go with SPEC; configured clients name theirs in pyproject.toml"
        )
    else:
        clients = _options(None, None, None, (), config_path, only).clients
    found: list[Diagnostic] = []
    paging: list[str] = []
    for client in clients:
        api, diagnostics = _run(partial(lower_client, client))
        found += diagnostics
        paging += _pagination_lines(api)
    if strict:  # info findings stay info: they say what clientgen did not do, not what is wrong
        found = [
            replace(d, severity=Severity.ERROR) if d.severity is Severity.WARNING else d
            for d in found
        ]
    _print(found)
    for line in paging:
        click.echo(line, err=True)
    failing = [d for d in found if d.severity is not Severity.INFO]
    strictly = " (strict: warnings are errors)" if strict and failing else ""
    click.echo(
        f"clientgen lint: {len(found)} finding(s) in {len(clients)} spec(s){strictly}.", err=True
    )
    if strict and failing:
        sys.exit(1)


def _pagination_lines(api: Any) -> list[str]:
    """`clientgen lint`'s list of the operations that page, and by which scheme (and where it was
    learnt)."""
    pages = [op for op in api.operations if op.pagination is not None]
    lines = [f"{api.package}: {len(pages)} of {len(api.operations)} operation(s) page"]
    for op in pages:
        items = ".".join(op.pagination.items) or "(the body)"
        lines.append(
            f"  {op.call_path}: {op.pagination.scheme} ({op.pagination.source}), items `{items}`"
        )
    return lines


@main.command("apply-overlays")
@click.argument("spec", type=_FILE)
@click.option(
    "--overlay",
    "overlays",
    multiple=True,
    required=True,
    type=_FILE,
    help="An OpenAPI Overlay file to apply (repeatable, applied in order).",
)
@click.option("--output", "-o", type=_FILE, required=True, help="File to write (JSON).")
def apply_overlays_command(spec: Path, overlays: tuple[Path, ...], output: Path) -> None:
    """Write SPEC with overlays applied, as JSON: the fixed document for mock servers, docs or
    diffing."""
    client = adhoc_options(spec, output.with_suffix(""), "spec", overlays).clients[0]
    document, warnings = _run(lambda: load_client_document(client))
    _print(warnings)
    _write(output, (json.dumps(document.data, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    click.echo(
        f"wrote {output} ({len(overlays)} overlay(s) applied to {client.spec_display})", err=True
    )


def _options(
    spec: Path | None,
    output: Path | None,
    package: str | None,
    overlays: tuple[Path, ...],
    config_path: Path | None,
    only: tuple[str, ...],
    packaging: tuple[str, bool] = (HTTP_LIBRARIES[0], False),
) -> Options:
    if spec is not None or output is not None or package is not None or overlays:
        if spec is None or output is None or package is None:
            raise click.UsageError("ad-hoc mode needs all three: SPEC, --output and --package")
        library, distribution = packaging
        return _run(
            lambda: adhoc_options(
                spec, output, package, overlays, http_library=library, distribution=distribution
            )
        )
    pyproject = config_path or find_pyproject(Path.cwd())
    if pyproject is None:
        raise click.UsageError(
            "no pyproject.toml found; pass --config, or SPEC --output DIR --package NAME"
        )
    return _run(lambda: load_options(pyproject, only))


def _run(step: Callable[[], Result]) -> Result:
    """Run a step; on DiagnosticError print every diagnostic and exit 1."""
    try:
        return step()
    except DiagnosticError as exc:
        progress.current().close()  # the progress line goes before the diagnostics print
        _print(exc.diagnostics)
        errors = sum(1 for d in exc.diagnostics if d.severity is Severity.ERROR)
        click.echo(f"clientgen: {errors} error(s); nothing was written.", err=True)
        sys.exit(1)


def _write(output: Path, data: bytes) -> None:
    """Write one output file; a folder that does not exist (or any OS refusal) is a clear error,
    exit 1."""
    try:
        output.write_bytes(data)
    except OSError as exc:
        raise click.ClickException(f"cannot write {output}: {exc.strerror or exc}") from None


def _print(diagnostics: Iterable[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        click.echo(diagnostic.format(), err=True)
