"""The manifest: a small committed file per output folder that lets `check` and `generate` prove
"nothing changed" without rendering.

It holds one digest of every input (the files the load reads, the client's options, clientgen's own
code and templates, the version of black, which shapes every output byte) and one digest per output
file. When the inputs hash to the recorded value and every file on disk matches its recorded digest,
the folder is exactly what a render would produce, on any machine, with no cache. Anything else (an
edited spec, a new overlay, a changed template, a hand-edited output, a missing or corrupt manifest)
means a full render.

Imports stay light on purpose: the clean path must not load black, jinja2 or openapi-pydantic.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from generator.emit_paths import IGNORED_DIRS, is_ignored
from generator.build import input_files
from generator.config import ClientConfig
from generator.templates_path import templates_dir

MANIFEST = ".clientgen-manifest.json"
FORMAT = 2  # 2: the files read are listed under `read` and only they are hashed


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def code_roots() -> tuple[Path, ...]:
    """clientgen's own code and its templates (top-level in a checkout, inside the package when
    installed)."""
    package = Path(__file__).resolve().parent
    templates = templates_dir()
    return (package,) if templates.is_relative_to(package) else (package, templates)


def _code_digest() -> str:
    digest = hashlib.sha256()
    for root in code_roots():
        for path in sorted(_code_files(root)):
            digest.update(f"{root.name}/{path.relative_to(root).as_posix()}\0".encode())
            digest.update(_sha(path.read_bytes()).encode())
    # Library versions are not inputs but black's (`black_version`): a fresh CI machine resolves
    # newer click/PyYAML patch releases than the machine that generated, which must not fail
    # `check`.
    return digest.hexdigest()


def _code_files(root: Path) -> list[Path]:
    """The files under `root` that are not ignored, not descending into ignored folders (the
    `__pycache__` folders hold as many files as the code: half the walk)."""
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [name for name in dirs if name not in IGNORED_DIRS]
        for name in files:
            path = Path(folder, name)
            if not is_ignored(path.relative_to(root).as_posix()) and path.is_file():
                found.append(path)
    return found


def black_version() -> str:
    """The installed black's version: black shapes every output byte (pinned exactly in
    pyproject.toml), so an upgrade must render again rather than pass as "nothing changed".

    Read from the name of black's `.dist-info` folder beside its package, not by `import black` nor
    through `importlib.metadata` (10 ms of imports, a tenth of a clean `check`); any other kind of
    install falls back to `importlib.metadata`."""
    spec = importlib.util.find_spec("black")
    if spec is None or not spec.submodule_search_locations:
        return "not installed"
    site = Path(next(iter(spec.submodule_search_locations))).parent
    prefix, suffix = "black-", ".dist-info"
    found = [name for name in os.listdir(site) if name.startswith(prefix) and name.endswith(suffix)]
    if len(found) == 1:
        return found[0][len(prefix) : -len(suffix)]
    from importlib import metadata  # several or no dist-info folders: ask the slow, thorough way

    return metadata.version("black")


def input_digest(client: ClientConfig, referenced: Sequence[str] = ()) -> str:
    """One digest of everything the client's output depends on: its options, clientgen's code, and
    the files the build read (`referenced`: the files its `$ref`s reached, relative to the spec's
    folder). Paths enter relative to the spec's folder, so a checkout anywhere (a CI machine)
    computes the same."""
    base = client.spec.parent
    options = {
        "package": client.package,
        "spec": client.spec_display,
        "env_prefix": client.env_prefix,
        "stream_modes": client.stream_modes,
        "http_library": client.http_library,
        "distribution": client.distribution,
        "black": black_version(),
    }
    digest = hashlib.sha256(json.dumps(options, sort_keys=True, default=str).encode())
    for path in input_files(
        client, [base.joinpath(*PurePosixPath(rel).parts) for rel in referenced]
    ):
        try:
            data = path.read_bytes()
        except OSError:
            data = b"\0missing"
        digest.update(f"{os.path.relpath(path, base)}\0{_sha(data)}\0".encode())
    digest.update(_code_digest().encode())
    return digest.hexdigest()


def referenced_names(client: ClientConfig, sources: Sequence[Path]) -> list[str]:
    """The files a build read besides the spec, relative to the spec's folder (POSIX): what the
    manifest records so that a clean check hashes the same files without rendering."""
    base = client.spec.resolve().parent
    return [Path(os.path.relpath(path.resolve(), base)).as_posix() for path in sources[1:]]


def manifest_text(
    client: ClientConfig, files: dict[str, str], warnings: list[str], sources: Sequence[Path] = ()
) -> str:
    """The manifest for a rendered tree (every file but the manifest itself). The render's warnings
    are kept too, so a run that skips rendering still shows them, and so are the files the build
    read."""
    outputs = {
        rel: _sha(text.encode("utf-8", "surrogatepass"))
        for rel, text in sorted(files.items())
        if rel != MANIFEST
    }
    referenced = referenced_names(client, sources) if sources else []
    body = {
        "format": FORMAT,
        "generator": "clientgen",
        "inputs": input_digest(client, referenced),
        "read": referenced,
        "outputs": outputs,
        "warnings": warnings,
    }
    return json.dumps(body, indent=1, sort_keys=True, ensure_ascii=True) + "\n"


def clean_warnings(client: ClientConfig) -> list[str] | None:
    """The recorded warnings when the output folder is provably what a render would produce; None
    means "render and see" (inputs changed, an output was edited, added or removed, the manifest is
    unreadable)."""
    try:
        recorded = json.loads((client.output / MANIFEST).read_text(encoding="utf-8"))
        outputs, warnings, referenced = recorded["outputs"], recorded["warnings"], recorded["read"]
        if (
            recorded.get("format") != FORMAT
            or not isinstance(outputs, dict)
            or not _inside_names(referenced)
        ):
            return None
        if recorded["inputs"] != input_digest(client, referenced):
            return None
        on_disk = _files_on_disk(client.output)
        if set(on_disk) != set(outputs) | {MANIFEST}:
            return None
        if all(_sha(on_disk[rel].read_bytes()) == digest for rel, digest in outputs.items()):
            return [str(w) for w in warnings]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass
    return None


def _inside_names(referenced: object) -> bool:
    """A recorded list of relative POSIX paths that stay inside the spec's folder (a hand-edited
    manifest must not make `check` read files elsewhere)."""
    return isinstance(referenced, list) and all(
        isinstance(rel, str)
        and rel
        and not PurePosixPath(rel).is_absolute()
        and ".." not in PurePosixPath(rel).parts
        for rel in referenced
    )


def _files_on_disk(root: Path) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in IGNORED_DIRS]
        for name in filenames:
            path = Path(dirpath, name)
            rel = path.relative_to(root).as_posix()
            if not is_ignored(rel):
                if path.is_symlink() or not path.is_file():
                    raise ValueError(f"{rel} is not a regular file")
                found[rel] = path
    return found
