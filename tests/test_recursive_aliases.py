"""Recursive aliases (golden case `recursive_aliases`): `A = list[A]`, maps and unions of themselves, two
aliases naming each other. They are written as TypeAliasType with a lazily evaluated string, so they
import, validate data of any depth, and pass mypy --strict (test_generated_code)."""

from __future__ import annotations

import importlib
import sys

import httpx
import pydantic
import pytest

import golden


@pytest.fixture(scope="module")
def package(tmp_path_factory):
    root = tmp_path_factory.mktemp("recursive")
    golden.write_package("recursive_aliases", root)
    sys.path.insert(0, str(root))
    try:
        yield importlib.import_module("recursive_aliases_client.models"), importlib.import_module("recursive_aliases_client")
    finally:
        sys.path.remove(str(root))


@pytest.mark.parametrize(
    ("alias", "good", "bad"),
    [
        ("A", [[[]], []], [[1]]),
        ("M", {"a": {"b": {}}}, {"a": 1}),
        ("U", ["x", ["y", ["z"]]], [1]),
        ("Json", {"a": [1.5, "s", None, {"b": []}]}, {"a": True, "b": [object()]}),
        ("Pair", [{"k": [[{"j": []}]]}], [{"k": [1]}]),
        # an alias that is only the name of another on its cycle (a pydantic-core segfault as TypeAliasType)
        ("Ptr", {"a": {"b": {}}}, {"a": 1}),
        ("WrapperMap", {"a": {"b": {}}}, {"a": 1}),
        ("Wrapper", {"a": {"b": {}}}, {"a": 1}),
        ("Card", {"next": {"next": {}}}, {"next": 1}),
        ("Deck", {"top": {"next": {}}}, {"top": {"next": 1}}),
    ],
)
def test_recursive_alias_validates_any_depth(package, alias, good, bad):
    models, _ = package
    adapter = pydantic.TypeAdapter(getattr(models, alias))
    assert adapter.dump_python(adapter.validate_python(good), mode="json", by_alias=True, exclude_unset=True) == good
    with pytest.raises(pydantic.ValidationError):
        adapter.validate_python(bad)


def test_a_response_typed_by_a_recursive_alias_is_parsed(package):
    _, client_package = package
    http = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(200, json=[[], [[]]])))
    with client_package.Client(base_url="http://h.test", http_client=http) as client:
        assert client.a.retrieve() == [[], [[]]]


def test_recursive_model_still_a_class(package):
    models, _ = package
    node = models.Node.model_validate({"children": [{"children": [], "tree": {"x": {}}}]})
    assert node.children[0].tree == {"x": {}}


def test_null_schemas_in_unions_build_and_validate(tmp_path):
    """Golden case `null_schemas`: a reference to a null-only schema is `None` itself, so no annotation
    evaluates `None | None` (found by fuzzing: a TypeError at import or on first validation)."""
    golden.write_package("null_schemas", tmp_path)
    sys.path.insert(0, str(tmp_path))
    try:
        models = importlib.import_module("null_schemas_client.models")
        holder = models.Holder.model_validate({"nothing": None, "maybe": 3, "many": [None, None]})
        assert (holder.nothing, holder.maybe, holder.many) == (None, 3, [None, None])
        for alias, value in (("Both", None), ("InMap", {"a": 1, "b": None}), ("Maybe", "s"), ("Nothing2", None)):
            assert pydantic.TypeAdapter(getattr(models, alias)).validate_python(value) == value
        client_package = importlib.import_module("null_schemas_client")
        http = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(200, json=None)))
        with client_package.Client(base_url="http://h.test", http_client=http) as client:
            assert client.n.retrieve(q="x") is None
    finally:
        sys.path.remove(str(tmp_path))
