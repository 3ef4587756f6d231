"""First use (`python bench/run.py firstuse`): each step a new process, as a user's script starts.

    import pkg; Client()                      the package and one client
    ... + the first response model            the model a typical call returns (its module and what it reaches)
    ... + the first parsed response           a whole call on a mock transport, answer parsed into that model

On the OpenAI spec against the official `openai` package doing the same steps (`pip install openai`, for
the bench only); on Stripe, the generated package alone. Bytecode is warm (a first run compiles it); the
snippets take turns in each round, so a change of load hits all alike; medians of `--runs` runs are
printed, and the ratios are of the best runs (the least disturbed by other sessions).
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from runtime import BODIES, MESSAGES

ROOT = Path(__file__).resolve().parents[1]
SPECS = {"openai_client": ROOT / "tests/large/openai/openai-openapi.yaml.gz",
         "stripe_client": ROOT / "tests/large/stripe/stripe-spec3.2023-09.yaml.gz"}

# --- The steps, in one table: names change with the generated surface (look them up here). -------------
_MOCK = (
    "import {http} as h\n"
    "body = {body!r}\n"
    "http = h.Client(transport=h.MockTransport(lambda r: h.Response(200, headers={{'content-type': 'application/json'}}, content=body)))\n"
)
STEPS: dict[str, dict[str, str]] = {
    "OpenAI, generated": {
        "client": "import openai_client; c = openai_client.Client(api_key='sk-bench')",
        "model": "from openai_client.models import CreateChatCompletionResponse",
        "call": "r = c.chat.completions.create(model='gpt-bench', messages={messages!r}); assert r.choices",
        "client_with_http": "import openai_client; c = openai_client.Client(api_key='sk-bench', http_client=http)",
        "http": "httpx", "body": json.dumps(BODIES["/chat/completions"]),
    },
    "OpenAI, official openai": {
        "client": "import openai; c = openai.OpenAI(api_key='sk-bench')",
        "model": "from openai.types.chat import ChatCompletion",
        "call": "r = c.chat.completions.create(model='gpt-bench', messages={messages!r}); assert r.choices",
        "client_with_http": "import openai; c = openai.OpenAI(api_key='sk-bench', http_client=http)",
        "http": "httpx2", "body": json.dumps(BODIES["/chat/completions"]),
    },
    "Stripe, generated": {
        "client": "import stripe_client; c = stripe_client.Client(bearer_auth='sk_bench')",
        "model": "from stripe_client.models import Customer",
        "call": "r = c.customers.retrieve('cus_bench'); assert r.id",
        "client_with_http": "import stripe_client; c = stripe_client.Client(bearer_auth='sk_bench', http_client=http)",
        "http": "httpx", "body": "",  # filled from the generated package's own conformance data
    },
}
STRIPE_CALL = "customers.retrieve"


def snippets(steps: dict[str, str]) -> dict[str, str]:
    mock = _MOCK.format(http=steps["http"], body=steps["body"].encode())
    call = steps["call"].format(messages=MESSAGES)
    return {
        "import pkg; Client()": steps["client"],
        "... + first response model": steps["client"] + "\n" + steps["model"],
        "... + first parsed response (mock)": mock + steps["client_with_http"] + "\n" + call,
    }


def _stripe_body(package: Path) -> str:
    """A 200 body of the call that the generated package's own conformance cases parse (a valid Customer)."""
    cases = json.loads((package / "tests" / "cases.json").read_text())
    for case in cases["responses"]:
        if case["call"]["method"] == STRIPE_CALL and case["expect"]["outcome"] == "return" and str(case.get("status")) == "200":
            return str(case["body"])
    raise SystemExit(f"no returned response of {STRIPE_CALL} in the Stripe conformance cases")


def generate(work: Path) -> None:
    # BENCH_GENERATOR_ROOT: another checkout generates the packages (before/after a change, one load).
    root = os.environ.get("BENCH_GENERATOR_ROOT", str(ROOT))
    env = {**os.environ, "PYTHONPATH": root, "CLIENTGEN_CACHE_DIR": str(work / "cache")}
    for package, spec_gz in SPECS.items():
        spec = work / spec_gz.name.removesuffix(".gz")
        spec.write_bytes(gzip.decompress(spec_gz.read_bytes()))
        subprocess.run([sys.executable, "-m", "generator", "generate", str(spec), "--output", str(work / package),
                        "--package", package, "--http-library", "httpx"], env=env, check=True, capture_output=True)


def firstuse(runs: int, reuse: Path | None = None) -> None:
    """`reuse`: a folder that already holds both generated packages (kept afterwards)."""
    try:
        import openai
    except ImportError:
        sys.exit("firstuse compares with the official package: pip install openai (for the bench only)")
    work = reuse or Path(tempfile.mkdtemp(prefix="bench-firstuse-"))
    try:
        if reuse is None:
            generate(work)
        print(f"openai {openai.__version__}")
        _measure_steps(work, runs)
    finally:
        if reuse is None:
            shutil.rmtree(work, ignore_errors=True)


def _measure_steps(work: Path, runs: int) -> None:
    from run import measure, row  # bench/run.py: the one place runs are measured

    STEPS["Stripe, generated"]["body"] = _stripe_body(work / "stripe_client")
    env = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}, "PYTHONPATH": str(work)}
    every = {f"{who}: {step}": code for who, steps in STEPS.items() for step, code in snippets(steps).items()}
    for name, code in every.items():  # warm the bytecode, and fail loudly on a broken snippet
        proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
        if proc.returncode:
            raise SystemExit(f"{name} failed:\n{proc.stderr}")
    results: dict[str, list[tuple[float, float, int, float, float]]] = {name: [] for name in every}
    for _ in range(runs):
        for name, code in every.items():
            results[name].append(measure([sys.executable, "-c", code], env=env))
    for name, rs in results.items():
        row(name, rs)
    # Ratios of the best runs: under other sessions' load the fastest run is the least disturbed one.
    _ratios({name: min(r[0] for r in rs) for name, rs in results.items()})


def _ratios(best: dict[str, float]) -> None:
    ours, theirs = "OpenAI, generated: ", "OpenAI, official openai: "

    def model(who: str) -> float:
        return best[who + "... + first response model"] - best[who + "import pkg; Client()"]

    print(f"OpenAI first response model alone (best model step minus best client step): generated {model(ours) * 1000:.0f} ms, "
          f"official {model(theirs) * 1000:.0f} ms")
    for step in ("import pkg; Client()", "... + first response model", "... + first parsed response (mock)"):
        print(f"OpenAI {step}: best generated {best[ours + step]:.2f} s, official {best[theirs + step]:.2f} s: "
              f"{best[ours + step] / best[theirs + step]:.2f}x")
    stripe = "Stripe, generated: "
    print("Stripe best: " + ", ".join(f"{step} {best[stripe + step]:.2f} s" for step in ("import pkg; Client()", "... + first response model", "... + first parsed response (mock)")))
