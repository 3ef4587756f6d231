"""Load layer: bytes on disk -> plain JSON-like data plus a map back to lines and columns.

Three inputs: YAML (`generator.load_yaml`), JSON (`generator.load_json`), and Markdown/MDX
documentation pages that embed one OpenAPI document in a fenced code block. Everything the later
layers report is located through `SourceDocument.locate`.

Why not `yaml.safe_load`: it throws positions away, resolves scalars by YAML 1.1 (`on`, `yes`,
`0755`, `1:20` change meaning), silently keeps the last of two duplicate keys, and expands alias
bombs. Here libyaml (PyYAML's C parser) produces events and `YamlBuilder` turns them into data
iteratively, so nesting depth is bounded by a check instead of by the interpreter's stack.
"""

from __future__ import annotations

import codecs
import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostic, DiagnosticError, error, warning
from generator.load_json import load_json
from generator.load_position import MAX_DEPTH as MAX_DEPTH
from generator.load_position import Position
from generator.load_yaml import YamlBuilder

_MARKDOWN_SUFFIXES = frozenset({".md", ".mdx", ".markdown", ".txt"})
_JSON_SUFFIXES = frozenset({".json"})


@dataclass(frozen=True, eq=False)
class SourceDocument:
    """Parsed data and a way back from a JSON pointer to the place in the file it came from."""

    display_path: str
    data: Any
    _locator: Callable[[str], Position] = field(repr=False)
    path: Path | None = (
        None  # the file read; None for text given directly (it cannot refer to files)
    )

    def locate(self, pointer: str) -> Position:
        """Line and column of the value at `pointer` (a key's position for mapping entries), or of
        its nearest existing ancestor."""
        return self._locator(pointer)

    def where(self, pointer: str) -> tuple[str, int, int]:
        """File, line and column the value at `pointer` came from (overlaid documents override this:
        a value an overlay put there is located in the overlay file)."""
        line, col = self.locate(pointer)
        return self.display_path, line, col

    def error(self, code: str, message: str, pointer: str, hint: str = "") -> Diagnostic:
        return error(code, message, *self.where(pointer), pointer, hint)

    def warning(self, code: str, message: str, pointer: str, hint: str = "") -> Diagnostic:
        return warning(code, message, *self.where(pointer), pointer, hint)


@dataclass(frozen=True)
class EmbeddedDocument:
    text: str
    first_line: int  # 1-based line of the page where the document's first line is
    language: str  # "yaml" or "json"


def load_document(path: Path, *, display_path: str | None = None) -> SourceDocument:
    """Read a spec file of any supported kind. Raises DiagnosticError, never a parser exception."""
    shown = display_path or str(path)
    text = _read_text(path, shown)
    suffix = path.suffix.lower()
    if suffix in _MARKDOWN_SUFFIXES:
        embedded = _embedded_in(text, shown)
        document = load_text(
            embedded.text,
            display_path=shown,
            kind=embedded.language,
            first_line=embedded.first_line,
        )
    else:
        document = load_text(
            text, display_path=shown, kind="json" if suffix in _JSON_SUFFIXES else "yaml"
        )
    return dataclasses.replace(document, path=path)


def load_text(text: str, *, display_path: str, kind: str, first_line: int = 1) -> SourceDocument:
    """Parse `text` as "yaml" or "json". `first_line` shifts every reported line (embedded
    documents)."""
    if not text.strip():
        raise DiagnosticError(
            [
                error(
                    "empty-document",
                    "the document is empty",
                    display_path,
                    first_line,
                    1,
                    hint="point the configuration at the OpenAPI document itself",
                )
            ]
        )
    if kind == "json":
        data, locator = load_json(text, display_path, first_line)
    else:
        data, locator = YamlBuilder(text, display_path, first_line).build()
    if not isinstance(data, dict):
        line, col = locator("")
        kind_name = type(data).__name__ if data is not None else "null"
        raise DiagnosticError(
            [
                error(
                    "not-a-mapping",
                    f"the document is a {kind_name}, not a mapping of OpenAPI fields",
                    display_path,
                    line,
                    col,
                    hint="an OpenAPI document starts with `openapi: 3.x.y`",
                )
            ]
        )
    return SourceDocument(display_path, data, locator)


def extract_embedded(path: Path) -> EmbeddedDocument:
    """The one OpenAPI document embedded in a Markdown page, exactly as written there."""
    shown = str(path)
    return _embedded_in(_read_text(path, shown), shown)


# --- reading -------------------------------------------------------------------------------


def _read_text(path: Path, shown: str) -> str:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DiagnosticError(
            [
                error(
                    "file-not-found",
                    "no such file",
                    shown,
                    hint="check the `spec` path in [tool.clientgen] "
                    "(it is relative to pyproject.toml)",
                )
            ]
        ) from None
    except IsADirectoryError:
        raise DiagnosticError(
            [error("file-not-found", "this is a folder, not a spec file", shown)]
        ) from None
    except OSError as exc:
        raise DiagnosticError(
            [error("file-not-found", f"cannot read the file: {exc.strerror}", shown)]
        ) from None
    return _decode(raw, shown)


def _decode(raw: bytes, shown: str) -> str:
    codec, bom_size = "utf-8", len(codecs.BOM_UTF8) if raw.startswith(codecs.BOM_UTF8) else 0
    for bom, name in (
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if raw.startswith(bom):
            codec, bom_size = name, len(bom)
            break
    body = raw[bom_size:]
    try:
        return body.decode(codec)
    except UnicodeDecodeError as exc:
        before = body[: exc.start].decode(codec)  # decodes: the first bad byte is at exc.start
        line = before.count("\n") + 1
        col = len(before) - (before.rfind("\n") + 1) + 1
        raise DiagnosticError(
            [
                error(
                    "encoding",
                    f"byte 0x{body[exc.start]:02x} is not valid {codec.upper()}",
                    shown,
                    line,
                    col,
                    hint="save the file as UTF-8",
                )
            ]
        ) from None


# --- Markdown ------------------------------------------------------------------------------------

_SPEC_START = re.compile(
    r"""^[\s{]*(?:openapi|swagger|"(?:openapi|swagger)"|'(?:openapi|swagger)')\s*:""", re.MULTILINE
)
_FENCE_LANGUAGES = {"yaml": "yaml", "yml": "yaml", "json": "json", "openapi": "yaml", "": ""}


def _embedded_in(page: str, shown: str) -> EmbeddedDocument:
    from markdown_it import MarkdownIt  # only pages need it

    found: list[EmbeddedDocument] = []
    for token in MarkdownIt("commonmark").parse(page):
        if token.type not in ("fence", "code_block") or token.map is None:
            continue
        language = _FENCE_LANGUAGES.get(
            token.info.strip().split(" ")[0].lower() if token.info else ""
        )
        if language is None or not _SPEC_START.search(token.content):
            continue
        if not language:
            language = "json" if token.content.lstrip().startswith("{") else "yaml"
        first_line = token.map[0] + (2 if token.type == "fence" else 1)
        candidate = EmbeddedDocument(token.content, first_line, language)
        if _is_openapi(candidate, shown):
            found.append(candidate)
    if not found:
        raise DiagnosticError(
            [
                error(
                    "no-embedded-spec",
                    "the page embeds no OpenAPI document in a fenced code block",
                    shown,
                    hint="a ```yaml or ```json block whose top level has `openapi:`",
                )
            ]
        )
    if len(found) > 1:
        lines = ", ".join(str(doc.first_line) for doc in found)
        raise DiagnosticError(
            [
                error(
                    "multiple-embedded-specs",
                    f"the page embeds {len(found)} OpenAPI documents (lines {lines})",
                    shown,
                    found[1].first_line,
                    1,
                    hint="extract the one you want with `clientgen extract`, then edit it",
                )
            ]
        )
    return found[0]


def _is_openapi(candidate: EmbeddedDocument, shown: str) -> bool:
    """A block counts when its top level names an OpenAPI version; a broken one still counts, so
    that its syntax error is reported instead of "no document"."""
    try:
        document = load_text(
            candidate.text,
            display_path=shown,
            kind=candidate.language,
            first_line=candidate.first_line,
        )
    except DiagnosticError as exc:
        return not all(d.code == "not-a-mapping" for d in exc.diagnostics)
    return "openapi" in document.data or "swagger" in document.data
