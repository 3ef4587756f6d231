"""Request types that type-check: object-valued arguments accept plain dicts that `mypy --strict` checks
against generated TypedDicts (wire names as keys, `Required`, strict `Literal`s), and models too; both
send the same body. Checked on the golden case `readable_names` (wire bytes, run time) and on OpenAI's and
Stripe's specs (`mypy --strict` accepts the dict literals users write and rejects wrong keys and values).

Each call site is one line in `CALLS` (the method's path through the resource tree).
"""

from __future__ import annotations

import importlib
import json
import re
import subprocess
import sys
from pathlib import Path

import golden
import golden_large
import httpx
import pytest
from resource_paths import method_of

pytestmark = pytest.mark.slow  # builds a large spec, runs mypy, starts servers or makes a venv

# Where each operation lives on the client: the one line to change when the surface changes.
CALLS = {
    "readable_names": "client.chat.completions.create",
    "openai_chat": "client.chat.completions.create",
    "stripe_customer": "client.customers.create",
    "stripe_cardholder": "client.issuing.cardholders.create",
}

# Lines ending in `# rejected` must fail `mypy --strict` on that line; every other line must pass.
OPENAI_CALLS = """
client.{openai_chat}(model="m", messages=[{{"role": "user", "content": "hi"}}])
client.{openai_chat}(model="m", messages=[{{"role": "system", "content": "be brief"}}, {{"role": "user", "content": [{{"type": "text", "text": "hi"}}]}}], response_format={{"type": "json_object"}}, temperature=None)
client.{openai_chat}(model="m", messages=[{{"role": "user", "content": "hi"}}], tools=[{{"type": "function", "function": {{"name": "f", "parameters": {{"type": "object"}}}}}}])
client.{openai_chat}(model="m", messages=[{{"role": "usr", "content": "hi"}}])  # rejected
client.{openai_chat}(model="m", messages=[{{"role": "user"}}])  # rejected
client.{openai_chat}(model="m", messages=[{{"role": "user", "content": "hi", "nme": "typo"}}])  # rejected
client.{openai_chat}(model="m", messages=[{{"role": "user", "content": "hi"}}], response_format={{"type": "xml"}})  # rejected
"""

STRIPE_CALLS = """
client.{stripe_customer}(email="a@example.com", address={{"city": "Berlin", "line1": "Unter den Linden 1"}}, tax_id_data=[{{"type": "eu_vat", "value": "DE123456789"}}])
client.{stripe_customer}(address="", cash_balance={{"settings": {{"reconciliation_mode": "automatic"}}}})
client.{stripe_customer}(tax_id_data=[{{"type": "eu_vatt", "value": "DE123456789"}}])  # rejected
client.{stripe_customer}(address={{"cty": "Berlin"}})  # rejected
client.{stripe_customer}(tax_id_data=[{{"type": "eu_vat"}}])  # rejected
client.{stripe_cardholder}(name="A", billing={{"address": {{"city": "B", "country": "DE", "line1": "C", "postal_code": "1"}}}}, spending_controls={{"blocked_categories": ["bakeries"]}})
client.{stripe_cardholder}(name="A", billing={{"address": {{"city": "B", "country": "DE", "line1": "C"}}}})  # rejected
client.{stripe_cardholder}(name="A", billing={{"address": {{"city": "B", "country": "DE", "line1": "C", "postal_code": "1"}}}}, spending_controls={{"blocked_categories": ["bakery"]}})  # rejected
"""


def _source(package: str, constructor: str, calls: str) -> str:
    call_names = {key: value.removeprefix("client.") for key, value in CALLS.items()}
    body = calls.format(**call_names).strip()
    return f"from {package} import Client\n\nclient = Client({constructor})\n{body}\n"


def _mypy_errors(folder: Path, source: str) -> dict[int, str]:
    (folder / "calls.py").write_text(source, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", str(folder / ".mypy"), "calls.py"],
        cwd=folder, capture_output=True, text=True, check=False,
    )
    errors: dict[int, str] = {}
    for line in result.stdout.splitlines():
        found = re.match(r"calls\.py:(\d+): error: (.*)", line)
        if found:
            errors.setdefault(int(found.group(1)), found.group(2))
    assert result.returncode in (0, 1), result.stdout + result.stderr
    return errors


def _check(folder: Path, source: str) -> None:
    errors = _mypy_errors(folder, source)
    lines = source.splitlines()
    rejected = {number for number, line in enumerate(lines, 1) if line.endswith("# rejected")}
    assert rejected, "no call that must be rejected"
    assert {n: e for n, e in errors.items() if n not in rejected} == {}, "accepted calls must type-check"
    assert sorted(rejected - errors.keys()) == [], "calls mypy should have rejected"


@pytest.mark.parametrize(("case", "package", "constructor", "calls"), [
    ("openai", "openai_client", 'api_key="k"', OPENAI_CALLS),
    ("stripe", "stripe_client", 'bearer_auth="k"', STRIPE_CALLS),
], ids=["openai", "stripe"])
def test_dict_arguments_type_check_and_typos_are_rejected(tmp_path, case, package, constructor, calls):
    golden_large.write_package(case, tmp_path)
    _check(tmp_path, _source(package, constructor, calls))


# --- the wire: a dict and a model send the same body -------------------------------------------------
@pytest.fixture(scope="module")
def names_package(tmp_path_factory):
    root = tmp_path_factory.mktemp("readable_names")
    golden.write_package("readable_names", root)
    sys.path.insert(0, str(root))
    try:
        yield importlib.import_module("readable_names_client")
    finally:
        sys.path.remove(str(root))


def _body(package, **arguments) -> object:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"object": "completion"})

    transport = httpx.Client(transport=httpx.MockTransport(answer))
    with package.Client(base_url="http://127.0.0.1:1", http_client=transport) as client:
        method_of(client, CALLS["readable_names"].removeprefix("client."))(**arguments)
    return json.loads(seen[0].content)


def test_a_dict_and_a_model_send_the_same_wire_body(names_package):
    models = importlib.import_module("readable_names_client.models")
    as_dicts = _body(
        names_package, model="m",
        messages=[{"role": "user", "content": "hi"}, {"tool_call_id": "t1"}],
        chunking_strategy={"type": "static", "static": {"max_chunk_size_tokens": 800}},
        metadata={"source": None},
    )
    as_models = _body(
        names_package, model="m",
        messages=[models.MessageUser(role="user", content="hi"), models.ToolResult(tool_call_id="t1")],
        chunking_strategy=models.ChunkingStrategyStatic(type="static", static={"max_chunk_size_tokens": 800}),
        metadata=models.RequestMetadata(source=None),
    )
    assert as_dicts == as_models == {
        "model": "m",
        "messages": [{"role": "user", "content": "hi"}, {"tool_call_id": "t1"}],
        "chunking_strategy": {"type": "static", "static": {"max_chunk_size_tokens": 800}},
        "metadata": {"source": None},  # None given is sent as null; a key not given is not sent
    }


def test_calls_never_import_the_request_types(names_package):
    _body(names_package, model="m", messages=[{"role": "user", "content": "hi"}])
    assert not [name for name in sys.modules if name.startswith("readable_names_client._params")]
    assert not [name for name in sys.modules if name == "readable_names_client.params"]


def test_none_and_missing_stay_apart(names_package):
    assert _body(names_package, model="m", messages=[], temperature=None) == {"model": "m", "messages": [], "temperature": None}
    assert _body(names_package, model="m", messages=[]) == {"model": "m", "messages": []}


def test_the_golden_case_type_checks_dicts_and_models(tmp_path):
    golden.write_package("readable_names", tmp_path)
    call = CALLS["readable_names"]
    source = (
        "from readable_names_client import Client\nfrom readable_names_client.models import MessageUser\n"
        "from readable_names_client.params import MessageUserParam\n\n"
        "client = Client(base_url='http://127.0.0.1:1')\n"
        "user: MessageUserParam = {'role': 'user', 'content': 'hi'}\n"
        f"{call}(model='m', messages=[user, MessageUser(role='user', content='x'), {{'tool_call_id': 't'}}])\n"
        f"{call}(model='m', messages=[], chunking_strategy={{'type': 'static', 'static': {{'max_chunk_size_tokens': 1}}}})\n"
        f"{call}(model='m', messages=[{{'role': 'usr', 'content': 'hi'}}])  # rejected\n"
        f"{call}(model='m', messages=[], chunking_strategy={{'type': 'static', 'static': {{'max_chunk_size_tokens': '1'}}}})  # rejected\n"
        f"{call}(model='m', messages=[], temperature='hot')  # rejected\n"
    )
    _check(tmp_path, source)
