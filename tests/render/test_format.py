"""Batched, cached, parallel formatting gives exactly black's bytes for the whole file."""

from __future__ import annotations

import re
import sys

from pathlib import Path

import black
import pytest

from generator.format import CHUNK_BREAK, HEADER, METHOD_BREAK, without_breaks, workers
from generator.format import black_formatter as fmt
from generator.format.batches import plan_source
from generator.format.black_formatter import format_sources
from generator.format.cache import FormatCache, cache_dir

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from rendered import rendered_sources  # noqa: E402

MODE = workers.mode()

ROOT = Path(__file__).resolve().parents[2]


def _source(classes: int) -> str:
    """A module in the shape the templates render: breaks before top-level classes and between methods."""
    parts = ['"""Doc."""\nfrom typing import Any\n']
    for i in range(classes):
        methods = "\n".join(
            f"    def m{j}(self, a: int, b: str = 'x' * {j}, *, c: Any = None) -> dict[str, Any]:\n"
            f"        return {{'a': a, 'b': b, 'c': c, 'long': [{', '.join(str(k) for k in range(j * 3))}]}}\n"
            + (METHOD_BREAK if j < 4 else "")
            for j in range(5)
        )
        parts.append(f"{CHUNK_BREAK}\nclass C{i}:\n    x: int = {i}\n{METHOD_BREAK}\n{methods}\n")
    return "\n".join(parts)


def _plain(source: str) -> str:
    return without_breaks(source)


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CLIENTGEN_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_batched_output_is_black_of_the_whole_file() -> None:
    source = _source(40)
    assert format_sources({"m.py": source})["m.py"] == HEADER + black.format_str(_plain(source), mode=MODE)


@pytest.mark.parametrize("first", ["A: int = 1", "A = 1", "class A:\n    pass", "@dataclass\nclass A:\n    pass"])
@pytest.mark.parametrize("imports", ["import x", "from a import (\n    b,\n)", "if TYPE_CHECKING:\n    import y"])
def test_the_first_break_after_the_imports_is_spaced_as_black_does(imports: str, first: str) -> None:
    """Black puts one blank line after imports, two before a class or function (found in a generated
    models module whose first definition is an alias)."""
    source = f'"""Doc."""\n\n{imports}\n\n\n{CHUNK_BREAK}\n{first}\n\n\n{CHUNK_BREAK}\nB = 2\n'
    assert format_sources({"m.py": source})["m.py"] == HEADER + black.format_str(_plain(source), mode=MODE)


@pytest.mark.parametrize("first", ["A: TypeAlias = dict[str, Any]", "A = 1", "class A:\n    pass"])
def test_the_batch_holding_the_imports_needs_one_pass(first: str) -> None:
    """The first batch joins the imports and what follows with black's blank lines, so black's
    single pass keeps it (a models module whose first definition is an alias took two)."""
    first = first.replace("\n", "  # not a shape black is skipped for\n", 1) if "\n" in first else first + "  # c"
    # Comments keep both pieces from being passed through without black (fixed_point).
    source = f'"""Doc."""\n\nfrom typing import Any  # c\n\n\n{CHUNK_BREAK}\n{first}\n\n\n{CHUNK_BREAK}\nB = 2\n'
    first_batch = plan_source(source).plan[0][1][0]
    assert first_batch.startswith('"""Doc."""') and first in first_batch
    assert workers.format_once(first_batch) == first_batch


@pytest.mark.slow
def test_bundled_packages_and_golden_cases_are_what_black_makes_of_them() -> None:
    trees = [ROOT / "generated", *sorted((ROOT / "tests" / "cases").glob("*/expected"))]
    for path in sorted(p for tree in trees for p in tree.rglob("*.py") if "__pycache__" not in p.parts):
        text = path.read_text(encoding="utf-8")
        assert black.format_str(text, mode=MODE) == text, path


@pytest.mark.parametrize("threshold", [0, 10**9], ids=["two pools", "first worker only"])
def test_worker_processes_equal_this_process(monkeypatch: pytest.MonkeyPatch, threshold: int) -> None:
    source = _source(60)
    serial = format_sources({"a.py": source, "b.py": source.replace("C", "D")})
    monkeypatch.setenv("CLIENTGEN_CACHE_DIR", str(Path(str(cache_dir())) / "other"))
    monkeypatch.setattr(workers, "PARALLEL_CHARS", threshold)
    monkeypatch.setattr(workers, "worker_count", lambda: 3)
    with fmt.formatter() as formatter:
        assert isinstance(formatter.pool, workers.Workers)
        pending = formatter.submit({"a.py": source, "b.py": source.replace("C", "D")})
        parallel = pending.result()
        assert len(formatter.pool.pools) == (2 if threshold == 0 else 1)
    assert parallel == serial


def test_invalid_render_from_a_worker_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "worker_count", lambda: 2)
    with fmt.formatter() as formatter, pytest.raises(fmt.RenderBug, match=r"m\.py.*\n.*\|"):
        formatter.format_sources({"m.py": "def broken(:\n    pass\n"})


def test_invalid_render_black_never_saw_is_reported() -> None:
    """Pieces passed through without black (fixed points) are still parsed."""
    source = f'"""Doc."""\n\n\n{CHUNK_BREAK}\nx: = 1\n'
    with pytest.raises(fmt.RenderBug, match=r"m\.py(.|\n)*> +4 \| x: = 1"):
        format_sources({"m.py": source})


def test_cache_hit_skips_black(monkeypatch: pytest.MonkeyPatch, private_cache: Path) -> None:
    source = _source(5)
    first = format_sources({"m.py": source})
    assert any(private_cache.rglob("*"))

    def no_black(text: str) -> str:
        raise AssertionError("black ran although every batch was cached")

    monkeypatch.setattr(workers, "format_batch", no_black)
    assert format_sources({"m.py": source}) == first


def test_cache_miss_runs_black(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = workers.format_batch
    monkeypatch.setattr(workers, "format_batch", lambda text: calls.append(text) or real(text))
    format_sources({"m.py": _source(3)})
    assert calls
    calls.clear()
    format_sources({"m.py": _source(3).replace("'long'", "'longer'")})
    assert calls  # changed text (in methods black has to format): new keys, black runs again


def test_corrupted_entry_is_ignored_and_rewritten(private_cache: Path) -> None:
    source = _source(2)
    expected = format_sources({"m.py": source})
    entries = [p for p in private_cache.rglob("*") if p.is_file()]
    assert entries
    for entry in entries:
        entry.write_text(entry.read_text(encoding="utf-8").replace("def", "DEF"), encoding="utf-8")
    assert format_sources({"m.py": source}) == expected
    cache = FormatCache("salt", private_cache)
    key = cache.key("text")
    cache.put(key, "formatted")
    assert cache.get(key) == "formatted"
    (private_cache / "black" / key[:2] / key).write_bytes(b"\xff\xfe not utf-8")
    assert cache.get(key) is None


def test_cache_location(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("CLIENTGEN_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "clientgen"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_dir() == tmp_path / "home" / ".cache" / "clientgen"


def test_unwritable_cache_only_costs_speed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("CLIENTGEN_CACHE_DIR", str(blocker))
    source = _source(2)
    assert format_sources({"m.py": source})["m.py"] == HEADER + black.format_str(_plain(source), mode=MODE)


def test_invalid_render_is_reported_with_numbered_source() -> None:
    with pytest.raises(fmt.RenderBug, match=r"m\.py.*\n.*\|"):
        format_sources({"m.py": "def broken(:\n    pass\n"})


# Line shapes the generator renders too long for black's line length, as the templates render them.
_LONG_SHAPES = '''"""Doc."""

from typing import Literal
from .models import Aaaaaaaaaaaaaaa, Bbbbbbbbbbbbbbbbbbbbb, Ccccccccccccccccccccccc, Dddddddddddddddddddddd, Eeeeeeeeeeee


class VeryLongClassNameForTheHeaderOfThisClassThatDoesNotFitOnOneLineOfAHundredCharactersAtAll(_Model):
    """A class docstring
    on two lines.
    """
    a_field_with_alias: SomeLongTypeNameHere | None = Field(default=None, validation_alias="x", serialization_alias="x")
    three_args: SomeLongTypeNameHere | None = Field(default=None, validation_alias="a_longer_wire_name", serialization_alias="a_longer_wire_name")
    code: Literal["invalid_address_city_state_postal_code", "invalid_dob_age_under_18", "invalid_representative_country"]
    short_list: Literal["checking", "credit_card", "line_of_credit", "mortgage", "other", "savings", "x"]
    locale: Literal["auto", "bg", "cs", "da", "de", "el", "en", "en-AU", "en-CA", "en-GB", "en-IE", "en-IN", "en-NZ"] | None = None
    reason: Literal["duplicate", "fraudulent", "order_change", "product_unsatisfactory"] | None = None
    union_field: PaymentIntentNextActionCashappHandleRedirectOrDisplayQrCodeWithAVeryLongName | None = None
    source: str | ApplicationFee | Charge | ConnectCollectionTransfer | CustomerCashBalanceTransaction | Dispute | FeeRefund
    events: list[Literal["*", "account.application.authorized", "account.application.deauthorized", "account.updated"]] | None = None
    required_only: AnExtremelyLongTypeNameThatTakesUpMostOfTheLineWithoutAnyUnionOrBracketsInItAtAll
    p_24: PaymentMethodOptionsP24 | PaymentIntentTypeSpecificPaymentMethodOptionsClientX | None = Field(default=None, validation_alias="p24")
    """A field docstring."""


GetTerminalConfigurationsConfigurationResponse: TypeAlias = TerminalConfiguration | DeletedTerminalConfiguration


_GET_CHECKOUT_SESSIONS_SESSION_LINE_ITEMS_X: Operation[GetCheckoutSessionsResponse] = Operation(
    method="GET",
    security=(
        ("basicAuth",),
        ("bearerAuth",),
    ),
)

_LIST_PAGING = Paging(scheme="cursor_id", items=("data",), has_more=("has_more",), param="starting_after", limit_param="limit", item_id="id", before_param="ending_before")
_SEARCH_PAGING = Paging(scheme="cursor", items=("data",), next=("next_page",), param="page", limit_param="limit")
_SHORT_PAGING = Paging(scheme="cursor", items=("data",))


class Client:
    def list_owners(
        self,
        *,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> SyncPage[FinancialConnectionsAccountOwner, FinancialConnectionsAccountsAccountOwnersResponse]:
        """Doc."""
        return first_page(self._client, _LIST, _LIST_PAGING, locals())

    def create_something(
        self,
        bank_account: PostAccountsAccountBankAccountsBodyBankAccountOption1 | str | NotGiven = NOT_GIVEN,
        proration_behavior: Literal["always_invoice", "create_prorations", "none"] | NotGiven = NOT_GIVEN,
        payment_behavior: Literal["allow_incomplete", "default_incomplete", "error_if_incomplete", "pending"] | NotGiven = NOT_GIVEN,
    ) -> None:
        """Doc."""
        return await self._call(_GET_CUSTOMERS_CUSTOMER_CASH_BALANCE_TRANSACTIONS_TRANSACTION_X, locals())
'''


def test_prewrap_lays_out_long_lines_as_black_does() -> None:
    from generator.format.prewrap import prewrap

    expected = black.format_str(_LONG_SHAPES, mode=MODE)
    assert prewrap(_LONG_SHAPES) == expected  # every shape is laid out, and laid out as black would
    assert prewrap(expected) == expected


def test_prewrap_leaves_docstrings_and_strings_alone() -> None:
    from generator.format.prewrap import prewrap

    text = 'class A(_Model):\n    x: int = 1\n    """text: Literal["' + '", "'.join(["a" * 10] * 12) + '"] | None = None\n    """\n'
    assert prewrap(text) == text


def test_one_pass_when_prewrap_is_right_and_black_exact_when_not(monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.format import prewrap as format_prewrap

    calls: list[str] = []
    real = workers.format_once
    monkeypatch.setattr(workers, "format_once", lambda text: calls.append(text) or real(text))
    assert workers.format_batch(_LONG_SHAPES) == black.format_str(_LONG_SHAPES, mode=MODE)
    assert len(calls) == 1
    # A wrong guess (a split black would not make) is caught: the result is still black's.
    monkeypatch.setattr(workers, "prewrap", lambda text: text.replace("code: Literal[", "code: Literal[  "))
    assert workers.format_batch(_LONG_SHAPES) == black.format_str(_LONG_SHAPES, mode=MODE)
    assert format_prewrap.LIMIT == MODE.line_length


_DESCRIPTORS = '''_GET_CHECKOUT_SESSIONS_SESSION_LINE_ITEMS: Operation[GetCheckoutSessionsSessionLineItemsResponseX] = Operation(
    method="GET",
    responses={
        "200": ResponseSpec("application/json", "GetFinancialConnectionsAccountsAccountOwnersResponse"),
        "default": ResponseSpec("application/json", "Error"),
    },
)
'''


def test_prewrap_descriptors_and_dict_entries() -> None:
    from generator.format.prewrap import prewrap

    expected = black.format_str(_DESCRIPTORS, mode=MODE)
    assert prewrap(_DESCRIPTORS) == expected


def _long_names_spec(folder: Path) -> Path:
    """A small spec in Stripe's style: long schema and operation names, long enums and unions, fields
    whose wire names need aliases, two security schemes."""
    import json

    long = "PaymentIntentNextActionCashappHandleRedirectOrDisplayQrCodeWithAVeryLongName"
    enum = [f"verification_document_{word}_mismatch" for word in ("address", "dob", "name", "nationality", "photo", "type")]
    schemas = {
        long: {"type": "object", "properties": {"p24": {"type": "string"}, "object": {"type": "string", "enum": ["account_link"]}}},
        "Account": {"type": "object", "required": ["code"], "properties": {
            "code": {"type": "string", "enum": enum},
            "maybe_code": {"type": "string", "enum": enum, "nullable": True},
            "locale": {"type": "string", "enum": ["auto", "bg", "cs", "da", "de", "el", "en", "en-AU", "en-CA", "en-GB", "en-IE", "fil"]},
            "next_action": {"$ref": f"#/components/schemas/{long}"},
            "source": {"anyOf": [{"type": "string"}, {"$ref": "#/components/schemas/Account"}, {"$ref": f"#/components/schemas/{long}"}]},
            "address_line1_check": {"type": "string", "enum": ["pass", "fail", "unavailable", "unchecked"]},
            "events": {"type": "array", "items": {"type": "string", "enum": ["*", "account.application.authorized", "account.application.deauthorized", "account.updated"]}},
        }},
    }
    ok = {"description": "ok", "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{long}"}}}}
    body = {"content": {"application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {
        "business_type": {"type": "string", "enum": ["company", "government_entity", "individual", "non_profit"]},
        "bank_account": {"anyOf": [{"$ref": f"#/components/schemas/{long}"}, {"type": "string"}]},
    }}}}}
    paths = {
        "/v1/customers/{customer}/cash_balance_transactions/{transaction}/with/a/long/path": {"get": {
            "operationId": "GetCustomersCustomerCashBalanceTransactionsTransactionWithALongPath",
            "parameters": [{"name": n, "in": "path", "required": True, "schema": {"type": "string"}} for n in ("customer", "transaction")],
            "responses": {"200": ok}}},
        "/v1/accounts": {"post": {"operationId": "PostAccounts", "requestBody": body, "responses": {"200": ok}}},
    }
    spec = {"openapi": "3.0.3", "info": {"title": "Long", "version": "1"}, "paths": paths, "security": [{"basicAuth": []}, {"bearerAuth": []}],
            "components": {"schemas": schemas, "securitySchemes": {"basicAuth": {"type": "http", "scheme": "basic"}, "bearerAuth": {"type": "http", "scheme": "bearer"}}}}
    path = folder / "openapi.json"
    path.write_text(json.dumps(spec))
    return path


def _rendered_batches(spec: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The batches black gets for a spec's generated modules, as rendered (before prewrap)."""
    sources = rendered_sources(spec)
    return [job for source in sources.values() for _, jobs in plan_source(source).plan for job in jobs]


@pytest.mark.parametrize("spec", [*sorted((ROOT / "specs").glob("*/openapi.yaml")), ROOT / "tests/cases/names/openapi.yaml", None],
                         ids=lambda p: p.parent.name if p else "long_names")
def test_real_batches_format_exactly_as_black(spec: Path | None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """On generated code the one-pass path gives black's two-pass bytes, batch by batch."""
    batches = _rendered_batches(spec or _long_names_spec(tmp_path), monkeypatch)
    assert batches
    for job in batches:
        assert workers.format_batch(job) == black.format_str(job, mode=MODE)


@pytest.mark.parametrize("case", ["long_names", "serialization"])
def test_rendered_code_needs_one_pass(case: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The generator renders what black's single pass keeps (prewrap covers long names; descriptors'
    `styles` are written as black writes them, one-tuples included)."""
    from generator.format.prewrap import prewrap

    spec = _long_names_spec(tmp_path) if case == "long_names" else ROOT / "tests/cases/serialization/openapi.yaml"
    batches = _rendered_batches(spec, monkeypatch)
    if case == "long_names":
        assert any(len(line) > MODE.line_length for job in batches for line in job.splitlines())
    else:
        assert any("styles=((" in job for job in batches)
    unstable = [job for job in batches if workers.format_once(prewrap(job)) != prewrap(job)]
    # Only a batch with a quoted (forward-reference) annotation too long for any line is left to black's
    # second pass: black then wraps the default in parentheses, which prewrap does not imitate.
    too_long_quoted = re.compile(r'^ +\w+: "[^"\n]*" = .*$', re.M)
    assert all(any(len(m.group(0)) > MODE.line_length for m in too_long_quoted.finditer(job)) for job in unstable)
    assert len(unstable) < len(batches) // 4


@pytest.mark.parametrize(("spec_bytes", "pools"), [(1_000, [1]), (1_000_000, [2])])
def test_a_large_spec_starts_every_worker_at_once(monkeypatch: pytest.MonkeyPatch, spec_bytes: int, pools: list[int]) -> None:
    monkeypatch.setattr(workers, "worker_count", lambda: 2)
    with fmt.formatter(spec_bytes) as formatter:
        assert isinstance(formatter.pool, workers.Workers)
        assert [size for _, size in formatter.pool.pools] == pools
        source = _source(3)
        assert formatter.format_sources({"m.py": source})["m.py"] == HEADER + black.format_str(_plain(source), mode=MODE)
