"""Render: IR -> view models -> Jinja templates -> black. Returns `{relative path: text}`; writes
nothing."""

from __future__ import annotations

import ast
import functools
from dataclasses import dataclass, field

import jinja2

from generator import ir
from generator.conformance import cases_json
from generator.encode import docstring, literal, one_line
from generator.format import CHUNK_BREAK, HEADER, METHOD_BREAK, Formatter
from generator.render.model_modules import OTHER, SHARED, Modules, model_modules, split_modules
from generator.render.model_order import Definition
from generator.render.annotations import RequestTypes, is_open_enum
from generator.render.packaging import (
    Packaging,
    http_module,
    models_base,
    pyproject_toml,
    webhooks_view,
)
from generator.render.params import param_sources
from generator.render.resources import client_resources, resource_modules
from generator.render.runtime_prose import RuntimeProse, runtime_prose
from generator.render.model_view import models_view
from generator.render.view import client_view
from generator.render.environment import environment as _environment
from generator.templates_path import templates_dir

# The runtime, split by concern (see `_base.py`); copied verbatim into every package.
RUNTIME_FILES = (
    "_async.py",
    "_auth.py",
    "_base.py",
    "_client_base.py",
    "_content.py",
    "_encoding.py",
    "_logging.py",
    "_media.py",
    "_oauth.py",
    "_resource.py",
    "_responses.py",
    "_retries.py",
    "_streaming.py",
    "_sync.py",
    "_types.py",
    "_webhooks.py",
    "errors.py",
)
PAGINATION_RUNTIME = "_pagination.py"  # only in packages with an operation that pages
# The generated conformance tests: static modules (black-clean in the repository) plus cases.json.
TEST_FILES = (
    "__init__.py",
    "_conformance.py",
    "conftest.py",
    "test_examples.py",
    "test_live.py",
    "test_pages.py",
    "test_requests.py",
    "test_responses.py",
)


@functools.cache
def _runtime_sources() -> dict[str, str]:
    return {
        name: (templates_dir() / "runtime" / name).read_text(encoding="utf-8")
        for name in (*RUNTIME_FILES, PAGINATION_RUNTIME)
    }


@functools.cache
def test_sources() -> dict[str, str]:
    """The static test modules, keyed by their path in the package."""
    return {
        f"tests/{name}": (templates_dir() / "tests" / name).read_text(encoding="utf-8")
        for name in TEST_FILES
    }


@functools.cache
def error_class_names() -> tuple[str, ...]:
    tree = ast.parse(_runtime_sources()["errors.py"])
    return tuple(
        node.name
        for node in tree.body
        if isinstance(node, ast.ClassDef) and not node.name.startswith("_")
    )


def render_package(
    api: ir.Api, packaging: Packaging = Packaging(), formatter: Formatter | None = None
) -> dict[str, str]:
    """Every file of the generated package, formatted (by `formatter`, else black in this process),
    keyed by POSIX path relative to the package."""
    if formatter is None:
        from generator.format.black_formatter import BlackFormatter

        formatter = BlackFormatter()
    env = _environment()
    groups = _groups(api)
    client = client_view(api, client_resources(api))
    python = {
        "__init__.py": env.get_template("__init__.py.jinja").render(
            view=_init_view(api), chunk_break=CHUNK_BREAK
        ),
        "client.py": env.get_template("client.py.jinja").render(
            view=client, flavours=FLAVOURS, chunk_break=CHUNK_BREAK, method_break=METHOD_BREAK
        ),
    }
    if api.webhooks is not None:
        python["webhooks.py"] = env.get_template("webhooks.py.jinja").render(
            view=webhooks_view(api, api.webhooks)
        )
    if groups:
        python["_resources/__init__.py"] = (
            '"""One module per top-level resource, loaded on first use (see client.py)."""\n'
        )
    python.update(_model_and_param_sources(env, api, groups))
    template = env.get_template("resources.py.jinja")
    for module, view in resource_modules(api, RequestTypes.of(api)):
        python[f"_resources/{module}.py"] = template.render(
            view=view,
            module=module,
            flavours=FLAVOURS,
            chunk_break=CHUNK_BREAK,
            method_break=METHOD_BREAK,
        )
    formatting = formatter.submit(python)  # formats in worker processes while this one goes on
    files = _unformatted_files(api, env, packaging)
    if any(path.startswith("_models/") for path in python):  # their base class, never formatted
        files["_models/__init__.py"] = HEADER + models_base(env)
    files.update(formatting.result())
    return files


def _unformatted_files(
    api: ir.Api, env: jinja2.Environment, packaging: Packaging
) -> dict[str, str]:
    """The files black never sees: runtime, tests, `_http.py`, cases, README, packaging."""
    # The runtime is kept black-formatted in the repository (a test checks it): not formatted again.
    pages = any(op.pagination is not None for op in api.operations)
    files = {
        path: HEADER + source
        for path, source in _runtime_sources().items()
        if path != PAGINATION_RUNTIME or pages
    }
    files.update({path: HEADER + source for path, source in test_sources().items()})
    files["_http.py"] = HEADER + http_module(env, packaging)  # rendered black-formatted (tested)
    files["tests/cases.json"] = cases_json(api)
    files["README.md"] = env.get_template("README.md.jinja").render(view=_readme_view(api))
    files["py.typed"] = HEADER
    if packaging.distribution:
        files["pyproject.toml"] = pyproject_toml(env, api, packaging)
    return files


def _model_and_param_sources(
    env: jinja2.Environment, api: ir.Api, groups: tuple[tuple[str, tuple[ir.Operation, ...]], ...]
) -> dict[str, str]:
    """The models split finely (a call loads what it reaches), the request types coarsely (only
    type checkers read them): see model_modules."""
    coarse = model_modules(api, groups)
    fine = split_modules(coarse, groups)
    return _model_sources(env, api, fine) | param_sources(env, api, coarse, CHUNK_BREAK, fine)


def _model_sources(env: jinja2.Environment, api: ir.Api, modules: Modules) -> dict[str, str]:
    """`models.py` (the lazy facade) and a module for each of `modules` (see model_modules):
    `_shared.customer` is `_models/_shared/customer.py`; `_models/__init__.py` is `models_base`."""
    where = {d.name: module for module, definitions in modules for d in definitions}
    open_aliases = frozenset(a.name for a in api.aliases if is_open_enum(a.type))
    sources = {
        "models.py": env.get_template("models.py.jinja").render(
            view=FacadeView(tuple((m, _name_lines(d)) for m, d in modules)),
            chunk_break=CHUNK_BREAK,
        )
    }
    template = env.get_template("model_module.py.jinja")
    for module, definitions in modules:
        package, _, _ = module.rpartition(".")
        if package and f"_models/{package}/__init__.py" not in sources:
            sources[f"_models/{package}/__init__.py"] = _PACKAGE_DOCSTRINGS[package]
        description = _MODULE_DESCRIPTIONS.get(package, f"the `{module}` operations only")
        sources[f"_models/{module.replace('.', '/')}.py"] = template.render(
            view=models_view(definitions, where, module, open_aliases),
            description=description,
            chunk_break=CHUNK_BREAK,
        )
    return sources


_MODULE_DESCRIPTIONS = {
    SHARED: "several groups of operations",
    OTHER: "no operation (every schema keeps its model)",
}
_PACKAGE_DOCSTRINGS = {
    SHARED: '"""Models several groups of operations use: a module per model with the models only'
    ' it refers to."""\n',
    OTHER: '"""Models no operation uses: a module per model with the models only it refers'
    ' to."""\n',
}


@dataclass(frozen=True)
class FacadeView:
    modules: tuple[tuple[str, tuple[str, ...]], ...]  # (module, its names as string lines)


def _name_lines(definitions: tuple[Definition, ...], width: int = 88) -> tuple[str, ...]:
    """Names joined by spaces in lines of about `width` characters (each but the last ends in a
    space)."""
    lines: list[str] = []
    for definition in definitions:
        if lines and len(lines[-1]) + len(definition.name) < width:
            lines[-1] += " " + definition.name
        else:
            lines.append(definition.name)
    return tuple(line + " " for line in lines[:-1]) + tuple(lines[-1:])


def _groups(api: ir.Api) -> tuple[tuple[str, tuple[ir.Operation, ...]], ...]:
    """(top-level resource module, its operations in API order), sorted: the unit models are split
    by."""
    modules = {r.path: r.module for r in api.resources}
    groups: dict[str, list[ir.Operation]] = {}
    for op in api.operations:
        groups.setdefault(modules[op.resource[:1]], []).append(op)
    return tuple((name, tuple(ops)) for name, ops in sorted(groups.items()))


@dataclass(frozen=True)
class Flavour:
    class_name: str
    resource_base: str  # the runtime class every resource class of this flavour derives from
    base: str
    http_client: str
    def_: str
    await_: str


FLAVOURS = (
    Flavour("Client", "SyncResource", "SyncAPIClient", "httpx.Client", "def", ""),
    Flavour(
        "AsyncClient", "AsyncResource", "AsyncAPIClient", "httpx.AsyncClient", "async def", "await "
    ),
)


@dataclass(frozen=True)
class InitView:
    package: str
    docstring: str
    groups: tuple[tuple[str, tuple[str, ...]], ...]
    all_names: tuple[str, ...]


def _init_view(api: ir.Api) -> InitView:
    groups: tuple[tuple[str, tuple[str, ...]], ...] = (
        ("client", ("AsyncClient", "Client")),
        ("_base", ("NOT_GIVEN", "APIResponse", "BinaryContent", "NotGiven")),
        ("_streaming", ("AsyncStream", "ServerSentEvent", "Stream")),
        ("errors", error_class_names()),
        ("models", tuple(sorted([m.name for m in api.models] + [a.name for a in api.aliases]))),
    )
    groups = tuple((module, names) for module, names in groups if names)
    all_names = tuple(sorted(name for _, names in groups for name in names))
    doc = docstring(f"Typed client for {api.title} (generated by clientgen).")
    return InitView(api.package, doc, groups, all_names)


@dataclass(frozen=True)
class ReadmeOperation:
    name: str
    http: str
    summary: str


@dataclass(frozen=True)
class ReadmeView:
    package: str
    title: str
    version: str
    spec_path: str
    example_constructor: str
    example_method: str
    example_call: str
    stream_example: str  # "" when no operation streams
    base_url_env: str
    default_base_url: str
    schemes: tuple[ir.SecurityScheme, ...]
    operations: tuple[ReadmeOperation, ...]
    page_example: str = ""  # a call of the first method that pages; "" when none does
    page_count: int = 0
    runtime: RuntimeProse = field(default_factory=runtime_prose)


def _readme_rows(op: ir.Operation) -> list[ReadmeOperation]:
    http, summary = f"{op.method} {markdown_text(op.path)}", markdown_text(op.summary)
    if op.pagination is not None:
        summary = (summary + " " if summary else "") + f"(pages: {op.pagination.scheme})"
    rows = [] if op.streams_only else [ReadmeOperation(op.call_path, http, summary)]
    if op.stream is not None:
        rows.append(
            ReadmeOperation(
                op.stream_call_path, http, (summary + " " if summary else "") + "(event stream)"
            )
        )
    return rows


def _readme_view(api: ir.Api) -> ReadmeView:
    constructor = [f"{s.py_param}={literal('...')}" for s in api.security_schemes[:1]]
    if not api.server.url:
        constructor.append(f"base_url={literal('http://localhost:8000')}")
    first = api.operations[0] if api.operations else None
    return ReadmeView(
        package=api.package,
        title=markdown_text(api.title),
        version=markdown_text(api.version),
        spec_path=markdown_text(api.spec_path),
        example_constructor=", ".join(constructor),
        example_method=(
            (first.stream_call_path if first.streams_only else first.call_path) if first else "..."
        ),
        example_call=_example_call(first) if first else "",
        stream_example=next(
            (_stream_example(op) for op in api.operations if op.stream is not None), ""
        ),
        base_url_env=f"{api.env_prefix}_BASE_URL",
        default_base_url=(
            f"`{markdown_text(api.server.url)}`" if api.server.url else "none: pass `base_url`"
        ),
        schemes=api.security_schemes,
        operations=tuple(row for op in api.operations for row in _readme_rows(op)),
        page_example=next(
            (
                f"client.{op.call_path}({_example_arguments(op)})"
                for op in api.operations
                if op.pagination is not None
            ),
            "",
        ),
        page_count=sum(1 for op in api.operations if op.pagination is not None),
    )


def _example_arguments(op: ir.Operation) -> str:
    """Placeholder values for the required arguments (the stream mode is never an argument)."""
    mode = op.stream_mode
    hidden = (mode.location, mode.wire_name) if mode is not None else None
    args = [_placeholder(p.type) for p in op.parameters if p.location == "path"]
    args += [
        f"{p.py_name}={_placeholder(p.type)}"
        for p in op.parameters
        if p.location != "path" and p.required and (p.location, p.wire_name) != hidden
    ]
    if op.body is not None and op.body.fields is not None:
        args += [
            f"{f.py_name}={_placeholder(f.type)}"
            for f in op.body.fields
            if f.required and ("body", f.wire_name) != hidden
        ]
    return ", ".join(args)


def _example_call(op: ir.Operation) -> str:
    if op.streams_only:
        return _stream_example(op)
    return f"result = client.{op.call_path}({_example_arguments(op)})\nprint(result)"


def _stream_example(op: ir.Operation) -> str:
    call = f"client.{op.stream_call_path}({_example_arguments(op)})"
    return f"with {call} as events:\n    for event in events:\n        print(event)"


def _placeholder(type_: ir.TypeRef) -> str:
    if isinstance(type_, ir.LiteralType):
        return literal(type_.values[0])
    if isinstance(type_, ir.Primitive):
        return {"int": "1", "float": "1.0", "bool": "True", "none": "None"}.get(
            type_.kind, literal("...")
        )
    if isinstance(type_, ir.ListType):
        return "[]"
    if isinstance(type_, ir.MapType | ir.Named):
        return "{}"
    return literal("...")


def markdown_text(text: str) -> str:
    """Spec text for a Markdown table cell or heading: one line, no markup that could break the
    layout."""
    flat = one_line(text)
    return flat.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace("`", "'")
