import keyword

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.names import NameScope, make_identifier, pascal_case, snake_case


def test_casing_of_real_spec_names():
    assert snake_case("executeWorkflow") == "execute_workflow"
    assert snake_case("create_workflow_run") == "create_workflow_run"
    assert snake_case("Idempotency-Key") == "idempotency_key"
    assert snake_case("created[gt]") == "created_gt"
    assert snake_case("HTTPBearer") == "http_bearer"
    assert pascal_case("issuing.card") == "IssuingCard"
    assert pascal_case("internal_adapters_http_in_catalog.ExecutorSummary") == "InternalAdaptersHttpInCatalogExecutorSummary"
    assert pascal_case("Workflow ausführen") == "WorkflowAusfuhren"


def test_unsafe_names_are_made_safe():
    assert make_identifier("class", style="snake", fallback="field") == "class_"
    assert make_identifier("str", style="snake", fallback="field") == "str_"
    assert make_identifier("model_config", style="snake", fallback="field") == "model_config_"
    assert make_identifier("json", style="snake", fallback="field") == "json_"
    assert make_identifier("id", style="snake", fallback="field") == "id"
    assert make_identifier("200", style="snake", fallback="field") == "field_200"
    assert make_identifier("200", style="pascal", fallback="Model") == "Model200"
    assert make_identifier("!!!", style="snake", fallback="field") == "field"
    assert make_identifier("Exception", style="pascal", fallback="Model") == "Exception_"
    assert make_identifier("UUID", style="pascal", fallback="Model") == "Uuid"


@given(st.text())
def test_every_text_becomes_a_safe_identifier(text):
    for style, fallback in (("snake", "field"), ("pascal", "Model")):
        name = make_identifier(text, style=style, fallback=fallback)
        assert name.isidentifier() and name.isascii() and not keyword.iskeyword(name)


def test_scope_resolves_collisions_explicitly_and_case_insensitively():
    scope = NameScope({"Client"})
    assert scope.claim("client") == "client_2"
    assert scope.claim("created") == "created"
    assert scope.claim("created", alternatives=("created_query",)) == "created_query"
    assert scope.claim("created") == "created_2"
    assert scope.claim("Created") == "Created_3"


def test_every_name_a_package_exports_besides_models_is_reserved_for_models():
    from generator.names import MODULE_RESERVED
    from generator.render import error_class_names

    assert set(error_class_names()) <= MODULE_RESERVED
    assert {"Client", "AsyncClient", "NOT_GIVEN", "NotGiven", "APIResponse", "Stream", "AsyncStream", "ServerSentEvent"} <= MODULE_RESERVED


def test_digits_stay_with_the_word_they_follow():
    assert snake_case("line1") == "line1"
    assert snake_case("address_line2") == "address_line2"
    assert snake_case("verifone_p400") == "verifone_p400"
    assert snake_case("ssn_last_4") == "ssn_last_4"
    assert snake_case("HTTPBearer2Auth") == "http_bearer2_auth"
    assert make_identifier("2fa", style="snake", fallback="field") == "field_2fa"
    assert snake_case("line1") != snake_case("line_1")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a2a", "a2a"),  # Agno's `/a2a/...` resource: `client.a2a`, not `client.a2_a`
        ("A2ACard", "a2a_card"),
        ("e2eTest", "e2e_test"),
        ("v1beta1", "v1beta1"),
        ("gpt-4o-mini", "gpt_4o_mini"),
        ("3DSecure", "3d_secure"),
        ("S3Bucket", "s3_bucket"),  # a capital starts a word
        ("oauth2Token", "oauth2_token"),
        ("A2a", "a2_a"),  # a change of case starts a word
        ("a_2_a", "a_2_a"),  # written separators stay
        ("404NotFound", "404_not_found"),
    ],
)
def test_letters_after_digits_in_the_same_case_stay_on_the_word(text: str, expected: str) -> None:
    assert snake_case(text) == expected


def test_exact_names_win_and_the_rest_follow_in_order():
    wanted = [(w, make_identifier(w, style="snake", fallback="f")) for w in ["CREATED", "Created", "created", "created-at", "createdAt", "created_at"]]
    assert NameScope().claim_all(wanted) == ["created_2", "created_3", "created", "created_at_2", "created_at_3", "created_at"]
    classes = [(k, make_identifier(k, style="pascal", fallback="M")) for k in ["Issuing.Card", "IssuingCard", "issuing.card", "issuing_card"]]
    assert NameScope().claim_all(classes) == ["IssuingCard_2", "IssuingCard", "IssuingCard_3", "IssuingCard_4"]
    assert NameScope().claim_all([("a", "a"), ("A", "a")], alternatives=[("a_query",), ("a_header",)]) == ["a", "a_header"]
