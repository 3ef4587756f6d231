"""One frozen options object, from `[tool.clientgen]` in pyproject.toml or from command-line flags.

Validated up front: a package name must be a plain identifier, and a configured output folder must
stay inside the project, so no configuration can make clientgen write somewhere else.
"""

from __future__ import annotations

import keyword
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from generator.diagnostics import DiagnosticError, error

_CLIENT_KEYS = frozenset(
    {"spec", "output", "env_prefix", "streams", "overlays", "docs", "http_library", "distribution"}
)
# The HTTP libraries a generated client can run on (issue 19): httpx2 by default, httpx for those
# who pin it.
HTTP_LIBRARIES = ("httpx2", "httpx")
# Overlay files beside a configured spec are applied by default, in file name order.
OVERLAY_GLOB = "*.overlay.yaml"
_STREAM_KEYS = frozenset({"in", "name", "stream", "blocking"})


@dataclass(frozen=True, slots=True)
class ClientConfig:
    package: str
    spec: Path  # absolute
    output: Path  # absolute: the package folder itself
    spec_display: str  # as written in the config, for diagnostics and READMEs
    env_prefix: str | None = None
    # operationId -> {in, name, stream, blocking}: the request value that selects a stream, where
    # the spec cannot say (see generator.lower.streams)
    stream_modes: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    # OpenAPI Overlay files applied to the spec before anything reads it, in this order: (absolute,
    # shown)
    overlays: tuple[tuple[Path, str], ...] = ()
    # The vendor's documentation pages, which lint compares with the spec (`doc-drift`): (absolute,
    # shown)
    docs: tuple[tuple[Path, str], ...] = ()
    http_library: str = HTTP_LIBRARIES[
        0
    ]  # the library the generated package imports (see templates/_http.py.jinja)
    distribution: bool = (
        False  # also emit pyproject.toml, so the output folder is a pip-installable project
    )


@dataclass(frozen=True, slots=True)
class Options:
    root: Path
    clients: tuple[ClientConfig, ...]


def find_pyproject(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load_options(pyproject: Path, only: tuple[str, ...] = ()) -> Options:
    display = pyproject.name
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise DiagnosticError([error("config", f"cannot read {display}: {exc}", display)]) from None
    section = data.get("tool", {}).get("clientgen")
    if (
        not isinstance(section, dict)
        or not isinstance(section.get("clients"), dict)
        or not section["clients"]
    ):
        raise DiagnosticError(
            [error("config", "no clients configured", display, hint=_ADD_CLIENT_HINT)]
        )
    root = pyproject.parent.resolve()
    clients = tuple(
        _client(root, display, name, table) for name, table in sorted(section["clients"].items())
    )
    if only:
        unknown = sorted(set(only) - {c.package for c in clients})
        if unknown:
            raise DiagnosticError(
                [error("config", f"no configured client named {', '.join(unknown)}", display)]
            )
        clients = tuple(c for c in clients if c.package in only)
    _check_distinct_outputs(clients, display)
    return Options(root, clients)


_ADD_CLIENT_HINT = (
    "add a table such as [tool.clientgen.clients.my_client] with "
    'spec = "specs/my.yaml" and output = "generated/my_client"'
)


def _client(root: Path, display: str, package: str, table: Any) -> ClientConfig:
    where = f"[tool.clientgen.clients.{package}]"
    if not isinstance(table, dict):
        raise DiagnosticError(
            [error("config", f"{where} must be a table", display, hint=_ADD_CLIENT_HINT)]
        )
    problems = [f"unknown key `{k}`" for k in sorted(set(table) - _CLIENT_KEYS)]
    problems += [
        f"`{k}` is required and must be a string"
        for k in ("spec", "output")
        if not isinstance(table.get(k), str)
    ]
    if problems:
        raise DiagnosticError([error("config", f"{where}: {p}", display) for p in problems])
    validate_package_name(package, display)
    output = _inside(root, table["output"], f"{where} output", display)
    env_prefix = table.get("env_prefix")
    if env_prefix is not None and (
        not isinstance(env_prefix, str) or not env_prefix.isidentifier()
    ):
        raise DiagnosticError(
            [error("config", f"{where}: env_prefix must be an identifier such as DIFY", display)]
        )
    streams = _streams(table, where, display)
    spec = (root / table["spec"]).resolve()
    library, distribution = _packaging(table, where, display)
    return ClientConfig(
        package,
        spec,
        output,
        table["spec"],
        env_prefix,
        streams,
        _overlays(root, spec, table, where, display),
        _paths(root, table, "docs", where, display),
        library,
        distribution,
    )


def _streams(table: dict[str, Any], where: str, display: str) -> dict[str, dict[str, Any]]:
    """`streams` (operationId -> how its stream mode is chosen), validated."""
    streams: dict[str, dict[str, Any]] = table.get("streams", {})
    bad = not isinstance(streams, dict) or any(
        not isinstance(v, dict) or set(v) != _STREAM_KEYS for v in streams.values()
    )
    if bad:
        raise DiagnosticError(
            [
                error(
                    "config",
                    f"{where}: streams must map operationIds to "
                    '{ in = "query", name = "stream", stream = true, blocking = false }',
                    display,
                )
            ]
        )
    return streams


def _packaging(table: dict[str, Any], where: str, display: str) -> tuple[str, bool]:
    """`http_library` (one of HTTP_LIBRARIES) and `distribution` (a boolean), validated."""
    library = table.get("http_library", HTTP_LIBRARIES[0])
    if library not in HTTP_LIBRARIES:
        raise DiagnosticError(
            [
                error(
                    "config",
                    f"{where}: http_library must be one of "
                    f"{', '.join(map(repr, HTTP_LIBRARIES))}, not {library!r}",
                    display,
                )
            ]
        )
    distribution = table.get("distribution", False)
    if not isinstance(distribution, bool):
        raise DiagnosticError(
            [error("config", f"{where}: distribution must be true or false", display)]
        )
    return library, distribution


def _overlays(
    root: Path, spec: Path, table: dict[str, Any], where: str, display: str
) -> tuple[tuple[Path, str], ...]:
    """`overlays = [...]` as configured (`[]` for none), else every `*.overlay.yaml` beside the
    spec."""
    if "overlays" not in table:
        return tuple(
            (path, _display(path, root)) for path in sorted(spec.parent.glob(OVERLAY_GLOB))
        )
    return _paths(root, table, "overlays", where, display)


def _paths(
    root: Path, table: dict[str, Any], key: str, where: str, display: str
) -> tuple[tuple[Path, str], ...]:
    listed = table.get(key, [])
    if not isinstance(listed, list) or not all(isinstance(item, str) for item in listed):
        raise DiagnosticError(
            [
                error(
                    "config",
                    f"{where}: {key} must be a list of paths inside the project, "
                    'such as ["specs/my/file"]',
                    display,
                )
            ]
        )
    return tuple((_inside(root, item, f"{where} {key}", display), item) for item in listed)


def validate_package_name(package: str, display: str) -> None:
    if (
        not package.isidentifier()
        or not package.isascii()
        or keyword.iskeyword(package)
        or package.startswith("_")
    ):
        raise DiagnosticError(
            [
                error(
                    "config",
                    f"`{package}` is not a valid package name",
                    display,
                    hint="use lowercase letters, digits and underscores, e.g. dify_client",
                )
            ]
        )


def _inside(root: Path, text: str, what: str, display: str) -> Path:
    relative = PurePosixPath(text)
    if (
        relative.is_absolute()
        or ".." in relative.parts
        or not relative.parts
        or "\\" in text
        or any(not p.isprintable() for p in text)
    ):
        raise DiagnosticError(
            [
                error(
                    "config",
                    f"{what} must be a relative path inside the project, not {text!r}",
                    display,
                )
            ]
        )
    return root.joinpath(*relative.parts)


def _check_distinct_outputs(clients: tuple[ClientConfig, ...], display: str) -> None:
    for i, a in enumerate(clients):
        for b in clients[i + 1 :]:
            if a.output == b.output or a.output in b.output.parents or b.output in a.output.parents:
                raise DiagnosticError(
                    [
                        error(
                            "config",
                            f"clients {a.package} and {b.package} have overlapping output folders",
                            display,
                        )
                    ]
                )


def adhoc_options(
    spec: Path,
    output: Path,
    package: str,
    overlays: tuple[Path, ...] = (),
    *,
    http_library: str = HTTP_LIBRARIES[0],
    distribution: bool = False,
) -> Options:
    """Options for `clientgen generate SPEC --output DIR --package NAME [--overlay FILE]...` (no
    pyproject needed). Ad-hoc mode applies only the overlays named on the command line."""
    validate_package_name(package, "command line")
    # Paths are shown relative to the deepest folder that holds both the spec and the output
    # package, not to the working directory: they reach the generated README and the manifest, which
    # must not depend on where the command ran (`generate specs/x.yaml -o generated/x_client` shows
    # `specs/x.yaml`).
    root = Path(os.path.commonpath([spec.resolve().parent, output.resolve().parent]))
    applied = tuple((path.resolve(), _relative(path, root)) for path in overlays)
    client = ClientConfig(
        package,
        spec.resolve(),
        output.resolve(),
        _relative(spec, root),
        overlays=applied,
        http_library=http_library,
        distribution=distribution,
    )
    return Options(root, (client,))


def _relative(path: Path, root: Path) -> str:
    return Path(os.path.relpath(path.resolve(), root)).as_posix()


def _display(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
