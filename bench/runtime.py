"""Runtime benchmarks (`python bench/run.py runtime`): what a generated client costs per call, per streamed
event and per instance, against raw `httpx` + pydantic and against the official `openai` package, all on
in-process mock transports in one run.

Needs the official package in the interpreter, for the bench only (it is no dependency of the project):
`pip install openai`. The OpenAI client is generated into a temporary folder from
`tests/large/openai/openai-openapi.yaml.gz`.

Per-call times are the best of several rounds (each round `CALLS` calls; the rounds of the three clients
take turns), so other sessions' load inflates them least; the median is printed too.
"""

from __future__ import annotations

import gc
import gzip
import importlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
OPENAI_SPEC = ROOT / "tests" / "large" / "openai" / "openai-openapi.yaml.gz"
BASE = "https://api.openai.test/v1"
PACKAGE = "openai_client"

# --- The calls, in one table: operation and parameter names change with the generated surface. ----------
MESSAGES = [{"role": "user", "content": "Say hello."}]
LIST_QUERY = {"purpose": "assistants", "limit": 100, "order": "desc", "after": "file-abc123"}
CASES: dict[str, dict[str, Any]] = {
    "GET, small model (retrieve a model)": {
        "generated": lambda c: c.models.retrieve("gpt-bench"),
        "official": lambda o: o.models.retrieve("gpt-bench"),
        "raw": ("GET", "/models/gpt-bench", None, None), "model": "Model",
    },
    "POST with a body (chat completion)": {
        "generated": lambda c: c.chat.completions.create(model="gpt-bench", messages=MESSAGES),
        "official": lambda o: o.chat.completions.create(model="gpt-bench", messages=MESSAGES),
        "raw": ("POST", "/chat/completions", None, {"model": "gpt-bench", "messages": MESSAGES}),
        "model": "CreateChatCompletionResponse",
    },
    "query-heavy list (list files, 4 query parameters)": {
        "generated": lambda c: c.files.list(**LIST_QUERY),
        "official": lambda o: o.files.list(**LIST_QUERY),
        "raw": ("GET", "/files", LIST_QUERY, None), "model": "ListFilesResponse",
    },
}


def GENERATED_CLIENT(pkg: Any, http: httpx.Client | None) -> Any:  # noqa: N802 (a table entry)
    return pkg.Client(api_key="sk-bench", base_url=BASE, http_client=http)


def GENERATED_STREAM(client: Any) -> Any:  # noqa: N802
    return client.chat.completions.create_stream(model="gpt-bench", messages=MESSAGES)


def GENERATED_POOL(client: Any) -> Any:  # noqa: N802
    """Builds the client's own httpx.Client (else built on its first call)."""
    return client._client


STREAM_MODEL = "CreateChatCompletionStreamResponse"


def OFFICIAL_CLIENT(openai: Any, http: Any) -> Any:  # noqa: N802
    return openai.OpenAI(api_key="sk-bench", base_url=BASE, http_client=http)


def OFFICIAL_STREAM(client: Any) -> Any:  # noqa: N802
    return client.chat.completions.create(model="gpt-bench", messages=MESSAGES, stream=True)


# --- What the mock server answers (small bodies: the overhead, not pydantic on big documents, is measured) --
_FILE = {"id": "file-1", "object": "file", "bytes": 120, "created_at": 1700000000, "filename": "a.jsonl",
         "purpose": "assistants", "status": "processed"}
BODIES: dict[str, Any] = {
    "/models/gpt-bench": {"id": "gpt-bench", "object": "model", "created": 1700000000, "owned_by": "bench"},
    "/chat/completions": {"id": "chatcmpl-1", "object": "chat.completion", "created": 1700000000, "model": "gpt-bench",
                          "choices": [{"index": 0, "finish_reason": "stop", "logprobs": None,
                                       "message": {"role": "assistant", "content": "Hello!", "refusal": None}}],
                          "usage": {"prompt_tokens": 3, "completion_tokens": 2, "total_tokens": 5}},
    "/files": {"object": "list", "data": [_FILE, {**_FILE, "id": "file-2"}, {**_FILE, "id": "file-3"}],
               "first_id": "file-1", "last_id": "file-3", "has_more": False},
}
_CHUNK = json.dumps({"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1700000000, "model": "gpt-bench",
                     "choices": [{"index": 0, "delta": {"content": "hi"}, "finish_reason": None}]})
EVENTS = 100_000
CALLS, ROUNDS = 300, 7
INSTANCES = 1_000


def _handler(module: Any, stream_body: list[bytes]) -> Callable[[Any], Any]:
    """A MockTransport handler for `httpx` or `httpx2` (the official package's HTTP library)."""
    encoded = {path: json.dumps(body).encode() for path, body in BODIES.items()}
    json_headers = {"content-type": "application/json"}

    def handle(request: Any) -> Any:
        if request.url.path.endswith("/chat/completions") and b'"stream":true' in request.content.replace(b" ", b""):
            return module.Response(200, headers={"content-type": "text/event-stream"}, content=iter(stream_body))
        return module.Response(200, headers=json_headers, content=encoded[request.url.path.removeprefix("/v1")])
    return handle


def _stream_body() -> list[bytes]:
    """100,000 `chat.completion.chunk` events and `[DONE]`, in 64 KiB chunks as a socket would give them."""
    text = (f"data: {_CHUNK}\n\n" * EVENTS + "data: [DONE]\n\n").encode()
    return [text[i:i + 65536] for i in range(0, len(text), 65536)]


def generate_openai(work: Path) -> Path:
    spec = work / "openai-openapi.yaml"
    spec.write_bytes(gzip.decompress(OPENAI_SPEC.read_bytes()))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CLIENTGEN_CACHE_DIR": str(work / "cache")}
    subprocess.run([sys.executable, "-m", "generator", "generate", str(spec), "--output", str(work / PACKAGE),
                    "--package", PACKAGE, "--http-library", "httpx"], env=env, check=True, capture_output=True)
    return work


def _per_call(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    for _ in range(CALLS):
        fn()
    return (time.perf_counter() - start) / CALLS


def _race(contenders: dict[str, Callable[[], Any]]) -> dict[str, tuple[float, float]]:
    """Best and median seconds per call of each contender; rounds alternate between them."""
    for fn in contenders.values():
        fn()  # first call: imports, pydantic schema building, connection pools
    times: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(ROUNDS):
        for name, fn in contenders.items():
            times[name].append(_per_call(fn))
    return {name: (min(t), statistics.median(t)) for name, t in times.items()}


def per_call(pkg: Any, models: Any, openai: Any, httpx2: Any) -> None:
    stream = _stream_body()
    raw_http = httpx.Client(base_url=BASE, transport=httpx.MockTransport(_handler(httpx, stream)))
    raw_http2 = httpx2.Client(base_url=BASE, transport=httpx2.MockTransport(_handler(httpx2, stream)))
    ours = GENERATED_CLIENT(pkg, httpx.Client(transport=httpx.MockTransport(_handler(httpx, stream))))
    theirs = OFFICIAL_CLIENT(openai, httpx2.Client(transport=httpx2.MockTransport(_handler(httpx2, stream))))
    auth = {"Authorization": "Bearer sk-bench"}
    for name, case in CASES.items():
        method, path, params, body = case["raw"]
        model = getattr(models, case["model"])
        result = _race({
            "raw httpx + model_validate_json": lambda: model.model_validate_json(raw_http.request(method, path, params=params, json=body, headers=auth).content),
            "generated client": lambda: case["generated"](ours),
            "raw httpx2 + model_validate_json": lambda: model.model_validate_json(raw_http2.request(method, path, params=params, json=body, headers=auth).content),
            "official openai": lambda: case["official"](theirs),
        })
        floor, floor2 = result["raw httpx + model_validate_json"][0], result["raw httpx2 + model_validate_json"][0]
        print(f"{name}:")
        for who, (best, median) in result.items():
            print(f"  {who:34} best {best * 1e6:8.1f} µs/call  median {median * 1e6:8.1f} µs")
        print(f"  generated / raw httpx: {result['generated client'][0] / floor:.2f}x (target 1.15x); "
              f"official / raw httpx2: {result['official openai'][0] / floor2:.2f}x; "
              f"official / generated: {result['official openai'][0] / result['generated client'][0]:.2f}x", flush=True)


def sse(pkg: Any, models: Any, openai: Any, httpx2: Any) -> None:
    """Events per second, each parsed from the byte stream and typed as the chunk model."""
    stream = _stream_body()
    ours = GENERATED_CLIENT(pkg, httpx.Client(transport=httpx.MockTransport(_handler(httpx, stream))))
    theirs = OFFICIAL_CLIENT(openai, httpx2.Client(transport=httpx2.MockTransport(_handler(httpx2, stream))))
    chunk = getattr(models, STREAM_MODEL)

    def consume(start: Callable[[], Any]) -> tuple[float, int]:
        began = time.perf_counter()
        typed = 0
        with start() as events:
            for event in events:
                typed += isinstance(event, chunk) or type(event).__name__ == "ChatCompletionChunk"
        return time.perf_counter() - began, typed

    for who, start in (("generated client", lambda: GENERATED_STREAM(ours)), ("official openai", lambda: OFFICIAL_STREAM(theirs))):
        runs = [consume(start) for _ in range(3)]
        best = min(r[0] for r in runs)
        print(f"SSE {who:18} {EVENTS / best:10,.0f} events/s (best of 3: {best:.2f} s; typed {runs[0][1]:,} of {EVENTS:,})", flush=True)


def _resident() -> int:
    """Resident bytes of this process now (C allocations included: an SSL context is mostly OpenSSL's)."""
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")


_MEMORY_ROWS = ("generated client", "generated + its httpx.Client", "official openai")


def memory(work: Path) -> None:
    """Memory held by 1,000 clients built as a user builds them: growth of the resident set (tracemalloc,
    also printed, misses OpenSSL's share: an SSL context per HTTP client), each contender in a new process (so none reuses another's freed heap).
    The generated client builds its httpx.Client on its first call, the official one in its constructor:
    the middle row builds it too."""
    for who in _MEMORY_ROWS:
        subprocess.run([sys.executable, __file__, "memory", who, str(work)], check=True)


def _memory_row(who: str) -> None:
    import openai

    pkg = importlib.import_module(PACKAGE)

    def pooled() -> Any:
        client = GENERATED_CLIENT(pkg, None)
        GENERATED_POOL(client)
        return client

    makers: dict[str, Callable[[], Any]] = {_MEMORY_ROWS[0]: lambda: GENERATED_CLIENT(pkg, None), _MEMORY_ROWS[1]: pooled,
                                           _MEMORY_ROWS[2]: lambda: OFFICIAL_CLIENT(openai, None)}
    make = makers[who]
    make()
    gc.collect()
    tracemalloc.start()
    before, began = _resident(), time.perf_counter()
    clients = [make() for _ in range(INSTANCES)]
    held, python_heap = _resident() - before, tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    print(f"{INSTANCES:,} instances, {who:28} {held / 2**20:7.1f} MiB resident ({held / INSTANCES / 1024:.1f} KiB each), "
          f"of it Python objects {python_heap / 2**20:.1f} MiB; built in {time.perf_counter() - began:.2f} s "
          f"under tracemalloc (load {os.getloadavg()[0]:.1f})", flush=True)
    del clients


def runtime() -> None:
    try:
        import httpx2
        import openai
    except ImportError:
        sys.exit("the runtime bench compares with the official package: pip install openai (for the bench only)")
    work = Path(tempfile.mkdtemp(prefix="bench-runtime-"))
    try:
        generate_openai(work)
        sys.path.insert(0, str(work))
        pkg, models = importlib.import_module(PACKAGE), importlib.import_module(PACKAGE + ".models")
        print(f"openai {openai.__version__} (httpx2 {httpx2.__version__}); httpx {httpx.__version__}; load {os.getloadavg()[0]:.2f}")
        per_call(pkg, models, openai, httpx2)
        sse(pkg, models, openai, httpx2)
        memory(work)
        if "--profile" in sys.argv:
            print("GET variants (raw httpx made to work as the generated client does):")
            variants(pkg, models)
            profile(pkg)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def variants(pkg: Any, models: Any) -> None:
    """Raw httpx GETs made the way the generated client makes them, one difference at a time: which of
    its choices cost what (relative to the plain raw call)."""
    import pydantic

    model = getattr(models, CASES["GET, small model (retrieve a model)"]["model"])
    adapter = pydantic.TypeAdapter(model)
    raw = httpx.Client(base_url=BASE, transport=httpx.MockTransport(_handler(httpx, [])))
    ours = GENERATED_CLIENT(pkg, httpx.Client(transport=httpx.MockTransport(_handler(httpx, []))))
    auth = {"Authorization": "Bearer sk-bench"}
    many = httpx.Headers({"User-Agent": "bench/1", "Accept": "application/json", **auth})

    def get(**options: Any) -> bytes:
        return raw.request("GET", "/models/gpt-bench", **{"headers": auth, **options}).content

    result = _race({
        "raw": lambda: model.model_validate_json(get()),
        "raw + params=() and timeout=": lambda: model.model_validate_json(get(params=(), timeout=httpx.Timeout(600))),
        "raw + headers as httpx.Headers": lambda: model.model_validate_json(get(headers=many)),
        "raw + json.loads + validate_python": lambda: adapter.validate_python(json.loads(get())),
        "generated": lambda: CASES["GET, small model (retrieve a model)"]["generated"](ours),
    })
    floor = result["raw"][0]
    for who, (best, _) in result.items():
        print(f"  {who:38} best {best * 1e6:8.1f} µs/call  {best / floor:.2f}x")


def profile(pkg: Any) -> None:
    """Where the generated client's time per call goes (the functions above the raw floor)."""
    import cProfile
    import pstats

    ours = GENERATED_CLIENT(pkg, httpx.Client(transport=httpx.MockTransport(_handler(httpx, []))))
    for name, case in CASES.items():
        case["generated"](ours)
        profiler = cProfile.Profile()
        profiler.runcall(lambda: [case["generated"](ours) for _ in range(2000)])
        print(f"--- profile: {name}")
        # Cumulative time of the generated runtime's functions and of the httpx calls they make.
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(r"_base\.py|httpx/_client\.py|pydantic/main\.py", 24)


if __name__ == "__main__" and sys.argv[1:2] == ["memory"]:
    sys.path.insert(0, sys.argv[3])
    _memory_row(sys.argv[2])
