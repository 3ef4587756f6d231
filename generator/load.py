"""Load layer: bytes on disk -> plain JSON-like data plus a map back to lines and columns.

Three inputs: YAML, JSON, and Markdown/MDX documentation pages that embed one OpenAPI document in a
fenced code block. Everything the later layers report is located through `SourceDocument.locate`.

Why not `yaml.safe_load`: it throws positions away, resolves scalars by YAML 1.1 (`on`, `yes`, `0755`,
`1:20` change meaning), silently keeps the last of two duplicate keys, and expands alias bombs. Here
libyaml (PyYAML's C parser) produces events and `_YamlBuilder` turns them into data iteratively, so
nesting depth is bounded by a check instead of by the interpreter's stack.
"""

from __future__ import annotations

import bisect
import dataclasses
import codecs
import json
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.diagnostics import Diagnostic, DiagnosticError, error, escape_pointer_token, split_pointer, warning

# Nesting beyond this is not a real API description, and deeper data would exhaust the recursion
# limit of the validators and walkers after us.
MAX_DEPTH = 200
# Alias expansion bound ("billion laughs"): nodes a consumer would see when walking the data.
MAX_EXPANDED_NODES = 5_000_000

Position = tuple[int, int]  # 1-based line, 1-based column
_MARKDOWN_SUFFIXES = frozenset({".md", ".mdx", ".markdown", ".txt"})
_JSON_SUFFIXES = frozenset({".json"})


@dataclass(frozen=True, eq=False)
class SourceDocument:
    """Parsed data and a way back from a JSON pointer to the place in the file it came from."""

    display_path: str
    data: Any
    _locator: Callable[[str], Position] = field(repr=False)
    path: Path | None = None  # the file read; None for text given directly (it cannot refer to files)

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
        document = load_text(embedded.text, display_path=shown, kind=embedded.language, first_line=embedded.first_line)
    else:
        document = load_text(text, display_path=shown, kind="json" if suffix in _JSON_SUFFIXES else "yaml")
    return dataclasses.replace(document, path=path)


def load_text(text: str, *, display_path: str, kind: str, first_line: int = 1) -> SourceDocument:
    """Parse `text` as "yaml" or "json". `first_line` shifts every reported line (embedded documents)."""
    if not text.strip():
        raise DiagnosticError([error("empty-document", "the document is empty", display_path, first_line, 1,
                                     hint="point the configuration at the OpenAPI document itself")])
    if kind == "json":
        data, locator = _load_json(text, display_path, first_line)
    else:
        data, locator = _YamlBuilder(text, display_path, first_line).build()
    if not isinstance(data, dict):
        line, col = locator("")
        kind_name = type(data).__name__ if data is not None else "null"
        raise DiagnosticError([error("not-a-mapping", f"the document is a {kind_name}, not a mapping of OpenAPI fields",
                                     display_path, line, col, hint="an OpenAPI document starts with `openapi: 3.x.y`")])
    return SourceDocument(display_path, data, locator)


def extract_embedded(path: Path) -> EmbeddedDocument:
    """The one OpenAPI document embedded in a Markdown page, exactly as written there."""
    shown = str(path)
    return _embedded_in(_read_text(path, shown), shown)


# --- reading ---------------------------------------------------------------------------------------


def _read_text(path: Path, shown: str) -> str:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DiagnosticError([error("file-not-found", "no such file", shown,
                                     hint="check the `spec` path in [tool.clientgen] (it is relative to pyproject.toml)")]) from None
    except IsADirectoryError:
        raise DiagnosticError([error("file-not-found", "this is a folder, not a spec file", shown)]) from None
    except OSError as exc:
        raise DiagnosticError([error("file-not-found", f"cannot read the file: {exc.strerror}", shown)]) from None
    return _decode(raw, shown)


def _decode(raw: bytes, shown: str) -> str:
    codec, bom_size = "utf-8", len(codecs.BOM_UTF8) if raw.startswith(codecs.BOM_UTF8) else 0
    for bom, name in ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
                      (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if raw.startswith(bom):
            codec, bom_size = name, len(bom)
            break
    body = raw[bom_size:]
    try:
        return body.decode(codec)
    except UnicodeDecodeError as exc:
        before = body[:exc.start].decode(codec)  # decodes: the first bad byte is at exc.start
        line = before.count("\n") + 1
        col = len(before) - (before.rfind("\n") + 1) + 1
        raise DiagnosticError([error("encoding", f"byte 0x{body[exc.start]:02x} is not valid {codec.upper()}", shown,
                                     line, col, hint="save the file as UTF-8")]) from None


# --- YAML ----------------------------------------------------------------------------------------

# YAML 1.2 core schema, the one JSON-compatible documents mean.
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT10 = re.compile(r"^[-+]?[0-9]+$")
_INT8 = re.compile(r"^0o[0-7]+$")
_INT16 = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_INF = re.compile(r"^[-+]?\.(?:inf|Inf|INF)$")
_NAN = re.compile(r"^\.(?:nan|NaN|NAN)$")
_TAG = "tag:yaml.org,2002:"


class _Container:
    """A mapping or sequence under construction."""

    __slots__ = ("value", "positions", "anchor", "key", "size", "merges", "explicit", "line", "col")

    def __init__(self, value: Any, anchor: str | None, line: int, col: int) -> None:
        self.value = value
        self.positions: Any = {} if isinstance(value, dict) else []
        self.anchor = anchor
        self.key: tuple[str, int, int, bool] | None = None  # mapping: key read, value pending
        self.size = 1  # nodes a full walk of this value visits, aliases expanded
        self.merges: list[tuple[Any, int, int]] = []  # `<<` values, applied at the end
        self.explicit: set[str] = set()
        self.line, self.col = line, col


class _YamlBuilder:
    """libyaml events -> data, iteratively, with positions, checks and YAML 1.2 scalars."""

    def __init__(self, text: str, shown: str, first_line: int) -> None:
        self.text, self.shown, self.offset = text, shown, first_line - 1
        self.anchors: dict[str, tuple[Any, int]] = {}  # name -> (value, expanded size)
        self.open_anchors: set[str] = set()
        self.positions: dict[int, Any] = {}  # id(container) -> {key: pos} / [pos]
        self.expanded = 0

    def build(self) -> tuple[Any, Callable[[str], Position]]:
        root_pos: Position = (1 + self.offset, 1)
        root: Any = None
        stack: list[_Container] = []
        documents = 0
        try:
            for event in yaml.parse(self.text, Loader=yaml.CSafeLoader):
                line, col = event.start_mark.line + 1 + self.offset, event.start_mark.column + 1
                if isinstance(event, yaml.DocumentStartEvent):
                    documents += 1
                    if documents > 1:
                        self._fail("multiple-documents", "the file holds more than one YAML document", line, col,
                                   "keep only the OpenAPI document in this file")
                    continue
                if isinstance(event, (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent)):
                    continue
                if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                    if len(stack) >= MAX_DEPTH:
                        self._fail("too-deep", f"the document nests deeper than {MAX_DEPTH} levels", line, col,
                                   "flatten the structure, e.g. move nested schemas to components")
                    self._check_tag(event.tag, "map" if isinstance(event, yaml.MappingStartEvent) else "seq", line, col)
                    value: Any = {} if isinstance(event, yaml.MappingStartEvent) else []
                    if event.anchor:
                        self.open_anchors.add(event.anchor)
                    stack.append(_Container(value, event.anchor, line, col))
                    continue
                if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                    done = stack.pop()
                    self._apply_merges(done)
                    self.positions[id(done.value)] = done.positions
                    if done.anchor:
                        self.open_anchors.discard(done.anchor)
                        self.anchors[done.anchor] = (done.value, done.size)
                    size = done.size
                    value, pos = done.value, (done.line, done.col)
                elif isinstance(event, yaml.AliasEvent):
                    if event.anchor in self.open_anchors:
                        self._fail("yaml-recursive-alias", f"alias *{event.anchor} refers to a node that contains it",
                                   line, col, "an OpenAPI document is a tree; use $ref for recursive schemas")
                    if event.anchor not in self.anchors:
                        self._fail("yaml-syntax", f"alias *{event.anchor} refers to no anchor", line, col, "")
                    value, size = self.anchors[event.anchor]
                    pos = (line, col)
                else:  # ScalarEvent
                    value = self._scalar(event, line, col)
                    size, pos = 1, (line, col)
                    if event.anchor:
                        self.anchors[event.anchor] = (value, 1)
                if not stack:
                    root, root_pos = value, pos
                    continue
                self._add(stack[-1], value, size, pos, event)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line, col = (mark.line + 1 + self.offset, mark.column + 1) if mark else (1 + self.offset, 1)
            problem = exc.problem or exc.context or "invalid YAML"
            if "nesting depth" in problem:  # libyaml >= 0.2.5 stops at 1,000 levels while scanning ahead
                self._fail("too-deep", f"the document nests deeper than {MAX_DEPTH} levels", line, col,
                           "flatten the structure, e.g. move nested schemas to components")
            self._fail("yaml-syntax", f"invalid YAML: {problem}", line, col,
                       "fix the YAML syntax at this place (indentation, quoting, a missing colon)")
        except yaml.reader.ReaderError as exc:
            index = len(self.text.encode("utf-8")[:exc.position].decode("utf-8", "ignore"))
            line, col = _LineIndex(self.text, 1 + self.offset).position(index)
            self._fail("yaml-syntax", f"invalid YAML: character U+{exc.character:04X} is not allowed here ({exc.reason})",
                       line, col, "remove the character or write it as an escape in a double-quoted string")
        except yaml.YAMLError as exc:
            self._fail("yaml-syntax", f"invalid YAML: {exc}", 1 + self.offset, 1, "")
        except UnicodeEncodeError as exc:  # only from load_text: text read from a file has no lone surrogates
            line, col = _LineIndex(self.text, 1 + self.offset).position(exc.start)
            self._fail("encoding", "a lone surrogate is not a character", line, col, "")
        return root, _TreeLocator(root, root_pos, self.positions)

    def _add(self, parent: _Container, value: Any, size: int, pos: Position, event: Any) -> None:
        parent.size += size
        self.expanded += size if isinstance(event, yaml.AliasEvent) else 1
        if self.expanded > MAX_EXPANDED_NODES:
            self._fail("yaml-too-large", f"aliases expand the document to more than {MAX_EXPANDED_NODES:,} nodes",
                       pos[0], pos[1], "this looks like an alias bomb; write the values out or use $ref")
        if isinstance(parent.value, list):
            parent.value.append(value)
            parent.positions.append(pos)
            return
        if parent.key is None:  # `value` is a key
            if not isinstance(event, yaml.ScalarEvent):
                self._fail("yaml-complex-key", "a mapping key must be a plain string", pos[0], pos[1],
                           "OpenAPI documents only use string keys")
            # Keys keep their text: `200:` is the status code "200", `yes:` is "yes".
            # A plain `<<` is a merge key; a quoted one is an ordinary key.
            parent.key = (event.value, pos[0], pos[1], event.value == "<<" and not event.style)
            return
        key, line, col, is_merge = parent.key
        parent.key = None
        if is_merge:
            parent.merges.append((value, line, col))
            return
        if key in parent.explicit:
            first = parent.positions[key]
            self._fail("yaml-duplicate-key", f"duplicate key {key!r} (first defined on line {first[0]})", line, col,
                       "remove one of the two entries; YAML parsers disagree on which one wins")
        parent.explicit.add(key)
        parent.value[key] = value
        parent.positions[key] = (line, col)

    def _apply_merges(self, done: _Container) -> None:
        """`<<: *base` / `<<: [*a, *b]`: explicit keys win, then earlier merged mappings."""
        for value, line, col in done.merges:
            sources = value if isinstance(value, list) else [value]
            for source in sources:
                if not isinstance(source, dict):
                    self._fail("yaml-merge", "a `<<` merge takes a mapping or a list of mappings", line, col, "")
                source_positions = self.positions.get(id(source), {})
                for key, item in source.items():
                    if key not in done.value:
                        done.value[key] = item
                        done.positions[key] = source_positions.get(key, (line, col))

    def _scalar(self, event: Any, line: int, col: int) -> Any:
        tag, text = event.tag, event.value
        if tag is None or tag == "!":
            return _resolve_plain(text) if (event.implicit[0] and tag is None) else text
        name = tag[len(_TAG):] if tag.startswith(_TAG) else None
        if name == "str":
            return text
        if name in ("int", "float", "bool", "null"):
            value = _resolve_plain(text)
            expected = {"int": int, "float": (int, float), "bool": bool, "null": type(None)}[name]
            if isinstance(value, expected) and not (name != "bool" and isinstance(value, bool)):
                return float(value) if name == "float" else value
            self._fail("yaml-bad-tag", f"{text!r} is not a valid !!{name}", line, col, "")
        self._fail("yaml-unsupported-tag", f"the YAML tag {tag} has no JSON equivalent", line, col,
                   "OpenAPI documents hold only JSON values: remove the tag or quote the value")
        raise AssertionError("unreachable")

    def _check_tag(self, tag: str | None, kind: str, line: int, col: int) -> None:
        if tag not in (None, "!", _TAG + kind):
            self._fail("yaml-unsupported-tag", f"the YAML tag {tag} has no JSON equivalent", line, col,
                       "OpenAPI documents hold only JSON values: remove the tag")

    def _fail(self, code: str, message: str, line: int, col: int, hint: str) -> None:
        raise DiagnosticError([error(code, message, self.shown, line, col, hint=hint)])


def _resolve_plain(text: str) -> Any:
    if _NULL.match(text):
        return None
    if text in _BOOL:
        return _BOOL[text]
    try:
        if _INT10.match(text):
            return int(text)
        if _INT8.match(text):
            return int(text[2:], 8)
        if _INT16.match(text):
            return int(text[2:], 16)
    except ValueError:  # more digits than int() accepts: keep the text rather than crash
        return text
    if _FLOAT.match(text):
        return float(text)
    if _INF.match(text):
        return float("-inf") if text.startswith("-") else float("inf")
    if _NAN.match(text):
        return float("nan")
    return text


class _TreeLocator:
    """Walks the data along a pointer, reading positions kept per container (by identity)."""

    def __init__(self, root: Any, root_pos: Position, positions: dict[int, Any]) -> None:
        self.root, self.root_pos, self.positions = root, root_pos, positions

    def __call__(self, pointer: str) -> Position:
        node, pos = self.root, self.root_pos
        for token in split_pointer(pointer):
            positions = self.positions.get(id(node))
            if isinstance(node, dict) and token in node:
                key: Any = token
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                key = int(token)
            else:
                break
            pos = self._position(positions, key) or pos
            node = node[key]
        return pos

    @staticmethod
    def _position(positions: Any, key: Any) -> Position | None:
        if isinstance(positions, dict):
            return positions.get(key)  # type: ignore[no-any-return]
        if isinstance(positions, list) and isinstance(key, int) and key < len(positions):
            return positions[key]  # type: ignore[no-any-return]
        return None


# --- JSON ----------------------------------------------------------------------------------------


def _load_json(text: str, shown: str, first_line: int) -> tuple[Any, Callable[[str], Position]]:
    lines = _LineIndex(text, first_line)

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in items:
            if key in result:
                raise _DuplicateKey(key)
            result[key] = value
        return result

    def constant(name: str) -> Any:
        raise ValueError(f"{name} is not a JSON value")

    recursed = False
    try:
        data = json.loads(text, object_pairs_hook=pairs, parse_constant=constant)
    except json.JSONDecodeError as exc:
        line, col = lines.position(exc.pos)
        # "Unterminated string starting at": the position follows in the diagnostic, not in the text
        raise DiagnosticError([error("json-syntax", f"invalid JSON: {exc.msg.removesuffix(' at')}", shown, line, col,
                                     hint="fix the JSON syntax at this place")]) from None
    except _DuplicateKey as exc:
        locator = _JsonLocator(text, lines)
        line, col = locator.duplicate(exc.key)
        raise DiagnosticError([error("json-duplicate-key", f"duplicate key {exc.key!r}", shown, line, col,
                                     hint="remove one of the two entries")]) from None
    except RecursionError:  # nesting deeper than the interpreter allows: MAX_DEPTH is far below that
        data, recursed = None, True
    except ValueError as exc:  # NaN/Infinity, or an integer longer than int() accepts
        line, col = lines.position(_json_bad_literal(text))
        raise DiagnosticError([error("json-syntax", f"invalid JSON: {exc}", shown, line, col)]) from None
    too_deep = _json_too_deep(text)
    if too_deep is not None or recursed:
        line, col = lines.position(too_deep or 0)
        raise DiagnosticError([error("too-deep", f"the document nests deeper than {MAX_DEPTH} levels", shown,
                                     line, col, hint="flatten the structure, e.g. move nested schemas to components")])
    return data, _JsonLocator(text, lines)


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


class _LineIndex:
    def __init__(self, text: str, first_line: int) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.offset = first_line - 1

    def position(self, index: int) -> Position:
        line = bisect.bisect_right(self.starts, index) - 1
        return line + 1 + self.offset, index - self.starts[line] + 1


_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+', re.DOTALL)


def _json_bad_literal(text: str) -> int:
    """Offset of the first bare token json.loads refuses with a ValueError (0 if none is found)."""
    limit = sys.get_int_max_str_digits()
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        if token in ("NaN", "Infinity", "-Infinity"):
            return match.start()
        if limit and re.fullmatch(r"-?[0-9]+", token) and len(token.lstrip("-")) > limit:
            return match.start()
    return 0


def _json_too_deep(text: str) -> int | None:
    """Offset of the first bracket that opens a level deeper than MAX_DEPTH."""
    depth = 0
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        if token in "{[":
            depth += 1
            if depth > MAX_DEPTH:
                return match.start()
        elif token in "}]":
            depth -= 1
    return None


class _JsonLocator:
    """Positions for JSON, computed on first use: most documents never need one."""

    def __init__(self, text: str, lines: _LineIndex) -> None:
        self.text, self.lines = text, lines
        self._map: dict[str, int] | None = None
        self._duplicate: dict[str, int] = {}

    def __call__(self, pointer: str) -> Position:
        positions = self._positions()
        while pointer not in positions and pointer:
            pointer = pointer.rsplit("/", 1)[0]
        return self.lines.position(positions.get(pointer, 0))

    def duplicate(self, key: str) -> Position:
        self._positions()
        return self.lines.position(self._duplicate.get(key, 0))

    def _positions(self) -> dict[str, int]:
        if self._map is None:
            self._map = self._scan()
        return self._map

    def _scan(self) -> dict[str, int]:
        """pointer -> offset of the key (object members) or value (array items)."""
        positions: dict[str, int] = {}
        stack: list[list[Any]] = []  # [pointer, kind, next index or pending key, keys seen]
        first_value = True
        for match in _JSON_TOKEN.finditer(self.text):
            token, start = match.group(), match.start()
            top = stack[-1] if stack else None
            if token in ",:":
                continue
            if token in "}]":
                stack.pop()
                continue
            if top is not None and top[1] == "{" and top[2] is None:  # a member key
                key = json.loads(token) if token.startswith('"') else token
                if key in top[3]:
                    self._duplicate.setdefault(key, start)
                top[3].add(key)
                top[2] = key
                positions[top[0] + "/" + escape_pointer_token(key)] = start
                continue
            if top is None:
                pointer = ""
                if first_value:
                    positions[""] = start
                    first_value = False
            elif top[1] == "{":
                pointer, top[2] = top[0] + "/" + escape_pointer_token(top[2]), None
            else:
                pointer = top[0] + "/" + str(top[2])
                positions[pointer] = start
                top[2] += 1
            if token in "{[":
                stack.append([pointer, token, None if token == "{" else 0, set()])
        return positions


# --- Markdown ------------------------------------------------------------------------------------

_SPEC_START = re.compile(r"""^[\s{]*(?:openapi|swagger|"(?:openapi|swagger)"|'(?:openapi|swagger)')\s*:""", re.MULTILINE)
_FENCE_LANGUAGES = {"yaml": "yaml", "yml": "yaml", "json": "json", "openapi": "yaml", "": ""}


def _embedded_in(page: str, shown: str) -> EmbeddedDocument:
    from markdown_it import MarkdownIt  # only pages need it

    found: list[EmbeddedDocument] = []
    for token in MarkdownIt("commonmark").parse(page):
        if token.type not in ("fence", "code_block") or token.map is None:
            continue
        language = _FENCE_LANGUAGES.get(token.info.strip().split(" ")[0].lower() if token.info else "")
        if language is None or not _SPEC_START.search(token.content):
            continue
        if not language:
            language = "json" if token.content.lstrip().startswith("{") else "yaml"
        first_line = token.map[0] + (2 if token.type == "fence" else 1)
        candidate = EmbeddedDocument(token.content, first_line, language)
        if _is_openapi(candidate, shown):
            found.append(candidate)
    if not found:
        raise DiagnosticError([error("no-embedded-spec", "the page embeds no OpenAPI document in a fenced code block",
                                     shown, hint="a ```yaml or ```json block whose top level has `openapi:`")])
    if len(found) > 1:
        lines = ", ".join(str(doc.first_line) for doc in found)
        raise DiagnosticError([error("multiple-embedded-specs", f"the page embeds {len(found)} OpenAPI documents (lines {lines})",
                                     shown, found[1].first_line, 1, hint="extract the one you want with `clientgen extract`, then edit it")])
    return found[0]


def _is_openapi(candidate: EmbeddedDocument, shown: str) -> bool:
    """A block counts when its top level names an OpenAPI version; a broken one still counts, so that
    its syntax error is reported instead of "no document"."""
    try:
        document = load_text(candidate.text, display_path=shown, kind=candidate.language, first_line=candidate.first_line)
    except DiagnosticError as exc:
        return not all(d.code == "not-a-mapping" for d in exc.diagnostics)
    return "openapi" in document.data or "swagger" in document.data

