"""Golden API-diff cases: `tests/diff_cases/<name>/` holds two versions of a spec and the expected report.

Layout of a case folder:
    old.yaml | old.json, new.yaml | new.json   the two versions (`clientgen diff old new`); a real vendor
                                                spec may be kept as old.json.gz / new.json.gz (gzip -9 -n)
    expected.txt, expected.md, expected.json    the report in each format (text without colour)
    PROVENANCE.md                               where real-history specs come from (optional)

Regenerate every case after an intended change (then review the diff by hand) with:

    python tests/diff_golden.py
"""

from __future__ import annotations

import gzip
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CASES = Path(__file__).resolve().parent / "diff_cases"
OUTPUTS = {"expected.txt": "text", "expected.md": "markdown", "expected.json": "json"}

sys.path.insert(0, str(ROOT))

from generator.apidiff.report import FORMATS
from generator.apidiff.run import diff_specs


def case_names() -> list[str]:
    return sorted(p.name for p in CASES.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))


def side(case: str, which: str) -> Path:
    names = (f"{which}.yaml", f"{which}.json", f"{which}.json.gz")
    found = [CASES / case / name for name in names if (CASES / case / name).exists()]
    if len(found) != 1:
        raise RuntimeError(f"diff case {case} needs exactly one of {names}")
    return found[0]


def run_case(case: str) -> dict[str, str]:
    """The case's report in every format, the spec files named as in the folder (without `.gz`)."""
    with tempfile.TemporaryDirectory() as scratch:
        old, new = (_plain(side(case, which), Path(scratch)) for which in ("old", "new"))
        report = diff_specs(old, new, shown=(old.name, new.name))
        return {name: FORMATS[kind](report) for name, kind in OUTPUTS.items()}


def _plain(path: Path, scratch: Path) -> Path:
    if path.suffix != ".gz":
        return path
    target = scratch / path.stem
    target.write_bytes(gzip.decompress(path.read_bytes()))
    return target


def main(names: list[str]) -> None:
    for case in names or case_names():
        for name, text in run_case(case).items():
            (CASES / case / name).write_text(text, encoding="utf-8")
        print(f"diff case {case}: regenerated")


if __name__ == "__main__":
    main(sys.argv[1:])
