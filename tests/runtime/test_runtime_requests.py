"""Request building: URL, query, headers, cookies, bodies and auth, checked on the wire."""

from __future__ import annotations

import base64
import datetime as dt
import email.parser
import email.policy
import enum
import importlib
import io
import json
import uuid
from decimal import Decimal

import httpx
import pytest
from runtime_support import Server, reply

PET = {"id": 1, "name": "Rex"}


class Color(enum.Enum):
    RED = "red"


def parts_of(request: httpx.Request) -> list:
    """Parse a multipart/form-data body with the stdlib email parser."""
    head = f"Content-Type: {request.headers['content-type']}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + request.content)
    return list(message.iter_parts())


# --- URL ---------------------------------------------------------------------------------------


def test_path_params_are_percent_encoded_and_base_path_kept(rt, make_client):
    server = Server(reply(200, json=PET))
    client = make_client(server)
    client._request(rt.get_pet, path={"petId": "a b/c?d#é✓"})
    assert server.last.method == "GET"
    assert server.last.url.host == "api.example.com"
    assert server.last.url.raw_path == b"/v1/pets/a%20b%2Fc%3Fd%23%C3%A9%E2%9C%93"


@pytest.mark.parametrize(
    "template, expected",
    [
        ("/files/{petId}/x'#%", b"/v1/files/7/x'%23%25"),  # `#` would start a fragment, `%` an escape
        ("/a b/{petId}?q", b"/v1/a%20b/7%3Fq"),
        ("/already%20escaped/{petId}", b"/v1/already%20escaped/7"),
        ("/ünï/{petId}:run", b"/v1/%C3%BCn%C3%AF/7:run"),
    ],
)
def test_path_template_text_stays_in_the_path(rt, make_client, template, expected):
    server = Server(reply(200, json=PET))
    operation = rt.base.Operation("GET", template, {"200": rt.base.ResponseSpec("application/json", "Pet")})
    make_client(server)._request(operation, path={"petId": 7})
    assert server.last.url.raw_path == expected
    assert server.last.url.query == b""


@pytest.mark.parametrize("base_url", ["https://api.example.com/v1/", "https://api.example.com/v1"])
def test_base_url_trailing_slash(rt, make_client, base_url):
    server = Server(reply(200, json=PET))
    make_client(server, base_url=base_url)._request(rt.get_pet, path={"petId": 7})
    assert str(server.last.url) == "https://api.example.com/v1/pets/7"


@pytest.mark.parametrize(
    "value, expected",
    [
        (True, b"/v1/pets/true"),
        (uuid.UUID(int=1), b"/v1/pets/00000000-0000-0000-0000-000000000001"),
        (Color.RED, b"/v1/pets/red"),
        (dt.date(2024, 5, 6), b"/v1/pets/2024-05-06"),
        (2.5, b"/v1/pets/2.5"),
    ],
)
def test_path_param_values(rt, make_client, value, expected):
    server = Server(reply(200, json=PET))
    make_client(server)._request(rt.get_pet, path={"petId": value})
    assert server.last.url.raw_path == expected


@pytest.mark.parametrize("value", ["", None, "NOT_GIVEN"])
def test_empty_path_param_is_refused(rt, make_client, value):
    server = Server()
    value = rt.base.NOT_GIVEN if value == "NOT_GIVEN" else value
    with pytest.raises(ValueError, match="petId"):
        make_client(server)._request(rt.get_pet, path={"petId": value})
    assert server.requests == []


def test_query_encoding(rt, make_client):
    server = Server(reply(200, json=[]))
    when = dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)
    make_client(server)._request(
        rt.list_pets,
        query={
            "tags": ["a b", "c&d"],
            "active": True,
            "archived": False,
            "limit": 10,
            "skip": rt.base.NOT_GIVEN,
            "cursor": None,
            "since": when,
            "color": Color.RED,
        },
        extra_query={"limit": 20, "debug": "1", "filter": {"owner": {"name": "x"}, "ids": [1, 2]}},
    )
    assert server.last.url.query == (
        b"tags=a+b&tags=c%26d&active=true&archived=false"
        b"&since=2024-01-02T03%3A04%3A05%2B00%3A00&color=red&limit=20&debug=1"
        b"&filter%5Bowner%5D%5Bname%5D=x&filter%5Bids%5D%5B%5D=1&filter%5Bids%5D%5B%5D=2"
    )


def test_query_names_repeated_apart_are_grouped_as_httpx_groups_them(rt, make_client):
    """The client writes the query string itself; it must be the one httpx makes of `params=`: a
    name's values together, at the name's first place."""
    server = Server(reply(200, json=[]))
    make_client(server)._request(rt.list_pets, query={"point": {"x": 1}, "y": 2, "x": [3, 4]})
    assert server.last.url.query == b"x=1&x=3&x=4&y=2"


def test_query_merges_with_the_http_clients_own_params(rt, make_client):
    """An httpx client made with `params=` keeps them; the call's values win for a shared name."""
    server = Server(reply(200, json=[]))
    client = make_client(server)
    client._http = rt.httpx.Client(
        transport=rt.httpx.MockTransport(server), params={"v": "1", "limit": "5"}
    )
    client._request(rt.list_pets, query={"limit": 10, "tags": ["a b"]})
    assert server.last.url.params.multi_items() == [("v", "1"), ("limit", "10"), ("tags", "a b")]


STYLED = {
    "ids": [1, 2],
    "point": {"x": 1, "y": "a b"},
    "created": {"gt": 5, "lte": 9},
    "expand": ["customer", "invoice.lines"],
    "items": [{"price": "p1", "qty": 2}],
}


@pytest.mark.parametrize(
    "style, explode, expected",
    [
        # OpenAPI's style table: form exploded is the default for query parameters
        ("form", True, "ids=1&ids=2&x=1&y=a b&gt=5&lte=9&expand=customer&expand=invoice.lines"),
        ("form", False, "ids=1,2&point=x,1,y,a b&created=gt,5,lte,9&expand=customer,invoice.lines"),
        ("spaceDelimited", False, "ids=1 2&point=x,1,y,a b&created=gt,5,lte,9&expand=customer invoice.lines"),
        ("pipeDelimited", False, "ids=1|2&point=x,1,y,a b&created=gt,5,lte,9&expand=customer|invoice.lines"),
        (
            "deepObject",
            True,
            "ids[]=1&ids[]=2&point[x]=1&point[y]=a b&created[gt]=5&created[lte]=9"
            "&expand[]=customer&expand[]=invoice.lines",
        ),
    ],
)
def test_query_styles(rt, make_client, style, explode, expected):
    """Each style on the wire, decoded; lists of objects use indexed brackets in every style."""
    op = rt.base.Operation(
        "GET",
        "/search",
        {"200": rt.base.ResponseSpec("application/json", None)},
        styles=tuple(("query", name, style, explode) for name in STYLED),
    )
    server = Server(reply(200, json={}))
    make_client(server)._request(op, query=STYLED)
    pairs = server.last.url.params.multi_items()
    items = [("items[0][price]", "p1"), ("items[0][qty]", "2")]
    assert pairs == [tuple(p.split("=", 1)) for p in expected.split("&")] + items


def test_styles_apply_per_parameter_and_only_to_the_query(rt, make_client):
    """Stripe: `created` as deepObject next to a literal `created[gt]`, a scalar sent to a deepObject
    parameter as itself, and a body field of the same name keeping the default form style."""
    op = rt.base.Operation(
        "POST",
        "/charges",
        {"200": rt.base.ResponseSpec("application/json", None)},
        content_type="application/x-www-form-urlencoded",
        styles=(("query", "created", "deepObject", True), ("query", "limit", "deepObject", True)),
    )
    server = Server(reply(200, json={}))
    make_client(server)._request(
        op,
        query={"created": {"gt": 1}, "created[gt]": 2, "limit": 3},
        body={"created": {"gt": 4}},
    )
    assert server.last.url.query == b"created%5Bgt%5D=1&created%5Bgt%5D=2&limit=3"
    assert server.last.content == b"gt=4"


def test_object_header_and_path_values_use_the_simple_style(rt, make_client):
    server = Server(reply(200, json=PET))
    make_client(server)._request(
        rt.get_pet,
        path={"petId": {"kind": "dog", "id": 7}},
        headers={"X-Filter": {"a": 1, "b": None, "c": "x y"}},
    )
    assert server.last.url.raw_path == b"/v1/pets/kind%2Cdog%2Cid%2C7"
    assert server.last.headers["X-Filter"] == "a,1,c,x y"


def test_headers_layering(rt, make_client):
    server = Server(reply(200, json=[]))
    client = make_client(server, default_headers={"X-Team": "t1", "X-Trace": "default"})
    client._request(
        rt.list_pets,
        headers={
            "X-Count": 3,
            "X-Flag": True,
            "X-Skip": rt.base.NOT_GIVEN,
            "X-None": None,
            "X-Trace": "op",
        },
        extra_headers={"X-Extra": "e", "x-count": "4"},
    )
    headers = server.last.headers
    assert headers["User-Agent"] == f"{rt.name} (clientgen)"
    assert headers["Accept"] == "application/json"
    assert headers["X-Team"] == "t1"
    assert headers["X-Trace"] == "op"
    assert headers["X-Count"] == "4"
    assert headers["X-Flag"] == "true"
    assert headers["X-Extra"] == "e"
    assert "X-Skip" not in headers and "X-None" not in headers
    assert "Content-Type" not in headers  # no body


def test_cookie_params(rt, make_client):
    server = Server(reply(200, json=[]))
    make_client(server)._request(
        rt.list_pets, cookies={"lang": "en", "pref": "a b;c", "gone": rt.base.NOT_GIVEN}
    )
    assert server.last.headers["Cookie"] == "lang=en; pref=a%20b%3Bc"


# --- bodies ------------------------------------------------------------------------------------


def test_json_body_exact_bytes(rt, make_client):
    server = Server(reply(201, json=PET))
    make_client(server)._request(
        rt.create_pet,
        body={
            "name": "Grüße ✓",
            "tag": None,
            "skip": rt.base.NOT_GIVEN,
            "id": uuid.UUID(int=2),
            "born": dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc),
            "color": Color.RED,
            "price": Decimal("1.50"),
            "nested": {"a": [1, {"b": rt.base.NOT_GIVEN, "c": True}]},
        },
    )
    assert server.last.headers["Content-Type"] == "application/json"
    assert (
        server.last.content
        == (
            '{"name":"Grüße ✓","tag":null,"id":"00000000-0000-0000-0000-000000000002",'
            '"born":"2024-01-02T03:04:05Z","color":"red","price":"1.50","nested":{"a":[1,{"c":true}]}}'
        ).encode()
    )


def test_json_body_models_by_alias_and_unset_left_out(rt, make_client):
    models = importlib.import_module(f"{rt.name}.models")
    server = Server(reply(201, json=PET))
    client = make_client(server)
    client._request(rt.create_pet, body=models.Pet(id=1, name="Rex", owner_id="o1"))
    assert server.last.content == b'{"id":1,"name":"Rex","ownerId":"o1"}'
    client._request(rt.create_pet, body=[models.Pet(id=2, name="A", tag=None)])
    assert server.last.content == b'[{"id":2,"name":"A","tag":null}]'
    client._request(rt.create_pet, body="text")
    assert server.last.content == b'"text"'


def test_form_body_exact_bytes(rt, make_client):
    """Stripe's form bodies: every structured field has `encoding: {style: deepObject, explode: true}`."""
    op = rt.base.Operation(
        "POST",
        "/charges",
        {"200": rt.base.ResponseSpec("application/json", None)},
        content_type="application/x-www-form-urlencoded",
        styles=tuple(("body", name, "deepObject", True) for name in ("expand", "metadata", "items")),
    )
    server = Server(reply(200, json={}))
    make_client(server)._request(
        op,
        body={
            "amount": 100,
            "capture": False,
            "description": None,
            "gone": rt.base.NOT_GIVEN,
            "expand": ["customer", "invoice"],
            "metadata": {"order": "a&b", "empty": None, "tags": ["x", "y"]},
            "items": [{"price": "p1", "qty": 2}],
        },
    )
    assert server.last.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert server.last.content == (
        b"amount=100&capture=false&expand%5B%5D=customer&expand%5B%5D=invoice"
        b"&metadata%5Border%5D=a%26b&metadata%5Btags%5D%5B%5D=x&metadata%5Btags%5D%5B%5D=y"
        b"&items%5B0%5D%5Bprice%5D=p1&items%5B0%5D%5Bqty%5D=2"
    )


def test_form_body_default_style_is_form_exploded(rt, make_client):
    """Without an `encoding` entry a form field is `form`, exploded: lists repeat the key and an
    object's properties become fields of their own (OpenAPI's default, as for query parameters)."""
    op = rt.base.Operation(
        "POST",
        "/charges",
        {"200": rt.base.ResponseSpec("application/json", None)},
        content_type="application/x-www-form-urlencoded",
        styles=(("body", "ids", "form", False),),
    )
    server = Server(reply(200, json={}))
    make_client(server)._request(
        op, body={"tags": ["a", "b"], "point": {"x": 1, "y": 2}, "ids": [1, 2]}
    )
    assert server.last.content == b"tags=a&tags=b&x=1&y=2&ids=1%2C2"


def test_multipart_deep_object_field(rt, make_client):
    """Stripe's file upload: a multipart field with deepObject encoding goes as bracketed text parts."""
    op = rt.base.Operation(
        "POST",
        "/files",
        {"200": rt.base.ResponseSpec("application/json", None)},
        content_type="multipart/form-data",
        styles=(("body", "file_link_data", "deepObject", True),),
    )
    server = Server(reply(200, json={}))
    make_client(server)._request(
        op, body={"file": b"%PDF", "file_link_data": {"create": True, "metadata": {"a": "b"}}}
    )
    parts = parts_of(server.last)
    names = [part.get_param("name", header="content-disposition") for part in parts]
    assert names == ["file", "file_link_data[create]", "file_link_data[metadata][a]"]
    assert [part.get_content() for part in parts[1:]] == ["true", "b"]


def test_multipart_with_file(rt, make_client):
    op = rt.base.Operation(
        "POST",
        "/files",
        {"200": rt.base.ResponseSpec("application/json", None)},
        content_type="multipart/form-data",
    )
    server = Server(reply(200, json={}))
    make_client(server)._request(
        op,
        body={
            "purpose": "assistants",
            "file": ("report.csv", b"a,b\n1,2\n", "text/csv"),
            "raw": io.BytesIO(b"\x00\x01"),
            "public": True,
            "meta": {"k": "v"},
            "tags": ["x", "y"],
            "gone": rt.base.NOT_GIVEN,
            "none": None,
        },
    )
    assert server.last.headers["Content-Type"].startswith("multipart/form-data; boundary=")
    parts = parts_of(server.last)
    summary = [
        (
            p.get_param("name", header="content-disposition"),
            p.get_filename(),
            p.get_content_type(),
            p.get_payload(decode=True),
        )
        for p in parts
    ]
    assert summary == [
        ("purpose", None, "text/plain", b"assistants"),
        ("file", "report.csv", "text/csv", b"a,b\n1,2\n"),
        ("raw", "upload", "application/octet-stream", b"\x00\x01"),
        ("public", None, "text/plain", b"true"),
        ("meta", None, "application/json", b'{"k":"v"}'),
        ("tags", None, "text/plain", b"x"),
        ("tags", None, "text/plain", b"y"),
    ]


def test_multipart_without_files_is_still_multipart(rt, make_client):
    op = rt.base.Operation(
        "POST",
        "/files",
        {"200": rt.base.ResponseSpec(None, None)},
        content_type="multipart/form-data",
    )
    server = Server(reply(200))
    make_client(server)._request(op, body={"purpose": "x"})
    assert server.last.headers["Content-Type"].startswith("multipart/form-data; boundary=")
    assert [p.get_payload(decode=True) for p in parts_of(server.last)] == [b"x"]


def test_raw_body_for_other_content_types(rt, make_client):
    op = rt.base.Operation(
        "PUT",
        "/blobs/{id}",
        {"204": rt.base.ResponseSpec(None, None)},
        content_type="application/octet-stream",
    )
    server = Server(reply(204))
    assert make_client(server)._request(op, path={"id": "b1"}, body=b"\x00\xff") is None
    assert server.last.headers["Content-Type"] == "application/octet-stream"
    assert server.last.content == b"\x00\xff"


# --- auth --------------------------------------------------------------------------------------


def op_with(rt, *alternatives):
    return rt.base.Operation(
        "GET", "/me", {"200": rt.base.ResponseSpec("application/json", None)}, security=alternatives
    )


def test_bearer(rt, make_client):
    server = Server(reply(200, json={}))
    make_client(server, credentials={"bearerAuth": "tok-1"})._request(op_with(rt, ("bearerAuth",)))
    assert server.last.headers["Authorization"] == "Bearer tok-1"


@pytest.mark.parametrize("credential", [("alice", "s3:cret"), "alice:s3:cret"])
def test_basic(rt, make_client, credential):
    server = Server(reply(200, json={}))
    make_client(server, credentials={"basicAuth": credential})._request(op_with(rt, ("basicAuth",)))
    assert server.last.headers["Authorization"] == httpx.BasicAuth("alice", "s3:cret")._auth_header
    assert (
        server.last.headers["Authorization"]
        == "Basic " + base64.b64encode(b"alice:s3:cret").decode()
    )


def test_api_key_locations(rt, make_client):
    server = Server(reply(200, json={}))
    creds = {"apiKeyHeader": "hk", "apiKeyQuery": "q k", "apiKeyCookie": "ck"}
    client = make_client(server, credentials=creds)
    client._request(op_with(rt, ("apiKeyHeader",)))
    assert server.last.headers["X-API-Key"] == "hk"
    client._request(op_with(rt, ("apiKeyQuery",)), query={"page": 2})
    assert server.last.url.query == b"page=2&api_key=q+k"
    client._request(op_with(rt, ("apiKeyCookie",)), cookies={"lang": "en"})
    assert server.last.headers["Cookie"] == "lang=en; session=ck"


def test_env_fallback_and_constructor_precedence(rt, make_client, monkeypatch):
    monkeypatch.setenv("RT_TOKEN", "from-env")
    monkeypatch.setenv("RT_BASIC", "bob:pw")
    server = Server(reply(200, json={}))
    make_client(server)._request(op_with(rt, ("bearerAuth",)))
    assert server.last.headers["Authorization"] == "Bearer from-env"
    make_client(server, credentials={"bearerAuth": "explicit"})._request(
        op_with(rt, ("bearerAuth",))
    )
    assert server.last.headers["Authorization"] == "Bearer explicit"
    make_client(server)._request(op_with(rt, ("basicAuth",)))
    assert server.last.headers["Authorization"] == "Basic " + base64.b64encode(b"bob:pw").decode()


def test_a_missing_credential_raises_before_sending(rt, make_client, monkeypatch):
    monkeypatch.setenv("RT_TOKEN", "")  # empty counts as unset
    server = Server(reply(200, json={}))
    with pytest.raises(rt.errors.MissingCredentialsError) as info:
        make_client(server)._request(op_with(rt, ("bearerAuth",), ("apiKeyHeader",)))
    assert server.requests == []
    assert "RT_TOKEN" in str(info.value) and "RT_API_KEY" in str(info.value)


def test_an_anonymous_capable_operation_is_sent_without_auth(rt, make_client):
    server = Server(reply(200, json={}))
    make_client(server)._request(op_with(rt, ("bearerAuth",), ()))
    assert "Authorization" not in server.last.headers


def test_alternatives_first_satisfied_wins_and_and_needs_all(rt, make_client):
    server = Server(reply(200, json={}))
    client = make_client(server, credentials={"apiKeyHeader": "hk", "apiKeyQuery": "qk"})
    client._request(
        op_with(rt, ("bearerAuth",), ("apiKeyHeader", "apiKeyQuery"), ("apiKeyHeader",))
    )
    assert server.last.headers["X-API-Key"] == "hk"
    assert server.last.url.params["api_key"] == "qk"
    client._request(op_with(rt, ("bearerAuth", "apiKeyHeader"), ("apiKeyQuery",)))
    assert "X-API-Key" not in server.last.headers and server.last.url.params["api_key"] == "qk"
    client._request(
        op_with(rt, (), ("apiKeyHeader",))
    )  # `{}` (auth optional) does not shadow a key
    assert server.last.headers["X-API-Key"] == "hk"
    client._request(op_with(rt))  # operation without security: nothing is sent
    assert "X-API-Key" not in server.last.headers and not server.last.url.query


def test_extra_headers_override_auth(rt, make_client):
    server = Server(reply(200, json={}))
    client = make_client(server, credentials={"bearerAuth": "tok"})
    client._request(op_with(rt, ("bearerAuth",)), extra_headers={"Authorization": "Bearer other"})
    assert server.last.headers["Authorization"] == "Bearer other"


def test_credential_type_is_checked(rt, make_client):
    with pytest.raises(TypeError, match="bearerAuth") as info:
        make_client(Server(), credentials={"bearerAuth": ("u", "secret-pw")})
    assert "secret-pw" not in str(info.value)
