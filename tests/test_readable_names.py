"""Readable names: field names that keep their wire names, class names from where a schema lives, and
argument descriptions found on referenced schemas. The golden case `readable_names` shows the whole
output; these pin the rules, and OpenAI's spec (tests/large/openai) is the target they were made for."""

from __future__ import annotations

import gzip
import keyword
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel

from generator.build import lower_client
from generator.config import ClientConfig
from generator.lower import model_names
from generator.names import BASEMODEL_ATTRS, NameScope, field_identifier

OPENAI = Path(__file__).resolve().parent / "large" / "openai" / "openai-openapi.yaml.gz"


def test_fields_keep_builtin_names_and_rename_only_what_would_shadow():
    for wire in ("object", "type", "id", "bytes", "annotations", "input", "model_name", "line1"):
        assert field_identifier(wire) == wire
    for wire in ("class", "json", "schema", "copy", "dict", "model_config", "model_dump"):
        assert field_identifier(wire) == wire + "_"
    assert field_identifier("_") == "field"
    assert field_identifier("createdAt") == "created_at"
    assert field_identifier("date", shadowed={"date", "str"}) == "date_"  # `date: date` in one class body
    assert field_identifier("bytes", shadowed={"str"}) == "bytes"


def test_the_reserved_list_holds_every_public_attribute_of_basemodel():
    public = {name for name in dir(BaseModel) if not name.startswith("_")}
    assert public <= BASEMODEL_ATTRS


@given(st.text())
def test_every_wire_name_becomes_a_safe_field_name(wire):
    name = field_identifier(wire)
    assert name.isidentifier() and not keyword.iskeyword(name) and name not in BASEMODEL_ATTRS


class _Builtins(BaseModel):
    """Fields as the generator now writes them: named like builtins, no aliases."""

    object: str
    bytes: list[int] | None = None
    type: str = "a"
    id: int = 0
    annotations: list[str] = []


def test_a_field_named_like_a_builtin_works_on_a_pydantic_model():
    model = _Builtins.model_validate({"object": "chat.completion", "bytes": [1], "annotations": ["x"]})
    assert (model.object, model.bytes, model.annotations, model.type) == ("chat.completion", [1], ["x"], "a")
    assert model.model_dump(exclude_unset=True) == {"object": "chat.completion", "bytes": [1], "annotations": ["x"]}


def test_class_names_are_short_suffixes_of_where_the_schema_lives():
    scope = NameScope({"ToolResourcesFileSearch"})
    hint = "CreateAssistantRequest/ToolResources/FileSearch"
    assert model_names.candidates(hint) == ["ToolResourcesFileSearch", "CreateAssistantRequestToolResourcesFileSearch"]
    assert model_names.claim(scope, hint) == "CreateAssistantRequestToolResourcesFileSearch"
    assert model_names.claim(NameScope(), hint, "File search options") == "FileSearchOptions"
    assert model_names.item("Assistant/VectorStores") == "Assistant/VectorStore"
    assert model_names.item("Assistant/Entries") == "Assistant/Entry"
    assert model_names.item("Assistant/Data") == "Assistant/DataItem"
    assert model_names.item("Assistant/Status") == "Assistant/StatusItem"


def test_names_stay_under_the_limit_and_a_number_never_pushes_one_over():
    long = "RealtimeServerEventConversationItemInputAudioTranscriptionCompleted"
    assert model_names.component_candidates(long, "")[0] == "ConversationItemInputAudioTranscriptionCompleted"
    assert model_names.component_candidates("Pet", "A title") == ["Pet"]
    scope = NameScope()
    names = [model_names.claim(scope, f"{long}/Error") for _ in range(30)]
    assert len(set(names)) == 30 and max(map(len, names)) <= model_names.MAX_LENGTH


def test_union_members_are_named_by_what_tells_them_apart():
    def resolve(pointer: str) -> object:
        return members_by_pointer.get(pointer, {})

    typed = [{"properties": {"type": {"const": "auto"}}}, {"properties": {"type": {"enum": ["static"]}}}]
    members_by_pointer = {"/u/0/properties/type": typed[0]["properties"]["type"], "/u/1/properties/type": typed[1]["properties"]["type"]}
    assert model_names.member_tags(typed, "/u", "", resolve) == ["Auto", "Static"]
    held = [{"properties": {"file_search": {}}}, {"properties": {"code_interpreter": {}}}]
    assert model_names.member_tags(held, "/u", "", resolve) == ["FileSearch", "CodeInterpreter"]
    alike = [{"properties": {"a": {}}}, {"properties": {"a": {}, "b": {}}}]
    assert model_names.member_tags(alike, "/u", "", resolve) == ["Option1", "Option2"]
    nullable = [{"properties": {"a": {}}}, {"type": "null"}, {"$ref": "#/x"}]
    assert model_names.member_tags(nullable, "/u", "", resolve) == ["", "", ""]


@pytest.fixture(scope="module")
def openai_api(tmp_path_factory):
    folder = tmp_path_factory.mktemp("openai")
    spec = folder / "openai-openapi.yaml"
    with gzip.open(OPENAI, "rb") as source, spec.open("wb") as target:
        shutil.copyfileobj(source, target)
    api, _ = lower_client(ClientConfig("openai_client", spec, folder / "out", spec.name))
    return api


def test_openai_names_are_at_most_50_characters_without_option_numbers(openai_api):
    names = [m.name for m in openai_api.models] + [a.name for a in openai_api.aliases]
    assert len(names) > 1900
    assert [n for n in names if len(n) > model_names.MAX_LENGTH] == []
    assert [n for n in names if re.search(r"Option\d", n)] == []  # the issue counted 228
    fields = {f.py_name for m in openai_api.models for f in m.fields}
    assert {"object", "type", "id", "bytes", "annotations"} <= fields
    assert {f for f in fields if f.endswith("_")} == {"schema_"}


def test_openai_chat_call_documents_every_argument(openai_api):
    op = next(op for op in openai_api.operations if op.operation_id == "createChatCompletion")
    assert op.body is not None and op.body.fields is not None
    arguments = [(p.py_name, p.description) for p in op.parameters] + [(f.py_name, f.description) for f in op.body.fields]
    assert len(arguments) >= 36
    assert [name for name, description in arguments if not description.strip()] == []
