"""The one place where spec text becomes a Python identifier.

Every class, field, parameter, method and module-level name in generated code is made here: words
are split out of whatever the spec wrote (camelCase, dotted Go package paths, `created[gt]`, German
umlauts), re-cased, made safe (keywords, builtins, names our generated code itself uses, pydantic's
own attributes), and then claimed in a `NameScope` that resolves collisions explicitly and
deterministically. Nothing is ever dropped to avoid a clash: the later claimant gets a suffix.
"""

from __future__ import annotations

import ast
import builtins
import functools
import keyword
import re
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path

from generator.templates_path import runtime_dir

# Splits "HTTPBearer2Auth" -> HTTP, Bearer, 2, Auth and "created[gt]" -> created, gt.
_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z]|\d|\b|_|$)|[A-Z]?[a-z]+|[A-Z]+|\d+")

KEYWORDS = frozenset(keyword.kwlist) | {"_"}
# Builtins that generated annotations use; a field or argument by such a name would shadow the type
# inside the class body. Other builtins (`id`, `type`, `input`) are fine names and much nicer to
# use.
ANNOTATION_BUILTINS = frozenset({"str", "int", "float", "bool", "bytes", "list", "dict", "object"})
BUILTINS = frozenset(dir(builtins))

# pydantic.BaseModel's public attributes; a field by one of these names would shadow it. Other
# `model_*` names are fine fields (the generated base sets `protected_namespaces=()`). A test keeps
# the list complete against `dir(BaseModel)`.
BASEMODEL_ATTRS = frozenset(
    {"copy", "dict", "json", "schema", "schema_json", "construct", "validate", "parse_obj"}
    | {
        "parse_raw",
        "parse_file",
        "from_orm",
        "update_forward_refs",
        "model_computed_fields",
        "model_config",
    }
    | {
        "model_construct",
        "model_copy",
        "model_dump",
        "model_dump_json",
        "model_extra",
        "model_fields",
    }
    | {
        "model_fields_set",
        "model_json_schema",
        "model_parametrized_name",
        "model_post_init",
        "model_rebuild",
    }
    | {"model_validate", "model_validate_json", "model_validate_strings"}
)


def runtime_exports(folder: Path | None = None) -> frozenset[str]:
    """Every name the runtime modules export, read from their own `__all__` (with `ast`, not
    imported): a generated module may import any of them, so no model or resource class may take
    one."""
    names: set[str] = set()
    for path in sorted((folder or runtime_dir()).glob("*.py")):
        text = path.read_text(encoding="utf-8")
        # Only the statements from `__all__` on are parsed: the whole runtime costs ~20 ms per run.
        start = re.search(r"^__all__\b", text, re.M)
        if start is None:
            continue
        for node in _leading_statements(text[start.start() :]):
            if isinstance(node, ast.Assign):
                targets, value = node.targets, node.value
            elif isinstance(node, ast.AnnAssign) and node.value is not None:
                targets, value = [node.target], node.value
            else:
                continue
            if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
                names.update(str(name) for name in ast.literal_eval(value))
    return frozenset(names)


def _leading_statements(text: str) -> list[ast.stmt]:
    """The statements of `text`, parsed up to the first blank line that ends a whole statement."""
    end = text.find("\n\n")
    while end != -1:
        try:
            return ast.parse(text[:end]).body
        except SyntaxError:
            end = text.find("\n\n", end + 2)
    return ast.parse(text).body


# Names generated modules import or define themselves; a schema called `Field` or `UUID` must not
# shadow them. The runtime's own exports are added from its `__all__`.
MODULE_RESERVED = (
    frozenset(
        {
            "Any",
            "BaseModel",
            "ConfigDict",
            "Field",
            "Literal",
            "TypeAlias",
            "TypeAliasType",
            "UUID",
            "date",
            "datetime",
        }
        | {"annotations", "TYPE_CHECKING", "cast", "httpx", "Mapping", "cached_property"}
        | {"Client", "AsyncClient", "errors", "models", "client", "os", "importlib"}
        # pydantic names the model modules import for open enums
        | {"Annotated", "AfterValidator", "ValidationInfo", "UnknownValue"}
    )
    | runtime_exports()
)


def split_words(text: str) -> list[str]:
    """Split arbitrary text into ASCII words; accents are folded (Ausführen -> Ausfuhren)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _WORD.findall(folded)


# Names are cased again and again (Stripe: 27,000 PascalCase calls for 7,000 texts, 16,000
# snake_case calls for 2,700), and casing a text is a pure function of it.
_NAME_CACHE = 1 << 16


@functools.lru_cache(maxsize=_NAME_CACHE)
def snake_case(text: str) -> str:
    # Digits stay glued to the word before them, as the spec wrote them: `line1`, `last4`, `p24`
    # (not `line_1`), so the name reads like the wire name; a digit-only word after `_` stays apart.
    # Letters right after such digits in the same case go on the same word: `a2a`, `e2e`, `v1beta`,
    # `A2A` (but `s3_bucket`, `oauth2_token`: a capital starts a word).
    words = _glued(text)
    return "_".join(word.lower() for word in words)


def _glued(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words: list[str] = []
    for match in _WORD.finditer(folded):
        word = match.group(0)
        before = folded[match.start() - 1] if match.start() > 0 else ""
        if words and (
            (word.isdigit() and before.isalpha())
            or (before.isdigit() and _same_case_run(words[-1], word))
        ):
            words[-1] += word
        else:
            words.append(word)
    return words


def _same_case_run(glued: str, word: str) -> bool:
    """Whether `word` continues `glued` (perhaps letters, then digits) without a change of case."""
    letters = glued.rstrip("0123456789")
    if letters == glued:
        return False
    if not letters:  # `4o`, `3d`
        return word.islower() or word.isupper()
    return (letters.islower() and word.islower()) or (letters.isupper() and word.isupper())


@functools.lru_cache(maxsize=_NAME_CACHE)
def pascal_case(text: str) -> str:
    words = split_words(text)
    # Keep digits glued to the word before them ("Gmt0"), capitalise the rest.
    return "".join(
        word if word.isdigit() else word[:1].upper() + word[1:].lower() for word in words
    )


def upper_snake_case(text: str) -> str:
    return snake_case(text).upper()


def is_reserved(name: str, style: str = "snake") -> bool:
    if name in KEYWORDS or name in ANNOTATION_BUILTINS or name in MODULE_RESERVED:
        return True
    if style == "pascal":
        return name in BUILTINS  # a class called `Exception` would shadow it for the whole module
    return name in BASEMODEL_ATTRS or name.startswith("model_")


def make_identifier(text: str, *, style: str, fallback: str) -> str:
    """A valid, safe identifier for `text` in `style` ("snake" or "pascal"); never empty, never
    reserved."""
    name = snake_case(text) if style == "snake" else pascal_case(text)
    if not name:
        name = fallback
    if name[0].isdigit():
        name = f"{fallback}_{name}" if style == "snake" else f"{fallback}{name}"
    if is_reserved(name, style):
        name += "_"
    if not name.isidentifier():  # defensive: the word regex only yields ASCII letters and digits
        raise AssertionError(f"not an identifier: {name!r}")
    return name


def field_identifier(wire: str, shadowed: Iterable[str] = ()) -> str:
    """A model field's name: the snake_case of its wire name (`created[gt]` -> `created_gt`), with
    `_` appended only when that is a keyword, an attribute of pydantic's BaseModel (`json`,
    `schema`, `model_*`), or in `shadowed`: a name the model's own annotations use (`date` in a
    model with a `date` field typed `date`). `object`, `type`, `id`, `bytes` and `annotations` stay
    as they are.
    """
    name = snake_case(wire) or "field"
    if name[0].isdigit():
        name = f"field_{name}"
    if name in KEYWORDS or name in BASEMODEL_ATTRS or name in set(shadowed):
        name += "_"
    if not name.isidentifier():  # defensive: the word regex only yields ASCII letters and digits
        raise AssertionError(f"not an identifier: {name!r}")
    return name


class NameScope:
    """Names already taken in one Python namespace; `claim` returns a unique name,
    deterministically.

    The result depends only on the order of claims, so callers claim in an order that does not
    depend on mapping order in the spec (sorted keys).
    """

    def __init__(self, taken: Iterable[str] = ()) -> None:
        self._taken: set[str] = set(taken)
        self._folded: set[str] = {name.lower() for name in self._taken}

    def __contains__(self, name: str) -> bool:
        return name in self._taken

    def copy(self) -> NameScope:
        """A scope with the same names taken, without folding them again (a module's scope starts
        with every model name: Stripe's 2,600, in each of 62 modules)."""
        other = NameScope()
        other._taken, other._folded = set(self._taken), set(self._folded)
        return other

    def is_free(self, name: str) -> bool:
        """Whether `claim(name)` would return `name` itself (case-insensitively unused)."""
        return name.lower() not in self._folded

    def claim_all(
        self,
        wanted: list[tuple[str, str]],
        *,
        alternatives: Sequence[tuple[str, ...]] | None = None,
        separator: str = "_",
    ) -> list[str]:
        """Claim a name for each (spec text, wanted identifier), in an order that favours exactness:
        first every identifier that *is* its spec text (`created` keeps `created` even when
        `Created` sorts before it), then the rest, each group in the given order. Returns the names
        in the given order.
        """
        names: list[str] = [""] * len(wanted)
        exact = [i for i, (text, name) in enumerate(wanted) if text == name]
        rest = [i for i, (text, name) in enumerate(wanted) if text != name]
        for index in exact + rest:
            extra = alternatives[index] if alternatives else ()
            names[index] = self.claim(wanted[index][1], alternatives=extra, separator=separator)
        return names

    def claim(self, base: str, *, alternatives: Iterable[str] = (), separator: str = "_") -> str:
        """Claim `base`, else the first free alternative, else `base` + separator + 2, 3, ...

        Names that differ only in case are treated as clashing: such pairs are unreadable and break
        on case-insensitive file systems.
        """
        for candidate in (base, *alternatives):
            if candidate.lower() not in self._folded:
                return self._take(candidate)
        counter = 2
        while f"{base}{separator}{counter}".lower() in self._folded:
            counter += 1
        return self._take(f"{base}{separator}{counter}")

    def _take(self, name: str) -> str:
        self._taken.add(name)
        self._folded.add(name.lower())
        return name
