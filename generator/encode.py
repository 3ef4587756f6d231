"""The only two ways spec text enters generated Python: as a literal, or as a docstring.

Spec text is untrusted. Templates never interpolate raw strings; they call the `lit` and `doc`
filters, which are these functions. Both produce source that `ast.literal_eval` maps back to exactly
the input, so no quote, backslash, line separator or NUL can end the string early and become code.
"""

from __future__ import annotations

import keyword
import math
import re
from dataclasses import dataclass
from typing import Any

# Characters that would change how a triple-quoted docstring is read if they appeared raw.
_DOCSTRING_ESCAPES = {"\\": "\\\\", "\r": "\\r", "\t": "    "}


class EncodeError(ValueError):
    """A value cannot be written as a Python literal (for example an integer with 10,000 digits)."""


@dataclass(frozen=True, slots=True)
class Call:
    """`function(arg, ..., name=value, ...)`: a runtime class built from values, as generated code
    writes an operation's descriptor. The names are checked: only values come from the spec."""

    function: str
    args: tuple[Any, ...] = ()
    kwargs: tuple[tuple[str, Any], ...] = ()

    def __post_init__(self) -> None:
        for name in (self.function, *(name for name, _ in self.kwargs)):
            if not name.isidentifier() or keyword.iskeyword(name):
                raise EncodeError(f"{name!r} is not an identifier")


@dataclass(frozen=True, slots=True)
class PyTuple:
    """A Python tuple (a plain tuple is a JSON array, and is written as a list)."""

    items: tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class PyDict:
    """A Python dict from its (key, value) pairs, keys written as values too (JSON object keys are
    always strings; these may be any value)."""

    items: tuple[tuple[Any, Any], ...]


@dataclass(frozen=True, slots=True)
class Exploded:
    """A dict, list, tuple or call written one item per line with a trailing comma: black's layout
    for a collection with a "magic trailing comma", which black then keeps as it is."""

    value: Any


def literal(value: Any, indent: str = "") -> str:
    """Python source for a JSON-compatible value (str, int, float, bool, None, list, dict) or a
    structured one built of them (`Call`, `PyTuple`, `PyDict`, `Exploded`). `indent` is that of the
    line the value starts on, for the items of an exploded value."""
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, str):
        return _string_literal(value)
    if isinstance(value, int):
        try:
            return repr(value)
        except ValueError as exc:  # CPython refuses to print ints past sys.get_int_max_str_digits()
            raise EncodeError("integer too large to write as a literal") from exc
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return f'float("{value}")'
        return repr(value)
    if isinstance(value, Exploded):
        opener, items, closer = _container(value.value)
        inner = indent + "    "
        rows = "".join(f"{inner}{prefix}{literal(item, inner)},\n" for prefix, item in items)
        return f"{opener}\n{rows}{indent}{closer}" if items else opener + closer
    opener, items, closer = _container(value)
    text = ", ".join(prefix + literal(item, indent) for prefix, item in items)
    one_tuple = isinstance(value, PyTuple) and len(items) == 1
    return opener + text + ("," if one_tuple else "") + closer


# An item of a container: what comes before its value (`key: `, `name=` or nothing), and the value.
_Item = tuple[str, Any]


def _container(value: Any) -> tuple[str, list[_Item], str]:
    if isinstance(value, list | tuple):
        return "[", [("", item) for item in value], "]"
    if isinstance(value, dict):
        return "{", [(f"{literal(str(k))}: ", v) for k, v in value.items()], "}"
    if isinstance(value, PyTuple):
        return "(", [("", item) for item in value.items], ")"
    if isinstance(value, PyDict):
        return "{", [(f"{literal(k)}: ", v) for k, v in value.items], "}"
    if isinstance(value, Call):
        items = [("", arg) for arg in value.args] + [(f"{k}=", v) for k, v in value.kwargs]
        return f"{value.function}(", items, ")"
    raise EncodeError(f"cannot write a {type(value).__name__} as a literal")


def encodable(value: Any) -> bool:
    """True when `literal` can write `value` (lowering checks spec values with this before keeping
    them)."""
    try:
        literal(value)
    except (EncodeError, RecursionError):
        return False
    return True


def _string_literal(text: str) -> str:
    # repr escapes quotes, backslashes, control characters, NUL, lone surrogates and every character
    # that is not printable (U+2028 included); always double quotes, as black prefers, so output is
    # stable.
    body = repr(text)
    if body.startswith("'"):
        inner = body[1:-1].replace("\\'", "'").replace('"', '\\"')
        body = f'"{inner}"'
    return body


def docstring(text: str, indent: str = "") -> str:
    """A triple-quoted docstring literal for free text, with continuation lines at `indent`."""
    escaped = _escape_doc(_clean_text(text))
    lines = escaped.split("\n")
    # Blank lines carry no indent: black strips it anyway, and output black leaves alone is
    # formatted once.
    body = "\n".join(indent + line.rstrip() if line.strip() else "" for line in lines)[
        len(indent) :
    ]
    if "\n" in body:
        body += "\n" + indent
    return f'"""{body}"""'


def _clean_text(text: str) -> str:
    # Normalise line breaks first so "\r\n" does not become an escaped "\r" plus a newline.
    return text.replace("\r\n", "\n").strip()


# A quote that could form or touch the closing `"""`: at either end, or next to another quote.
_EDGE_QUOTES = re.compile(r'\A"|"\Z|"(?=")|(?<=")"')


def _escape_doc(text: str) -> str:
    """`_escape_doc_char` of every character. Text whose characters are all printable but line
    breaks and tabs (nearly all: Stripe has 1.3 million characters of descriptions) is escaped by
    whole-string replaces instead of character by character; escaping backslashes, `\\r` and tabs
    first moves no quote to or from an end or next to another quote."""
    if not text.replace("\n", "").replace("\r", "").replace("\t", "").isprintable():
        return "".join(_escape_doc_char(text, i) for i in range(len(text)))
    escaped = text.replace("\\", "\\\\").replace("\r", "\\r").replace("\t", "    ")
    return _EDGE_QUOTES.sub(r'\\"', escaped)


def _escape_doc_char(text: str, index: int) -> str:
    ch = text[index]
    if ch == '"':
        # A lone quote inside the text is harmless; one next to another quote or at either end could
        # form or touch the closing `"""`, so only those are escaped.
        edge = index == 0 or index == len(text) - 1
        return '\\"' if edge or text[index - 1] == '"' or text[index + 1] == '"' else ch
    if ch in _DOCSTRING_ESCAPES:
        return _DOCSTRING_ESCAPES[ch]
    if ch == "\n":
        return ch
    if not ch.isprintable():  # NUL, U+2028, U+2029, other controls and format characters
        code = ord(ch)
        return (
            f"\\x{code:02x}"
            if code < 0x100
            else (f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
        )
    return ch


def one_line(text: str, limit: int = 200) -> str:
    """Free text squeezed onto one line, for Markdown headings and summaries (never for Python
    source)."""
    flat = " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def toml_string(text: str) -> str:
    """A TOML basic string holding exactly `text`: JSON's escapes (`\\"`, `\\\\`, `\\n`,
    `\\uXXXX`) are TOML's, and with `ensure_ascii` no control or separator character is left raw."""
    import json

    return json.dumps(text, ensure_ascii=True)
