"""The hostile golden case (issue 6): spec text full of code-shaped payloads never becomes code.

`tests/cases/hostile/openapi.json` (written by scripts/make_hostile_spec.py) puts quotes, triple quotes,
backslashes, CR, U+2028, NUL, Jinja delimiters, comment markers, keywords and `__import__("os").system(...)`
payloads into every string that can reach the output. test_golden pins the output and
test_generated_code runs `mypy --strict` on it; here: importing and using it runs nothing, and every wire
name goes out exactly as the spec wrote it.
"""

from __future__ import annotations

import ast
import importlib
import json
import subprocess
import sys
import typing
from pathlib import Path

import httpx
import pytest

import golden

SPEC = json.loads((golden.CASES / "hostile" / "openapi.json").read_text(encoding="utf-8"))
sys.path.insert(0, str(golden.ROOT / "scripts"))
from make_hostile_spec import PAYLOADS, document  # noqa: E402

from generator.render import RUNTIME_FILES  # noqa: E402

sys.path.remove(str(golden.ROOT / "scripts"))
ITEMS = "/items/{class}/{__import__}/x'% y#frag'\""


@pytest.fixture(scope="module")
def package_dir(tmp_path_factory) -> Path:
    return golden.write_package("hostile", tmp_path_factory.mktemp("hostile"))


@pytest.fixture(scope="module")
def hostile(package_dir):
    sys.path.insert(0, str(package_dir.parent))
    try:
        package = importlib.import_module("hostile_client")
        importlib.import_module("hostile_client.client")
        importlib.import_module("hostile_client.models")
        yield package
    finally:
        sys.path.remove(str(package_dir.parent))


def test_the_committed_spec_is_what_the_script_writes():
    assert SPEC == document()


def test_importing_and_using_the_package_runs_nothing(package_dir, tmp_path):
    script = (
        "import importlib, pkgutil, pydantic, hostile_client as p\n"
        "for m in pkgutil.walk_packages(p.__path__, 'hostile_client.'):\n"
        "    if not m.name.startswith('hostile_client.tests'):\n"
        "        mod = importlib.import_module(m.name)\n"
        "        [getattr(mod, n) for n in dir(mod)]\n"
        "for name in p.__all__:\n"
        "    getattr(p, name)\n"
        "models = p.models\n"
        "for name in dir(models):\n"
        "    obj = getattr(models, name)\n"
        "    if isinstance(obj, type) and issubclass(obj, pydantic.BaseModel) and obj.__module__.startswith('hostile_client._models.'):\n"
        "        obj.model_rebuild(); obj.model_json_schema(); help(obj)\n"
        "import hostile_client.client as c; help(c)\n"
        "p.Client(base_url='http://127.0.0.1:1').close()\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path,
        env={"PYTHONPATH": str(package_dir.parent), "PATH": "", "PAGER": "cat", "TERM": "dumb"},
    )
    assert completed.returncode == 0, completed.stderr
    assert list(tmp_path.iterdir()) == [], "a payload ran: the working directory is no longer empty"


def test_no_payload_is_code_in_any_generated_module(package_dir):
    """The payloads only exist as string constants: no call of __import__/system, no import of os."""
    for module in sorted(package_dir.rglob("*.py")):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            assert not (isinstance(node, ast.Name) and node.id == "__import__"), module.name
            assert not (isinstance(node, ast.Attribute) and node.attr == "system"), module.name
            if isinstance(node, ast.Import | ast.ImportFrom) and module.name not in (*RUNTIME_FILES, "__init__.py"):
                names = [a.name for a in node.names]
                assert "os" not in names and getattr(node, "module", None) != "os", (module.name, names)


def test_enum_values_are_the_spec_values(hostile):
    choice = hostile.models.Thing.model_fields["choice"].annotation
    literal = next(a for a in typing.get_args(choice) if typing.get_origin(a) is typing.Literal) if typing.get_origin(choice) is not typing.Literal else choice
    assert list(typing.get_args(literal)) == PAYLOADS
    alias = getattr(hostile.models, "ImportOsSystemTouchCanary")
    assert list(typing.get_args(alias)) == PAYLOADS


def test_docstrings_keep_the_spec_text(hostile):
    doc = hostile.models.Thing.__doc__
    assert 'import os; os.system(\'touch CANARY\')' in doc and '"""; __import__("os")' in doc and "日本語 🚀" in doc


def record(answer_json: object | None = None, status: int = 200):
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        request.read()
        seen.append(request)
        if answer_json is None:
            return httpx.Response(status)
        return httpx.Response(status, json=answer_json)

    return seen, httpx.Client(transport=httpx.MockTransport(answer))


def thing_body() -> dict[str, object]:
    return {p: f"value of {p}" for p in PAYLOADS} | {"choice": PAYLOADS[4]}


def test_get_sends_every_wire_name_as_written(hostile):
    seen, http = record(thing_body())
    keys = {"header": "X-Key'#|~!", "query": PAYLOADS[0], "cookie": "sess'#!"}
    with hostile.Client(base_url="http://h.test/base", http_client=http, import_os_system_touch_canary="k1",
                        import_os_os_system_touch_canary="k2", credential_7_7_raw_endraw_if_true_lipsum_globals_endif_c="k3") as client:
        thing = client.items.x_y.retrieve(
            'a/"b\'#', "c d%", import_os_os_system_touch_canary=7, import_os_system_touch_canary=PAYLOADS[8],
            def_=True, x_hostile="h", ck="c",
        )
    request = seen[0]
    assert request.method == "GET"
    # literal characters of the path template are percent-encoded, values too: the server sees the spec's
    # path; the key's `#fragment` is not part of the request
    assert request.url.raw_path.split(b"?")[0] == b"/base/items/a%2F%22b%27%23/c%20d%25/x'%25%20y"
    query = httpx.QueryParams(request.url.query.decode())
    assert dict(query.multi_items()) == {PAYLOADS[6]: "7", PAYLOADS[0]: PAYLOADS[8], "def": "true"}
    assert request.headers["X-Hostile'#|~!*%"] == "h"
    assert request.headers[keys["header"]] == "k1"
    cookies = request.headers["cookie"]
    assert "ck'#!|~=c" in cookies
    assert isinstance(thing, hostile.models.Thing)
    assert thing.model_dump(by_alias=True, exclude_unset=True) == thing_body()


def test_security_schemes_use_their_wire_names(hostile):
    for kwargs, check in (
        ({"import_os_system_touch_canary": "k1"}, lambda r: r.headers["X-Key'#|~!"] == "k1"),
    ):
        seen, http = record(thing_body())
        with hostile.Client(base_url="http://h.test", http_client=http, **kwargs) as client:
            client.items.x_y.retrieve("a", "b")
        assert check(seen[0])
    ops = hostile.client._SCHEMES
    assert set(ops) == {PAYLOADS[0], PAYLOADS[6], PAYLOADS[9]}
    assert ops[PAYLOADS[6]].param_name == PAYLOADS[0] and ops[PAYLOADS[6]].location == "query"
    assert ops[PAYLOADS[9]].param_name == "sess'#!" and ops[PAYLOADS[9]].location == "cookie"


def test_post_body_uses_property_names_and_the_media_type(hostile):
    seen, http = record(status=204)
    with hostile.Client(base_url="http://h.test", http_client=http, import_os_system_touch_canary="k") as client:
        client.items.x_y.update("a", "b", body=hostile.models.Thing.model_validate(thing_body()))
    request = seen[0]
    assert request.headers["content-type"] == 'application/vnd.hostile"\'#+json'
    sent = json.loads(request.content)
    assert sent == thing_body()


def test_events_are_typed_by_the_hostile_discriminator_values(hostile):
    lines = []
    for kind in (PAYLOADS[1], PAYLOADS[6]):
        lines.append(f"data: {json.dumps({PAYLOADS[0]: kind})}\n\n")

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"content-type": "text/event-stream"}, content="".join(lines).encode())

    http = httpx.Client(transport=httpx.MockTransport(answer))
    with hostile.Client(base_url="http://h.test", http_client=http, import_os_system_touch_canary="k") as client:
        with client.events.retrieve("x") as stream:
            events = list(stream)
    assert [type(e).__name__ for e in events] == ["Cat", "Dog"]


def test_server_url_comes_from_its_variables(hostile):
    seen, http = record(thing_body())
    with hostile.Client(http_client=http, import_os_system_touch_canary="k") as client:
        client.items.x_y.retrieve("a", "b")
    assert str(seen[0].url) == "https://api.example.com/base/items/a/b/x'%25%20y"
