"""Fuzzing clientgen (issue 6): mutated bundled specs and small random OpenAPI documents.

Every case must end one of two ways: the build succeeds and the package imports (in-process, from memory,
under a unique name), or the build raises DiagnosticError whose diagnostics are all located. Anything
else is a clientgen bug. Used by tests/test_fuzz.py (a few dozen cases) and scripts/fuzz.py (thousands).
"""

from __future__ import annotations

import copy
import hashlib
import importlib
import importlib.abc
import importlib.util
import itertools
import json
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pydantic
import yaml
from hypothesis import strategies as st

from generator.build import build_package
from generator.config import ClientConfig
from generator.diagnostics import DiagnosticError, escape_pointer_token
from generator.load import load_document

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = {p.parent.name: load_document(p).data for p in sorted((ROOT / "specs").glob("*/openapi.yaml"))}

# Words that make a mutation land on something clientgen interprets rather than on free text.
KEYS = ["type", "properties", "items", "$ref", "allOf", "oneOf", "anyOf", "enum", "const", "nullable", "required",
        "additionalProperties", "discriminator", "propertyName", "mapping", "default", "format", "in", "name", "schema",
        "content", "responses", "parameters", "requestBody", "operationId", "security", "servers", "url", "variables",
        "securitySchemes", "scheme", "itemSchema", "x-clientgen-stream", "description", "example", "examples", "get", "post"]
WORDS = ["object", "array", "string", "integer", "number", "boolean", "null", "uuid", "date-time", "binary", "query",
         "path", "header", "cookie", "application/json", "text/event-stream", "multipart/form-data",
         "application/x-www-form-urlencoded", "#/components/schemas/", "#/components", "#", "", "200", "default",
         "bearer", "apiKey", "http", "class", "__init__", 'x"""y', "a\nb", "{id}", "/a/{id}", "schemas/x.yaml", "../x.yaml"]

scalars = st.one_of(st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(allow_nan=False),
                    st.sampled_from(WORDS), st.text(max_size=12))
json_values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=6)), inner, max_size=3)), max_leaves=8)


def pointers(data: Any) -> list[str]:
    """Every JSON pointer of `data` (iteratively: bundled specs are a few thousand nodes)."""
    found, todo = [""], [("", data)]
    while todo:
        pointer, node = todo.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, child in items:
            child_pointer = f"{pointer}/{escape_pointer_token(key)}"
            found.append(child_pointer)
            todo.append((child_pointer, child))
    return sorted(found)


def _parent_and_key(data: Any, pointer: str) -> tuple[Any, Any]:
    tokens = [t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[1:]]
    node = data
    for token in tokens[:-1]:
        node = node[int(token)] if isinstance(node, list) else node[token]
    last = tokens[-1]
    return node, int(last) if isinstance(node, list) else last


@st.composite
def mutated_specs(draw: st.DrawFn) -> dict[str, Any]:
    """A bundled spec with 1-4 random edits: replace, delete, rename, point a $ref somewhere, copy a node."""
    data = copy.deepcopy(BUNDLED[draw(st.sampled_from(sorted(BUNDLED)))])
    for _ in range(draw(st.integers(1, 4))):
        places = pointers(data)[1:]
        pointer = draw(st.sampled_from(places))
        parent, key = _parent_and_key(data, pointer)
        action = draw(st.sampled_from(["replace", "delete", "rename", "ref", "copy", "word"]))
        if action == "replace":
            parent[key] = draw(json_values)
        elif action == "word":
            parent[key] = draw(st.sampled_from(WORDS))
        elif action == "delete":
            del parent[key]
        elif action == "rename" and isinstance(parent, dict):
            parent[draw(st.one_of(st.sampled_from(KEYS), st.text(max_size=8)))] = parent.pop(key)
        elif action == "ref":
            parent[key] = {"$ref": "#" + draw(st.sampled_from(places))}
        elif action == "copy":
            source_parent, source_key = _parent_and_key(data, draw(st.sampled_from(places)))
            parent[key] = copy.deepcopy(source_parent[source_key])
    return data


# --- small random documents --------------------------------------------------------------------------

names = st.one_of(st.sampled_from(["Pet", "pet", "Pet_2", "class", "Client", "Field", "issuing.card", "A", "a b"]), st.text(min_size=1, max_size=8))


def schemas(refs: list[str]) -> st.SearchStrategy[Any]:
    leaf = st.one_of(
        st.fixed_dictionaries({"type": st.sampled_from(["string", "integer", "number", "boolean", "null"])},
                              optional={"format": st.sampled_from(["uuid", "date-time", "date", "binary", "int64"]),
                                        "nullable": st.booleans(), "default": scalars, "description": st.text(max_size=20)}),
        st.fixed_dictionaries({"enum": st.lists(scalars, min_size=1, max_size=4)}, optional={"type": st.sampled_from(["string", "integer"])}),
        st.fixed_dictionaries({"const": scalars}),
        st.just({}),
        *([st.sampled_from(refs).map(lambda r: {"$ref": f"#/components/schemas/{escape_pointer_token(r)}"})] if refs else []),
    )
    return st.recursive(leaf, lambda inner: st.one_of(
        st.fixed_dictionaries({"type": st.just("object"), "properties": st.dictionaries(names, inner, max_size=4)},
                              optional={"required": st.lists(names, max_size=3), "additionalProperties": st.one_of(st.booleans(), inner)}),
        st.fixed_dictionaries({"type": st.just("array"), "items": inner}),
        st.fixed_dictionaries({"oneOf": st.lists(inner, min_size=1, max_size=3)}),
        st.fixed_dictionaries({"anyOf": st.lists(inner, min_size=1, max_size=3)}, optional={"nullable": st.booleans()}),
        st.fixed_dictionaries({"allOf": st.lists(inner, min_size=1, max_size=3)}),
        st.fixed_dictionaries({"type": st.just("object"), "additionalProperties": inner}),
    ), max_leaves=6)


@st.composite
def random_documents(draw: st.DrawFn) -> dict[str, Any]:
    refs = draw(st.lists(names, max_size=4, unique=True))
    components = {name: draw(schemas(refs)) for name in refs}
    paths: dict[str, Any] = {}
    for index in range(draw(st.integers(0, 3))):
        param = draw(st.sampled_from(["id", "class", "a-b", "self"]))
        template = draw(st.sampled_from([f"/items{index}", f"/items{index}/{{{param}}}"]))
        operation: dict[str, Any] = {"responses": {}}
        if draw(st.booleans()):
            operation["operationId"] = draw(names)
        parameters = [{"name": param, "in": "path", "required": True, "schema": draw(schemas(refs))}] if "{" in template else []
        for _ in range(draw(st.integers(0, 2))):
            parameters.append({"name": draw(names), "in": draw(st.sampled_from(["query", "header", "cookie"])), "schema": draw(schemas(refs))})
        operation["parameters"] = parameters
        if draw(st.booleans()):
            media = draw(st.sampled_from(["application/json", "multipart/form-data", "application/x-www-form-urlencoded", "application/octet-stream"]))
            operation["requestBody"] = {"required": draw(st.booleans()), "content": {media: {"schema": draw(schemas(refs))}}}
        for status in draw(st.lists(st.sampled_from(["200", "201", "204", "400", "4XX", "default"]), max_size=3, unique=True)):
            media = draw(st.sampled_from(["application/json", "text/event-stream", "text/plain", None]))
            response: dict[str, Any] = {"description": draw(st.text(max_size=10))}
            if media:
                response["content"] = {media: {"schema": draw(schemas(refs))}}
            operation["responses"][status] = response
        paths[template] = {draw(st.sampled_from(["get", "post", "put", "delete", "patch"])): operation}
    document: dict[str, Any] = {
        "openapi": draw(st.sampled_from(["3.0.3", "3.1.0", "3.2.0"])),
        "info": {"title": draw(st.text(max_size=10)), "version": "1"},
        "paths": paths,
        "components": {"schemas": components},
    }
    if draw(st.booleans()):
        document["components"]["securitySchemes"] = {draw(names): draw(st.sampled_from([
            {"type": "http", "scheme": "bearer"}, {"type": "http", "scheme": "basic"},
            {"type": "apiKey", "in": "header", "name": "X-Key"}, {"type": "apiKey", "in": "query", "name": "key"}]))}
        document["security"] = [{k: []} for k in document["components"]["securitySchemes"]]
    return document


# --- running one case --------------------------------------------------------------------------------

_counter = itertools.count()
LAST_CASE: Path | None = None  # scripts/fuzz.py --last-case FILE
_code_cache: dict[str, Any] = {}  # sha256 of a module's source -> its code object (the runtime repeats)


class _TreeFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Imports one generated package straight from its in-memory tree."""

    def __init__(self, package: str, files: dict[str, str]) -> None:
        self.package, self.files = package, files

    def _file(self, fullname: str) -> str | None:
        """The tree path of module `fullname`: `pkg.a.b` is `a/b.py` or `a/b/__init__.py`."""
        if fullname != self.package and not fullname.startswith(self.package + "."):
            return None
        stem = fullname[len(self.package) + 1:].replace(".", "/")
        for name in ((f"{stem}/__init__.py", f"{stem}.py") if stem else ("__init__.py",)):
            if name in self.files:
                return name
        return None

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        name = self._file(fullname)
        if name is None:
            return None
        return importlib.util.spec_from_loader(fullname, self, is_package=name.endswith("__init__.py"))

    def create_module(self, spec: Any) -> None:
        return None

    def exec_module(self, module: Any) -> None:
        name = self._file(module.__name__)
        assert name is not None
        source = self.files[name]
        key = hashlib.sha256(source.encode()).hexdigest()
        code = _code_cache.get(key)
        if code is None:
            code = compile(source, f"<{self.package}/{name}>", "exec")
            if name.startswith("_") or name == "errors.py":  # only the runtime repeats; keep memory flat
                _code_cache[key] = code
        exec(code, module.__dict__)


def import_tree(files: dict[str, str]) -> None:
    """Import every module of a generated package and build a client, then forget the package."""
    package = f"fuzzpkg_{next(_counter)}"
    finder = _TreeFinder(package, files)
    sys.meta_path.insert(0, finder)
    try:
        imported = importlib.import_module(package)
        for name in sorted(files):  # the package's own modules; its generated tests need pytest to run
            if name.endswith(".py") and not name.startswith("tests/") and name != "__init__.py":
                importlib.import_module(f"{package}.{name[:-3].removesuffix('/__init__').replace('/', '.')}")
        models = importlib.import_module(f"{package}.models")
        for export in imported.__all__:
            value = getattr(imported, export)
            if getattr(models, export, None) is value:  # build every validator: annotations are evaluated here
                if isinstance(value, type) and issubclass(value, pydantic.BaseModel):
                    value.model_rebuild(force=True)
                else:
                    pydantic.TypeAdapter(value)
        imported.Client(base_url="http://127.0.0.1:1").close()
    finally:
        sys.meta_path.remove(finder)
        for module in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
            del sys.modules[module]


def run_case(document: Any, folder: Path, *, as_yaml: bool = False) -> str:
    """Build `document` and check the outcome; returns "ok" or the first error code. Raises on a bug."""
    folder.mkdir(parents=True, exist_ok=True)
    if LAST_CASE is not None:  # kept so that a case that kills the interpreter can be found again
        LAST_CASE.write_text(json.dumps(document, ensure_ascii=True, default=repr), encoding="utf-8")
    spec = folder / ("openapi.yaml" if as_yaml else "openapi.json")
    text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False) if as_yaml else json.dumps(document, ensure_ascii=False)
    spec.write_text(text, encoding="utf-8")
    client = ClientConfig("fuzz_client", spec, folder / "out", spec.name)
    try:
        files, warnings = build_package(client)
    except DiagnosticError as exc:
        assert exc.diagnostics, "DiagnosticError without diagnostics"
        for d in exc.diagnostics:
            assert d.file and d.line >= 1 and d.col >= 1 and d.message, f"unlocated diagnostic: {d.format()}"
            assert "Traceback" not in d.message and "object at 0x" not in d.message, d.format()
        return exc.diagnostics[0].code
    for w in warnings:
        assert w.file and w.line >= 1 and w.col >= 1, f"unlocated warning: {w.format()}"
    import_tree(files)
    return "ok"


def tally(outcomes: Counter[str]) -> Iterator[str]:
    for code, count in outcomes.most_common():
        yield f"  {code:32} {count}"
