"""A generated client sends the query strings and form bodies OpenAPI's `style`/`explode` and a form
body's `encoding` describe (golden case `serialization`, modelled on Stripe): checked byte for byte."""

from __future__ import annotations

import importlib
import sys

import httpx
import pytest

import golden
from resource_paths import method_of


@pytest.fixture(scope="module")
def package(tmp_path_factory):
    root = tmp_path_factory.mktemp("serialization")
    golden.write_package("serialization", root)
    sys.path.insert(0, str(root))
    try:
        yield importlib.import_module("serialization_client")
    finally:
        sys.path.remove(str(root))


def sent(package, method: str, *args, **kwargs) -> httpx.Request:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        request.read()
        seen.append(request)
        return httpx.Response(200, json={})

    with package.Client(http_client=httpx.Client(transport=httpx.MockTransport(answer))) as client:
        method_of(client, method)(*args, **kwargs)
    return seen[0]


def test_every_query_style_on_the_wire(package):
    request = sent(
        package,
        "charges.list",
        created={"gt": 1700000000, "lte": 1800000000},
        expand=["customer", "invoice.lines"],
        ids=[1, 2, 3],
        tags=["red", "green"],
        codes=["a", "b"],
        colors=["blue", "black"],
        point={"x": 1, "y": 2},
        box={"w": 3, "h": 4},
    )
    assert request.url.query.decode() == (
        "box=w%2C3%2Ch%2C4"  # form, explode false: name=key,value,key,value
        "&codes=a%7Cb"  # pipeDelimited
        "&colors=blue&colors=black"  # form, exploded (the default)
        "&created%5Bgt%5D=1700000000&created%5Blte%5D=1800000000"  # deepObject
        "&expand%5B%5D=customer&expand%5B%5D=invoice.lines"  # deepObject list: Stripe's expand[]
        "&ids=1%2C2%2C3"  # form, explode false
        "&x=1&y=2"  # form, exploded object: one pair per property
        "&tags=red+green"  # spaceDelimited
    )


def test_deep_object_parameter_takes_its_scalar_branch_as_is(package):
    request = sent(package, "charges.list", created=1700000000)
    assert request.url.query == b"created=1700000000"


def test_stripe_form_body_on_the_wire(package):
    request = sent(
        package,
        "charges.create",
        amount=2000,
        capture=False,
        expand=["customer", "balance_transaction"],
        metadata={"order_id": "6735", "note": "a&b=c"},
        items=[{"price": "price_1", "quantity": 2}, {"price": "price_2", "quantity": 1}],
        shipping={"name": "Jenny Rosen", "address": {"line1": "510 Townsend St", "city": "SF"}},
        ids=[7, 8],
        labels=["x", "y"],
    )
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert request.content.decode() == (
        "amount=2000&capture=false"
        "&expand%5B%5D=customer&expand%5B%5D=balance_transaction"
        "&ids=7%2C8"
        "&items%5B0%5D%5Bprice%5D=price_1&items%5B0%5D%5Bquantity%5D=2"
        "&items%5B1%5D%5Bprice%5D=price_2&items%5B1%5D%5Bquantity%5D=1"
        "&labels=x&labels=y"
        "&metadata%5Border_id%5D=6735&metadata%5Bnote%5D=a%26b%3Dc"
        "&shipping%5Bname%5D=Jenny+Rosen"  # nested objects keep the order they were given in
        "&shipping%5Baddress%5D%5Bline1%5D=510+Townsend+St&shipping%5Baddress%5D%5Bcity%5D=SF"
    )


def test_models_are_form_encoded_by_wire_name(package):
    """A pydantic model given for a deepObject field goes by its wire names, unset fields left out."""
    models = package.models
    shipping_type = next(name for name in dir(models) if name.startswith("PostChargesBodyShipping") and not name.endswith("Address"))
    shipping = getattr(models, shipping_type)(name="J")
    request = sent(package, "charges.create", amount=1, shipping=shipping)
    assert request.content == b"amount=1&shipping%5Bname%5D=J"
