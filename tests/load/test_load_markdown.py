"""Documentation pages that embed one OpenAPI document: extraction, page lines, and the seed pages."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from load_support import SEED_SPECS, SPECS, failure, pointers, seed_page, where

from generator.load import EmbeddedDocument, extract_embedded, load_document

# --- the seed pages --------------------------------------------------------------------------------

SEED_FIRST_LINES = {"000": 56, "002": 10, "003": 28, "004": 14}


@pytest.mark.parametrize("seed", sorted(SEED_SPECS))
def test_extracted_text_is_the_spec_byte_for_byte(seed: str) -> None:
    embedded = extract_embedded(seed_page(seed))
    spec = SPECS / SEED_SPECS[seed] / "openapi.yaml"
    assert embedded.text.encode("utf-8") == spec.read_bytes()
    assert embedded == EmbeddedDocument(spec.read_text(encoding="utf-8"), SEED_FIRST_LINES[seed], "yaml")


@pytest.mark.parametrize("seed", sorted(SEED_SPECS))
def test_first_line_is_the_line_after_the_fence(seed: str) -> None:
    page_lines = seed_page(seed).read_text(encoding="utf-8").splitlines()
    first_line = SEED_FIRST_LINES[seed]
    assert page_lines[first_line - 2].startswith("````yaml")
    assert page_lines[first_line - 1].startswith("openapi: ")


@pytest.mark.parametrize("seed", sorted(SEED_SPECS))
def test_page_loads_like_the_spec_with_page_lines(seed: str) -> None:
    page_path = seed_page(seed)
    spec_path = SPECS / SEED_SPECS[seed] / "openapi.yaml"
    page = load_document(page_path, display_path="page.md")
    spec = load_document(spec_path)
    assert page.display_path == "page.md"
    assert page.data == spec.data == yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    shift = SEED_FIRST_LINES[seed] - 1
    page_lines = page_path.read_text(encoding="utf-8").splitlines()
    assert page.locate("") == (SEED_FIRST_LINES[seed], 1)
    count = 0
    for pointer, token, _ in pointers(page.data):
        line, col = spec.locate(pointer)
        assert page.locate(pointer) == (line + shift, col), pointer
        if isinstance(token, str):  # a key: the page shows it at that place
            assert page_lines[line + shift - 1][col - 1:].lstrip("'\"").startswith(token.split("\n")[0]), pointer
        count += 1
    assert count > 100


def test_seed_page_without_a_fenced_spec() -> None:
    found = failure(lambda: load_document(seed_page("001")))
    assert where(found) == ("no-embedded-spec", 1, 1)
    assert found.file == str(seed_page("001"))
    assert "fenced code block" in found.message


def test_seed_page_other_fences_are_skipped() -> None:
    # seed 000 has a ```json request example before the ````yaml OpenAPI block
    text = seed_page("000").read_text(encoding="utf-8")
    assert "```json" in text.split("````yaml")[0]
    assert extract_embedded(seed_page("000")).first_line == 56


# --- pages written here -------------------------------------------------------------------------------


def page(tmp_path: Path, text: str | bytes, name: str = "page.md") -> Path:
    path = tmp_path / name
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8", newline="")
    else:
        path.write_bytes(text)
    return path


def test_yaml_fence(tmp_path: Path) -> None:
    path = page(tmp_path, "# Title\n\nSome text.\n\n```yaml\nopenapi: 3.1.0\ninfo:\n  title: T\n```\n\nMore text.\n")
    assert extract_embedded(path) == EmbeddedDocument("openapi: 3.1.0\ninfo:\n  title: T\n", 6, "yaml")
    doc = load_document(path)
    assert doc.data == {"openapi": "3.1.0", "info": {"title": "T"}}
    assert doc.locate("") == (6, 1)
    assert doc.locate("/info/title") == (8, 3)
    assert doc.display_path == str(path)


def test_json_fence(tmp_path: Path) -> None:
    path = page(tmp_path, 'Intro\n\n```json\n{\n  "openapi": "3.0.3",\n  "info": {"title": "T"}\n}\n```\n')
    embedded = extract_embedded(path)
    assert (embedded.first_line, embedded.language) == (4, "json")
    doc = load_document(path)
    assert doc.data == {"openapi": "3.0.3", "info": {"title": "T"}}
    assert doc.locate("/info/title") == (6, 12)


def test_json_fence_whose_first_key_is_not_openapi(tmp_path: Path) -> None:
    path = page(tmp_path, '```json\n{\n  "info": {"title": "T"},\n  "openapi": "3.0.3"\n}\n```\n')
    assert load_document(path).data == {"info": {"title": "T"}, "openapi": "3.0.3"}
    assert load_document(path).locate("/openapi") == (4, 3)


def test_yaml_fence_with_quoted_openapi_key(tmp_path: Path) -> None:
    path = page(tmp_path, "```yaml\n'info': {}\n\"openapi\": 3.1.0\n```\n")
    assert load_document(path).data == {"info": {}, "openapi": "3.1.0"}


def test_swagger_document(tmp_path: Path) -> None:
    path = page(tmp_path, "```yaml\nswagger: '2.0'\ninfo: {}\n```\n")
    assert load_document(path).data == {"swagger": "2.0", "info": {}}


@pytest.mark.parametrize(
    ("opening", "closing"),
    [
        ("```yaml", "```"), ("```yml", "```"), ("```YAML", "```"), ("```openapi", "```"),
        ("```yaml openapi.json POST /x", "```"), ("````yaml", "````"), ("~~~yaml", "~~~"), ("```", "```"),
        ("```yaml title=\"openapi.yaml\"", "```"),
    ],
)
def test_yaml_fence_languages(tmp_path: Path, opening: str, closing: str) -> None:
    path = page(tmp_path, f"text\n\n{opening}\nopenapi: 3.1.0\n{closing}\n")
    assert extract_embedded(path) == EmbeddedDocument("openapi: 3.1.0\n", 4, "yaml")


def test_fence_without_language_holding_json(tmp_path: Path) -> None:
    path = page(tmp_path, '```\n{"openapi": "3.1.0"}\n```\n')
    assert extract_embedded(path) == EmbeddedDocument('{"openapi": "3.1.0"}\n', 2, "json")


@pytest.mark.parametrize("fence", ["```python", "```bash", "```text", "```xml"])
def test_other_languages_are_not_specs(tmp_path: Path, fence: str) -> None:
    path = page(tmp_path, f"{fence}\nopenapi: 3.1.0\n```\n")
    assert where(failure(lambda: extract_embedded(path))) == ("no-embedded-spec", 1, 1)


def test_indented_code_block(tmp_path: Path) -> None:
    path = page(tmp_path, "Text\n\n    openapi: 3.1.0\n    info:\n      title: T\n")
    assert extract_embedded(path) == EmbeddedDocument("openapi: 3.1.0\ninfo:\n  title: T\n", 3, "yaml")
    assert load_document(path).locate("/info/title")[0] == 5


def test_unclosed_fence_runs_to_the_end_of_the_page(tmp_path: Path) -> None:
    path = page(tmp_path, "```yaml\nopenapi: 3.1.0\ninfo: {}\n")
    assert extract_embedded(path) == EmbeddedDocument("openapi: 3.1.0\ninfo: {}\n", 2, "yaml")


def test_blocks_that_are_not_openapi_documents_are_skipped(tmp_path: Path) -> None:
    text = (
        "```yaml\nname: config\nspec:\n  openapi: 3.1.0\n```\n\n"  # `openapi:` not at the top level
        "```yaml\n- openapi: 3.1.0\n```\n\n"  # a list
        "```json\n{\"inputs\": {}}\n```\n\n"  # an example body
        "```yaml\nopenapi: 3.1.0\n```\n"
    )
    path = page(tmp_path, text)
    assert extract_embedded(path).first_line == 16


def test_openapi_text_outside_fences_is_ignored(tmp_path: Path) -> None:
    path = page(tmp_path, "openapi: 3.1.0\ninfo: {}\n\n`openapi: 3.1.0`\n")
    assert where(failure(lambda: extract_embedded(path))) == ("no-embedded-spec", 1, 1)


def test_broken_embedded_document_reports_page_lines(tmp_path: Path) -> None:
    path = page(tmp_path, "# T\n\n```yaml\nopenapi: 3.0.0\npaths: {\n```\n")
    found = failure(lambda: load_document(path, display_path="docs/page.md"))
    assert where(found) == ("yaml-syntax", 6, 1)
    assert found.file == "docs/page.md"


def test_broken_embedded_json_reports_page_lines(tmp_path: Path) -> None:
    path = page(tmp_path, 'a\nb\n\n```json\n{"openapi": "3.0.0",\n "info": {},\n "info": 1}\n```\n')
    assert where(failure(lambda: load_document(path))) == ("json-duplicate-key", 7, 2)


def test_embedded_duplicate_key_and_depth_report_page_lines(tmp_path: Path) -> None:
    path = page(tmp_path, "x\n\n```yaml\nopenapi: 3.0.0\nopenapi: 3.1.0\n```\n")
    assert where(failure(lambda: load_document(path))) == ("yaml-duplicate-key", 5, 1)
    path = page(tmp_path, "x\n\n```yaml\nopenapi: 3.0.0\ndeep: " + "[" * 300 + "]" * 300 + "\n```\n")
    assert where(failure(lambda: load_document(path))) == ("too-deep", 5, 206)


def test_multiple_embedded_specs(tmp_path: Path) -> None:
    path = page(tmp_path, "# T\n\n```yaml\nopenapi: 3.0.0\n```\n\n```json\n{\"openapi\": \"3.1.0\"}\n```\n")
    found = failure(lambda: load_document(path))
    assert where(found) == ("multiple-embedded-specs", 8, 1)
    assert "2 OpenAPI documents (lines 4, 8)" in found.message
    assert where(failure(lambda: extract_embedded(path))) == ("multiple-embedded-specs", 8, 1)


@pytest.mark.parametrize("suffix", [".md", ".mdx", ".markdown", ".txt", ".MD"])
def test_page_suffixes(tmp_path: Path, suffix: str) -> None:
    path = page(tmp_path, "Intro\n\n```yaml\nopenapi: 3.1.0\n```\n", name="page" + suffix)
    assert load_document(path).data == {"openapi": "3.1.0"}


@pytest.mark.parametrize("text", ["", "\n\n", "# Only a title\n", "```yaml\n```\n"])
def test_page_without_a_document(tmp_path: Path, text: str) -> None:
    assert where(failure(lambda: load_document(page(tmp_path, text)))) == ("no-embedded-spec", 1, 1)


def test_crlf_page(tmp_path: Path) -> None:
    path = page(tmp_path, "# T\r\n\r\n```yaml\r\nopenapi: 3.0.0\r\ninfo:\r\n  title: t\r\n```\r\n")
    assert extract_embedded(path) == EmbeddedDocument("openapi: 3.0.0\ninfo:\n  title: t\n", 4, "yaml")
    assert load_document(path).locate("/info/title") == (6, 3)


def test_page_with_a_bom_and_non_ascii_text(tmp_path: Path) -> None:
    path = page(tmp_path, "\ufeff# Überblick\n\n```yaml\nopenapi: 3.0.0\ninfo:\n  title: Führe aus\n```\n".encode("utf-8"))
    doc = load_document(path)
    assert doc.data == {"openapi": "3.0.0", "info": {"title": "Führe aus"}}
    assert doc.locate("/info/title") == (6, 3)


def test_encoding_error_in_a_page_reports_page_lines(tmp_path: Path) -> None:
    path = page(tmp_path, b"# T\n\n```yaml\nopenapi: 3.0.0\ninfo: \xff\n```\n")
    assert where(failure(lambda: load_document(path))) == ("encoding", 5, 7)
