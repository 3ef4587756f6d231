"""The one place where spec text becomes a Python identifier.

Every class, field, parameter, method and module-level name in generated code is made here: words are
split out of whatever the spec wrote (camelCase, dotted Go package paths, `created[gt]`, German umlauts),
re-cased, made safe (keywords, builtins, names our generated code itself uses, pydantic's own attributes),
and then claimed in a `NameScope` that resolves collisions explicitly and deterministically. Nothing is
ever dropped to avoid a clash: the later claimant gets a suffix.
"""

from __future__ import annotations

import builtins
import keyword
import re
import unicodedata
from collections.abc import Iterable

# Splits "HTTPBearer2Auth" -> HTTP, Bearer, 2, Auth and "created[gt]" -> created, gt.
_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z]|\d|\b|_|$)|[A-Z]?[a-z]+|[A-Z]+|\d+")

KEYWORDS = frozenset(keyword.kwlist) | {"_"}
# Builtins that generated annotations use; a field or argument by such a name would shadow the type
# inside the class body. Other builtins (`id`, `type`, `input`) are fine names and much nicer to use.
ANNOTATION_BUILTINS = frozenset({"str", "int", "float", "bool", "bytes", "list", "dict", "object"})
BUILTINS = frozenset(dir(builtins))

# pydantic.BaseModel's own attributes, read once at import; a field by one of these names would shadow it.
_BASEMODEL_ATTRS = frozenset(
    {"copy", "dict", "json", "schema", "schema_json", "construct", "validate", "fields", "parse_obj"}
    | {"parse_raw", "parse_file", "from_orm", "update_forward_refs", "model_config", "model_fields"}
)

# Names generated modules import or define themselves; a schema called `Field` or `UUID` must not shadow them.
MODULE_RESERVED = frozenset(
    {"Any", "BaseModel", "ConfigDict", "Field", "Literal", "TypeAlias", "TypeAliasType", "UUID", "date", "datetime"}
    | {"annotations", "TYPE_CHECKING", "cast", "httpx", "Mapping", "NotGiven", "NOT_GIVEN"}
    | {"Operation", "ResponseSpec", "SecurityScheme", "SyncAPIClient", "AsyncAPIClient", "APIResponse"}
    | {"Client", "AsyncClient", "errors", "models", "client", "os", "importlib", "resolve_base_url"}
    | {"EventSpec", "ServerSentEvent", "Stream", "AsyncStream", "FileTypes", "FileContent"}
    | {"BinaryContent", "UnknownValue", "Annotated", "AfterValidator", "ValidationInfo", "MissingCredentialsError"}
    # the error classes every package exports next to its models (a test keeps this list complete)
    | {"APIError", "APIConnectionError", "APITimeoutError", "APIStatusError", "APIResponseValidationError"}
    | {"APIStreamError", "BadRequestError", "AuthenticationError", "PermissionDeniedError", "NotFoundError"}
    | {"ConflictError", "UnprocessableEntityError", "RateLimitError", "InternalServerError"}
)


def split_words(text: str) -> list[str]:
    """Split arbitrary text into ASCII words; accents are folded (Ausführen -> Ausfuhren)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _WORD.findall(folded)


def snake_case(text: str) -> str:
    # Digits stay glued to the word before them, as the spec wrote them: `line1`, `last4`, `p24`
    # (not `line_1`), so the name reads like the wire name; a digit-only word after `_` stays apart.
    words = _glued(text)
    return "_".join(word.lower() for word in words)


def _glued(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words: list[str] = []
    for match in _WORD.finditer(folded):
        word = match.group(0)
        if word.isdigit() and words and match.start() > 0 and folded[match.start() - 1].isalpha():
            words[-1] += word
        else:
            words.append(word)
    return words


def pascal_case(text: str) -> str:
    words = split_words(text)
    # Keep digits glued to the word before them ("Gmt0"), capitalise the rest.
    return "".join(word if word.isdigit() else word[:1].upper() + word[1:].lower() for word in words)


def upper_snake_case(text: str) -> str:
    return snake_case(text).upper()


def is_reserved(name: str, style: str = "snake") -> bool:
    if name in KEYWORDS or name in ANNOTATION_BUILTINS or name in MODULE_RESERVED:
        return True
    if style == "pascal":
        return name in BUILTINS  # a class called `Exception` would shadow it for the whole module
    return name in _BASEMODEL_ATTRS or name.startswith("model_")


def make_identifier(text: str, *, style: str, fallback: str) -> str:
    """A valid, safe identifier for `text` in `style` ("snake" or "pascal"); never empty, never reserved."""
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


class NameScope:
    """Names already taken in one Python namespace; `claim` returns a unique name, deterministically.

    The result depends only on the order of claims, so callers claim in an order that does not depend on
    mapping order in the spec (sorted keys).
    """

    def __init__(self, taken: Iterable[str] = ()) -> None:
        self._taken: set[str] = set(taken)
        self._folded: set[str] = {name.lower() for name in self._taken}

    def __contains__(self, name: str) -> bool:
        return name in self._taken

    def claim_all(
        self, wanted: list[tuple[str, str]], *, alternatives: list[tuple[str, ...]] | None = None, separator: str = "_"
    ) -> list[str]:
        """Claim a name for each (spec text, wanted identifier), in an order that favours exactness: first
        every identifier that *is* its spec text (`created` keeps `created` even when `Created` sorts
        before it), then the rest, each group in the given order. Returns the names in the given order."""
        names: list[str] = [""] * len(wanted)
        exact = [i for i, (text, name) in enumerate(wanted) if text == name]
        rest = [i for i, (text, name) in enumerate(wanted) if text != name]
        for index in exact + rest:
            extra = alternatives[index] if alternatives else ()
            names[index] = self.claim(wanted[index][1], alternatives=extra, separator=separator)
        return names

    def claim(self, base: str, *, alternatives: Iterable[str] = (), separator: str = "_") -> str:
        """Claim `base`, else the first free alternative, else `base` + separator + 2, 3, ...

        Names that differ only in case are treated as clashing: such pairs are unreadable and break on
        case-insensitive file systems.
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
