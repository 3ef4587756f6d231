"""OAuth2 tokens the client looks after (issue 19), against authlib's authorization server on
127.0.0.1 (tests/runtime/oauth_server.py): client credentials with the secret as HTTP Basic or in the
body, caching until shortly before expiry, one renewal on a 401, refresh tokens, and concurrent first
calls (threads and asyncio) that fetch one token between them. Runs on httpx2 and on httpx."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from oauth_server import USER, OAuthState, oauth_server

LONG = {"client_credentials": 3600, "password": 3600, "refresh_token": 3600}


@pytest.fixture
def server() -> Iterator[tuple[str, OAuthState, dict[str, int]]]:
    lifetimes = dict(LONG)
    with oauth_server(lifetimes) as (url, state):
        yield url, state, lifetimes


def make(rt: Any, url: str, credential: Any, *, is_async: bool = False, token_auth: str = "client_secret_basic") -> Any:
    scheme = rt.base.SecurityScheme(
        "oauth2", token_url="/oauth/token", scopes=("pets:read",), token_auth=token_auth,
        client_env=("RT_CLIENT_ID", "RT_CLIENT_SECRET"),
    )
    cls = rt.base.AsyncAPIClient if is_async else rt.base.SyncAPIClient
    http = (rt.httpx.AsyncClient if is_async else rt.httpx.Client)(trust_env=False)
    return cls(base_url=f"{url}/v1", schemes={"oauth": scheme}, credentials={"oauth": credential}, http_client=http)


def pet_op(rt: Any) -> Any:
    responses = {"200": rt.base.ResponseSpec("application/json", "Pet")}
    return rt.base.Operation("GET", "/pets/{petId}", responses, security=(("oauth",),))


def get(client: Any, rt: Any, pet: int = 1) -> Any:
    return client._request(pet_op(rt), path={"petId": pet})


@pytest.mark.parametrize(("client_id", "secret", "method"), [
    ("basic-client", "basic-secret-123", "client_secret_basic"),
    ("post-client", "post-secret-456", "client_secret_post"),
])
def test_client_credentials_token_is_fetched_once_and_reused(rt, server, client_id, secret, method):
    url, state, _ = server
    client = make(rt, url, {"client_id": client_id, "client_secret": secret}, token_auth=method)
    assert [get(client, rt, n).id for n in (1, 2, 3)] == [1, 2, 3]
    assert state.grants == ["client_credentials"]
    assert len(set(state.api_tokens)) == 1 and state.tokens[state.api_tokens[0]].get_scope() == "pets:read"


def test_the_secret_goes_where_the_server_expects_it(rt, server):
    """The server lets each client use one method: the wrong one is refused, a typed error."""
    url, state, _ = server
    client = make(rt, url, {"client_id": "post-client", "client_secret": "post-secret-456"})  # basic
    with pytest.raises(rt.base.OAuth2TokenError) as info:
        get(client, rt)
    assert info.value.status_code in (400, 401) and info.value.body["error"] == "invalid_client"
    assert "post-secret-456" not in str(info.value)


def test_client_id_and_secret_from_the_environment(rt, server, monkeypatch):
    url, state, _ = server
    monkeypatch.setenv("RT_CLIENT_ID", "basic-client")
    monkeypatch.setenv("RT_CLIENT_SECRET", "basic-secret-123")
    assert get(make(rt, url, {}), rt).name == "Rex"
    assert state.grants == ["client_credentials"]


def test_a_token_about_to_expire_is_renewed_before_use(rt, server):
    url, state, lifetimes = server
    lifetimes["client_credentials"] = 10  # inside the client's 30-second leeway: stale at once
    client = make(rt, url, {"client_id": "basic-client", "client_secret": "basic-secret-123"})
    get(client, rt), get(client, rt)
    assert state.grants == ["client_credentials", "client_credentials"]
    assert len(set(state.api_tokens)) == 2


def test_a_rejected_token_is_renewed_once_then_the_call_repeats(rt, server):
    url, state, _ = server
    client = make(rt, url, {"client_id": "basic-client", "client_secret": "basic-secret-123"})
    get(client, rt)
    state.revoke_all()  # the server no longer accepts the cached token, which has not expired
    assert get(client, rt).name == "Rex"
    assert state.grants == ["client_credentials", "client_credentials"]
    assert len(state.api_tokens) == 2 and state.api_tokens[0] != state.api_tokens[1]


def test_a_given_token_is_refreshed_with_its_refresh_token(rt, server):
    url, state, _ = server
    issued = rt.httpx.post(f"{url}/oauth/token", auth=("basic-client", "basic-secret-123"),
                           data={"grant_type": "password", "username": USER[0], "password": USER[1], "scope": "pets:read"}).json()
    expired = {**issued, "expires_at": 1}  # the caller's copy says it has expired
    client = make(rt, url, {"token": expired, "client_id": "basic-client", "client_secret": "basic-secret-123"})
    assert get(client, rt).name == "Rex"
    assert state.grants == ["password", "refresh_token"]
    assert state.api_tokens[0] != issued["access_token"]


def test_concurrent_first_calls_in_threads_fetch_one_token(rt, server):
    url, state, _ = server
    client = make(rt, url, {"client_id": "basic-client", "client_secret": "basic-secret-123"})
    client._client  # the HTTP client exists before the threads race for the token
    barrier, results = threading.Barrier(8), []

    def call() -> None:
        barrier.wait()
        results.append(get(client, rt).name)

    threads = [threading.Thread(target=call) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == ["Rex"] * 8 and state.grants == ["client_credentials"]


def test_concurrent_first_calls_in_tasks_fetch_one_token(rt, server):
    url, state, _ = server

    async def main() -> list[str]:
        client = make(rt, url, {"client_id": "post-client", "client_secret": "post-secret-456"},
                      is_async=True, token_auth="client_secret_post")
        pets = await asyncio.gather(*(client._request(pet_op(rt), path={"petId": n}) for n in range(8)))
        await client.aclose()
        await client._http.aclose()
        return [pet.name for pet in pets]

    assert asyncio.run(main()) == ["Rex"] * 8
    assert state.grants == ["client_credentials"]


def test_with_options_copies_share_the_token(rt, server):
    url, state, _ = server
    client = make(rt, url, {"client_id": "basic-client", "client_secret": "basic-secret-123"})
    get(client, rt), get(client.with_options(max_retries=0), rt)
    assert state.grants == ["client_credentials"]
