"""API-change reports on the command line: `clientgen check` (the changes behind the drift) and
`clientgen diff`. The `apidiff` modules are imported on first use: most runs never need them."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import click

from generator import emit
from generator.config import Options
from generator.diagnostics import DiagnosticError, Severity

if TYPE_CHECKING:
    from generator.apidiff.report import Report


def explain_drift(options: Options, trees: dict[Path, dict[str, str]], output_format: str) -> None:
    """For each rendered client whose API snapshot changed: the report (`summary`: a short one above
    the file diff). A missing or unreadable committed snapshot is said, not fatal: the diff still
    follows."""
    from generator.apidiff import SURFACE_FILE
    from generator.apidiff.run import explain_client

    for client in options.clients:
        rendered = trees.get(client.output)
        committed = client.output / SURFACE_FILE
        if rendered is None or (
            committed.is_file() and committed.read_text(encoding="utf-8") == rendered[SURFACE_FILE]
        ):
            continue
        try:
            api_report = explain_client(client, rendered)
        except DiagnosticError as exc:
            # No snapshot yet (a package generated before clientgen wrote one).
            for diagnostic in exc.diagnostics:
                click.echo(replace(diagnostic, severity=Severity.WARNING).format(), err=True)
            continue
        if output_format == "summary":
            click.echo(f"{emit._shown(client.output)}: {api_report.summary()}")
            for change in api_report.ordered():
                label = "BREAKING  " if change.breaking else "compatible"
                click.echo(
                    f"  {_styled(label, change.breaking)}  {change.subject}: {change.message}"
                )
        else:
            click.echo(formatted(api_report, output_format), nl=False)


def formatted(api_report: Report, output_format: str) -> str:
    """The report as `text` (grouped; colour on a terminal), `markdown` or `json`."""
    from generator.apidiff.report import FORMATS, to_text

    if output_format == "text":
        return to_text(api_report, _styled)
    return FORMATS[output_format](api_report)


def _styled(text: str, breaking: bool) -> str:
    # click.echo drops the colour codes when stdout is not a terminal (a pipe, a CI log file).
    return click.style(text, fg="red" if breaking else "green", bold=breaking)
