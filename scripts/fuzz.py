"""Long fuzz run (issue 6): N mutated bundled specs + N small random OpenAPI documents.

    python scripts/fuzz.py --cases 10000 [--seed 0] [--black]

Each case must build a package that imports (in-process, from memory) or fail with located diagnostics;
the first case that does neither is shrunk by hypothesis and printed, and the script exits 1. By default
black is replaced by the identity for speed: the rendered source is still parsed (ast) and imported, which
is what this checks; formatting is covered by the test suite.
"""

from __future__ import annotations

import argparse
import faulthandler
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import black  # noqa: E402
from hypothesis import HealthCheck, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import fuzz_support  # noqa: E402
from fuzz_support import mutated_specs, random_documents, run_case, tally  # noqa: E402


def run(name: str, strategy: st.SearchStrategy[object], cases: int, random_seed: int) -> Counter[str]:
    outcomes: Counter[str] = Counter()

    @seed(random_seed)
    @settings(max_examples=cases, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(document=strategy, as_yaml=st.booleans())
    def check(document: object, as_yaml: bool) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            outcomes[run_case(document, Path(tmp), as_yaml=as_yaml)] += 1

    started = time.perf_counter()
    check()
    print(f"{name}: {sum(outcomes.values())} cases in {time.perf_counter() - started:.0f} s, no clientgen bug")
    print("\n".join(tally(outcomes)), flush=True)
    return outcomes


def main() -> int:
    faulthandler.enable()  # a crash of the interpreter (a C extension's stack overflow) leaves a trace
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=10_000, help="cases per kind (mutated, random)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--black", action="store_true", help="format with black as generate does (slower)")
    parser.add_argument("--only", choices=["mutated", "random"], help="run one kind only")
    parser.add_argument("--last-case", type=Path, help="write each case here before running it (to find a crash)")
    args = parser.parse_args()
    with mock.patch.object(black, "format_str", (lambda source, mode: source)) if not args.black else mock.MagicMock():
        fuzz_support.LAST_CASE = args.last_case
        try:
            if args.only != "random":
                run("mutated bundled specs", mutated_specs(), args.cases, args.seed)
            if args.only != "mutated":
                run("random documents", random_documents(), args.cases, args.seed)
        except Exception:  # hypothesis adds the shrunk failing case to the exception's notes
            traceback.print_exc()
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
