"""Where a `$ref` points: into the same document, into a file inside the spec's folder, or nowhere.

A relative file `$ref` (`schemas/pet.yaml#/Pet`, `./common.json#/components/schemas/Id`) is read
from disk, once per file, and "mounted" under a pointer prefix of its own:
`/$file:schemas~1pet.yaml/Pet`. The rest of clientgen keeps working with plain pointers; `where`
turns any pointer back into the file, line and column it came from, so a diagnostic inside a
referenced file names that file.

Nothing outside the folder that holds the root spec is ever read: absolute paths, `../` and symlinks
that lead out are refused with a located error, and URLs are never fetched (CVE-2026-59867 style).
"""

from __future__ import annotations

from pathlib import Path, PurePath
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

from generator.diagnostics import (
    Diagnostic,
    DiagnosticError,
    error,
    escape_pointer_token,
    join_pointer,
    split_pointer,
)
from generator.load import SourceDocument, load_document

MOUNT = "$file:"


class Documents:
    """The root document plus every file its `$ref`s reached, in the order they were first read."""

    def __init__(self, root: SourceDocument) -> None:
        self.root = root
        self.real_root = root.path.resolve() if root.path is not None else None
        self.folder = self.real_root.parent if self.real_root is not None else None
        self.files: dict[str, SourceDocument] = {}  # POSIX path relative to `folder` -> document
        self.texts: dict[str, Path] = {}  # text files read for descriptions (generator.bundle)
        # Called with (mount prefix, data) for each file when first read, before anyone reads it.
        self.on_load: Callable[[str, Any], None] | None = None

    @property
    def sources(self) -> tuple[Path, ...]:
        """Every file read to build this API: the spec first, then referenced files in reading
        order."""
        found = [d.path for d in (self.root, *self.files.values()) if d.path is not None]
        return tuple([*found, *self.texts.values()])

    def split(self, pointer: str) -> tuple[SourceDocument, str, str]:
        """(document, mount prefix, pointer inside that document) for a pointer of any document."""
        if pointer.startswith("/" + MOUNT):
            end = pointer.find("/", 1)
            first, local = (pointer, "") if end == -1 else (pointer[:end], pointer[end:])
            document = self.files.get(split_pointer(first)[0][len(MOUNT) :])
            if document is not None:
                return document, first, local
        return self.root, "", pointer

    def raw(self, pointer: str) -> Any:
        """The value at `pointer`; KeyError when there is none."""
        document, _, local = self.split(pointer)
        node: Any = document.data
        for token in split_pointer(local):
            if isinstance(node, dict) and token in node:
                node = node[token]
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                node = node[int(token)]
            else:
                raise KeyError(pointer)
        return node

    def where(self, pointer: str) -> tuple[str, int, int, str]:
        """File, line, column and the pointer inside that file, for reporting."""
        document, _, local = self.split(pointer)
        file, line, col = document.where(local)  # an overlaid document locates what overlays placed
        return file, line, col, local

    def diag(self, code: str, message: str, pointer: str, hint: str = "") -> Diagnostic:
        file, line, col, local = self.where(pointer)
        return error(code, message, file, line, col, local, hint)

    def target(self, ref: str, at_pointer: str) -> str:
        """The pointer `ref` (written at `at_pointer`) refers to, reading the file it names if
        needed."""
        document, prefix, _ = self.split(at_pointer)
        where = join_pointer(at_pointer, "$ref")
        if ref.startswith("#"):
            if not prefix and ref.startswith("#/" + MOUNT):
                raise DiagnosticError(
                    [
                        self.diag(
                            "unresolved-ref",
                            f"$ref {ref!r} points to nothing in this document",
                            where,
                        )
                    ]
                )
            return prefix + ref[1:]
        if "://" in ref or ref.startswith("//"):
            message = f"$ref {ref!r} points to the network; clientgen never fetches references"
            hint = "download the document next to the spec and refer to it by a relative path"
            raise DiagnosticError([self.diag("remote-ref", message, where, hint=hint)])
        file_part, _, fragment = ref.partition("#")
        if fragment and not fragment.startswith("/"):
            raise DiagnosticError(
                [
                    self.diag(
                        "unresolved-ref",
                        f"$ref {ref!r}: only JSON pointer fragments (#/...) are supported",
                        where,
                    )
                ]
            )
        path = self._file(unquote(file_part), document, ref, where)
        if path == self.real_root:
            return fragment
        key = path.relative_to(self.folder).as_posix()  # type: ignore[arg-type]  # _file checked folder
        prefix = "/" + escape_pointer_token(MOUNT + key)
        if key not in self.files:
            shown = (PurePath(self.root.display_path).parent / key).as_posix()
            self.files[key] = load_document(path, display_path=shown)
            if self.on_load is not None:
                self.on_load(prefix, self.files[key].data)
        return prefix + fragment

    def text(self, name: str, at_pointer: str) -> str:
        """The text of a file named by a `$ref` (a description kept in Markdown), inside the folder
        only."""
        document, _, _ = self.split(at_pointer)
        where = join_pointer(at_pointer, "$ref")
        path = self._file(unquote(name), document, name, where)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise DiagnosticError(
                [self.diag("unresolved-ref", f"$ref {name!r}: cannot read the file ({exc})", where)]
            ) from None
        self.texts.setdefault(path.relative_to(self.folder).as_posix(), path)  # type: ignore[arg-type]  # _file checked folder
        return text

    def _outside(self, ref: str, where: str) -> DiagnosticError:
        folder = self.folder.name if self.folder is not None else ""
        message = (
            f"$ref {ref!r} points outside the folder of the spec ({folder}/); "
            "clientgen reads nothing there"
        )
        hint = "copy the file next to the spec and use a relative path"
        return DiagnosticError([self.diag("ref-outside-folder", message, where, hint=hint)])

    def _file(self, name: str, document: SourceDocument, ref: str, where: str) -> Path:
        if self.folder is None or document.path is None:
            raise DiagnosticError(
                [
                    self.diag(
                        "external-ref",
                        f"$ref {ref!r} points to a file, but this document was not read from one",
                        where,
                    )
                ]
            )
        if (
            PurePath(name).is_absolute()
            or name.startswith(("\\", "~"))
            or ":" in name.split("/")[0]
        ):
            raise self._outside(ref, where)
        try:  # symlinks are followed, so one that leads out of the folder is refused below
            path: Path | None = (document.path.resolve().parent / name).resolve()
        except (OSError, RuntimeError, ValueError):  # a symlink loop, a NUL, a name the OS refuses
            path = None
        if path is not None and not path.is_relative_to(self.folder):
            raise self._outside(ref, where)
        if path is None or not path.is_file():
            raise DiagnosticError(
                [
                    self.diag(
                        "unresolved-ref",
                        f"$ref {ref!r} points to a file that does not exist",
                        where,
                        hint="paths in $ref are relative to the file that contains the $ref",
                    )
                ]
            )
        return path
