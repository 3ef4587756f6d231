"""`clientgen lint`: the known findings in the bundled vendor specs, that the bundled overlays make them
go away, the output format, `--strict`, and that `generate` prints the same warnings.

Every lint code has a case in tests/cases/lint (golden diagnostics, with an overlay and a docs page)."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.build import lower_client
from generator.cli import main
from generator.config import adhoc_options, load_options

ROOT = Path(__file__).resolve().parents[1]
PHAREN_PAGE = ROOT / "specs" / "pharen" / "docs-page.md"
LINE = re.compile(r"^(?P<file>[^:\n]+):(?P<line>\d+):(?P<col>\d+): (?P<severity>warning|error)\[(?P<code>[a-z-]+)\] (?P<message>.+) \((?P<pointer>/[^)]*)\)$")

# The vendor bugs issue 4 names, as (code, JSON pointer or page line, words the message must contain).
VENDOR_FINDINGS = {
    "flowker": [
        ("example-mismatch", "/components/schemas/ExecuteWorkflowInput/properties/inputData/example", "is not of type 'object'"),
        ("example-contradicts-description", "/components/schemas/ExecutionCreateOutput/properties/status/example", "always `pending`, the example says `running`"),
    ],
    "dify": [
        ("prose-only-media-type", "/paths/~1workflows~1run/post/responses/200/content/text~1event-stream/schema", "`type: string`"),
        ("prose-reference", "/paths/~1workflows~1run/post/responses/200/content/text~1event-stream/schema/description", "`ChunkWorkflowEvent`"),
        ("unknown-format", "/components/schemas/InputFileObjectWorkflow/properties/url/format", "format `url`"),
    ],
    "agno": [
        ("empty-schema", "/paths/~1workflows~1{workflow_id}~1runs/post/responses/200/content/application~1json", "`application/json`"),
        ("untyped-stream", "/paths/~1workflows~1{workflow_id}~1runs/post/responses/200/content/text~1event-stream", "no schema"),
    ],
    "pharen": [
        ("doc-drift", "docs-page.md:23", "required query parameter `team_id`"),
        ("doc-drift", "docs-page.md:27", "query parameter `stream`"),
        ("doc-drift", "docs-page.md:33", "body field `inputs`"),
        ("doc-drift", "docs-page.md:37", "body field `trigger_type`"),
    ],
}


def findings(client) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    """(code, JSON pointer for findings in the spec or `file:line` for the others, message)."""
    return [(d.code, d.pointer if d.file.endswith("openapi.yaml") else f"{Path(d.file).name}:{d.line}", d.message) for d in lower_client(client)[1]]


def vendor_findings(api: str) -> list[tuple[str, str, str]]:
    """Lint of the vendor's document as published: no overlays."""
    (client,) = adhoc_options(ROOT / "specs" / api / "openapi.yaml", ROOT / "unused", "lint").clients
    if api == "pharen":
        client = replace(client, docs=((PHAREN_PAGE, "docs-page.md"),))
    return findings(client)


def bundled_findings(api: str) -> list[tuple[str, str, str]]:
    """Lint of the configured client: the vendor's document with specs/<api>/*.overlay.yaml applied."""
    return findings(load_options(ROOT / "pyproject.toml", (f"{api}_client",)).clients[0])


@pytest.mark.parametrize("api", sorted(VENDOR_FINDINGS))
def test_lint_reports_the_known_vendor_bugs(api):
    found = vendor_findings(api)
    for code, where, words in VENDOR_FINDINGS[api]:
        assert any(c == code and w == where and words in m for c, w, m in found), (code, where, found)


@pytest.mark.parametrize("api", sorted(VENDOR_FINDINGS))
def test_the_bundled_overlays_make_those_findings_disappear(api):
    found = bundled_findings(api)
    for code, where, _ in VENDOR_FINDINGS[api]:
        assert not any(c == code and w == where for c, w, _ in found), (code, where, found)


def test_lint_command_prints_compiler_style_lines(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, ["lint", "specs/flowker/openapi.yaml"])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if LINE.match(line)]
    parsed = [LINE.match(line).groupdict() for line in lines]  # type: ignore[union-attr]
    assert {(p["file"], p["line"], p["code"]) for p in parsed} == {
        ("specs/flowker/openapi.yaml", "137", "example-mismatch"),
        ("specs/flowker/openapi.yaml", "161", "example-contradicts-description"),
    }
    assert "clientgen lint: 2 finding(s) in 1 spec(s)." in result.output


def test_strict_turns_warnings_into_errors(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, ["lint", "--strict", "specs/flowker/openapi.yaml"])
    assert result.exit_code == 1
    assert "error[example-mismatch]" in result.output and "warning[" not in result.output
    fixed = CliRunner().invoke(main, ["lint", "--strict", "specs/flowker/openapi.yaml", "--overlay", "specs/flowker/fixes.overlay.yaml"])
    assert fixed.exit_code == 0, fixed.output
    assert "0 finding(s)" in fixed.output


def test_lint_of_the_configured_clients(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, ["lint"])
    assert result.exit_code == 0, result.output
    assert "in 4 spec(s)" in result.output
    assert "doc-drift" not in result.output and "example-mismatch" not in result.output


def test_docs_and_overlays_need_a_spec(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, ["lint", "--docs", "specs/pharen/docs-page.md"])
    assert result.exit_code == 2
    assert "go with SPEC" in result.output


def test_generate_prints_the_same_findings_as_warnings(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["generate", str(ROOT / "specs" / "dify" / "openapi.yaml"), "-o", "out/dify", "-p", "dify"])
    assert result.exit_code == 0, result.output
    assert "warning[unknown-format] format `url`" in result.output
    assert (tmp_path / "out" / "dify" / "client.py").is_file()


def test_a_spec_that_fails_to_lower_is_an_error_not_a_lint_crash(tmp_path, monkeypatch):
    (tmp_path / "bad.yaml").write_text("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200': {$ref: '#/components/responses/Nope'}\n")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["lint", "bad.yaml"])
    assert result.exit_code == 1
    assert "error[unresolved-ref]" in result.output and "Traceback" not in result.output
