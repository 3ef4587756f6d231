"""Counts a spec's operations and component schemas against a generated package's source.

    python -m generator.coverage_report SPEC [--overlay FILE ...]

builds the package in memory (as `clientgen generate SPEC` would) and prints how many operations
and component schemas the spec declares, how many the package's code defines (a plain and an
`async` method using the descriptor of that HTTP method and path, reachable from `Client` and
`AsyncClient` through the resource tree; a class or type alias by the schema's name), and every one
that is missing or shares its name. Exit 1 when anything is missing or unaccounted. The output side
is read from the generated source with `ast`, not from clientgen's IR, so a template that drops a
method is caught too.
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass, field
from pathlib import Path

from generator import ir
from generator.diagnostics import DiagnosticError
from generator.lower.coverage import spec_parts
from generator.lower.operations import split_path_key


@dataclass
class Coverage:
    operations: int = 0  # declared in the spec
    schemas: int = 0
    generated_operations: int = 0  # with a method on both clients
    generated_schemas: int = 0  # whose class/alias is defined
    missing: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # `not-generated` warnings of the build

    @property
    def complete(self) -> bool:
        return not self.missing and not self.warnings


def coverage(
    data: dict[str, object], api: ir.Api, files: dict[str, str], warnings: list[str]
) -> Coverage:
    """Compare the spec `data` with the generated `files`; `api` only maps schema pointers to
    names."""
    calls = _client_calls(files)
    defined, twice = _defined_names(files)
    names = {m.pointer: m.name for m in api.models} | {a.pointer: a.name for a in api.aliases}
    result = Coverage(warnings=[w for w in warnings if "[not-generated]" in w])
    # A second definition of a name silently replaces the first: that is a dropped part too.
    result.missing += [f"{where} is defined more than once" for where in twice]
    seen_names: dict[str, str] = {}
    for kind, pointer in spec_parts(data):
        if kind == "operation":
            result.operations += 1
            path, method = pointer.rsplit("/", 1)
            # The descriptor holds the request path: a key's `#fragment` and `?query` are not in it.
            key = (method.upper(), split_path_key(_unescape(path.removeprefix("/paths/")))[0])
            if all(key in found for found in calls.values()):
                result.generated_operations += 1
            else:
                result.missing.append(
                    f"operation {key[0]} {_unescape(path.removeprefix('/paths/'))}"
                )
            continue
        result.schemas += 1
        name = names.get(pointer)
        if name is None or name not in defined:
            result.missing.append(f"schema {pointer}")
        elif name in seen_names:
            result.missing.append(
                f"schema {pointer} shares the name {name} with {seen_names[name]}"
            )
        else:
            seen_names[name] = pointer
            result.generated_schemas += 1
    return result


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def _client_calls(files: dict[str, str]) -> dict[str, set[tuple[str, str]]]:
    """ "sync"/"async" -> (HTTP method, path) of every `Operation(...)` descriptor that a plain / an
    `async` method *reachable from `Client` / `AsyncClient`* uses: the walk follows
    `cached_property` attributes by their return annotation (a class of the same module, or
    `alias.Class` of a module the file imports as `alias`) through the resource tree. A class that
    defines a method twice counts as calling nothing."""
    trees = {
        path: ast.parse(text)
        for path, text in sorted(files.items())
        if path.endswith(".py") and not path.startswith("tests/")
    }
    calls: dict[str, set[tuple[str, str]]] = {"sync": set(), "async": set()}
    for root in ("Client", "AsyncClient"):
        stack, seen = [("client.py", root)], set()
        while stack:
            where = stack.pop()
            if where in seen or where[0] not in trees:
                continue
            seen.add(where)
            stack += _walk_class(trees[where[0]], where, calls)
    return calls


def _walk_class(
    tree: ast.Module, where: tuple[str, str], calls: dict[str, set[tuple[str, str]]]
) -> list[tuple[str, str]]:
    """Record the calls of one class's methods; return the classes its attributes lead to."""
    path, name = where
    cls = next((n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == name), None)
    methods = (
        [m for m in cls.body if isinstance(m, ast.FunctionDef | ast.AsyncFunctionDef)]
        if cls
        else []
    )
    if len({m.name for m in methods}) != len(methods):
        return []
    descriptors = _descriptors(tree)
    aliases = _module_aliases(tree, path)
    found = []
    for method in methods:
        if any(
            isinstance(d, ast.Name) and d.id == "cached_property" for d in method.decorator_list
        ):
            target = _annotated_class(method.returns, path, aliases)
            found += [target] if target else []
            continue
        used = {n.id for n in ast.walk(method) if isinstance(n, ast.Name) and n.id in descriptors}
        calls["async" if isinstance(method, ast.AsyncFunctionDef) else "sync"].update(
            descriptors[n] for n in used
        )
    return found


def _descriptors(tree: ast.Module) -> dict[str, tuple[str, str]]:
    """Module-level `NAME: Operation[...] = Operation(method=..., path=...)`: name -> (method,
    path)."""
    found: dict[str, tuple[str, str]] = {}
    for node in tree.body:
        if (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and isinstance(node.value, ast.Call)
            and getattr(node.value.func, "id", "") == "Operation"
        ):
            kwargs = {k.arg: k.value for k in node.value.keywords}
            method, path = kwargs.get("method"), kwargs.get("path")
            if isinstance(method, ast.Constant) and isinstance(path, ast.Constant):
                found[node.target.id] = (str(method.value), str(path.value))
    return found


def _module_aliases(tree: ast.Module, path: str) -> dict[str, str]:
    """`from .<package> import <module> as <alias>` anywhere in the file: alias -> the module's
    path."""
    folder = path.rpartition("/")[0]
    found = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
            base = "/".join(p for p in (folder, node.module.replace(".", "/")) if p)
            found.update({a.asname or a.name: f"{base}/{a.name}.py" for a in node.names})
    return found


def _annotated_class(
    annotation: ast.expr | None, path: str, aliases: dict[str, str]
) -> tuple[str, str] | None:
    if isinstance(annotation, ast.Name):
        return path, annotation.id
    if (
        isinstance(annotation, ast.Attribute)
        and isinstance(annotation.value, ast.Name)
        and annotation.value.id in aliases
    ):
        return aliases[annotation.value.id], annotation.attr
    return None


def _defined_names(files: dict[str, str]) -> tuple[set[str], list[str]]:
    """Top-level classes and annotated/plain assignments of every module that defines models
    (`_models/`; `models.py` is only their lazy index), and the names (as `path: name`) defined more
    than once."""
    names: set[str] = set()
    twice: list[str] = []
    for path, text in sorted(files.items()):
        if not (
            path.startswith("_models/") and path.endswith(".py") and path != "_models/__init__.py"
        ):
            continue
        for node in ast.parse(text).body:
            found: list[str] = []
            if isinstance(node, ast.ClassDef):
                found = [node.name]
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                found = [node.target.id]
            elif isinstance(node, ast.Assign):
                found = [t.id for t in node.targets if isinstance(t, ast.Name)]
            twice += [f"{path}: {name}" for name in found if name in names]
            names.update(found)
    return names, twice


def main(argv: list[str]) -> int:
    from generator.build import load_client_document, lower_client
    from generator.config import ClientConfig
    from generator.render import render_package

    if not argv or argv[0].startswith("-"):
        print(__doc__)
        return 2
    spec = Path(argv[0])
    overlays = tuple(
        (Path(p), p) for flag, p in zip(argv[1::2], argv[2::2], strict=False) if flag == "--overlay"
    )
    client = ClientConfig(
        "coverage_client", spec, Path("coverage_client"), str(spec), overlays=overlays
    )
    try:
        api, warnings = lower_client(client)
        document, _ = load_client_document(client)
    except DiagnosticError as exc:  # the spec itself is broken: report it as `generate` would
        print("\n".join(d.format() for d in exc.diagnostics), file=sys.stderr)
        return 1
    files = render_package(api)
    result = coverage(document.data, api, files, [w.format() for w in warnings])
    print(f"operations: {result.generated_operations} of {result.operations} generated")
    print(f"schemas:    {result.generated_schemas} of {result.schemas} generated")
    for line in result.missing + result.warnings:
        print(f"  missing: {line}")
    return 0 if result.complete else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
