"""Golden end-to-end cases: `tests/cases/<name>/` holds a spec in, the expected tree or diagnostics out.

Layout of a case folder:
    openapi.yaml | openapi.json | page.md   the input (exactly one)
    expected/                               the generated package, file by file (when it builds), minus
                                            the modules copied verbatim from templates/runtime/ and
                                            templates/tests/ (tests/cases.json stays)
    expected_diagnostics.txt                every diagnostic printed, warnings included (may be empty)
    options.toml                            optional: client options (`http_library`, `distribution`)
    expected_ir.json                        the IR the package was rendered from (when it builds), as
                                            `generator.ir_json` writes it: a lowering change shows up
                                            here as a diff of data before any rendered text

The package name is `<case name>_client`. Regenerate every case after an intended change with:

    python tests/golden.py

which also regenerates the large cases of `tests/large/` (see golden_large.py).
"""

from __future__ import annotations

import shutil
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CASES = Path(__file__).resolve().parent / "cases"
INPUT_NAMES = ("openapi.yaml", "openapi.json", "page.md")
RUNTIME = ROOT / "templates" / "runtime"
TEST_TEMPLATES = ROOT / "templates" / "tests"

sys.path.insert(0, str(ROOT))

from generator.build import build_package_ir  # noqa: E402
from generator.config import ClientConfig  # noqa: E402
from generator.diagnostics import DiagnosticError  # noqa: E402
from generator.ir_json import ir_json  # noqa: E402
from generator.manifest import MANIFEST  # noqa: E402
from generator.render import PAGINATION_RUNTIME as OPTIONAL_RUNTIME  # noqa: E402
from generator.format import HEADER  # noqa: E402


def case_names() -> list[str]:
    return sorted(p.name for p in CASES.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))


def case_input(case: str) -> Path:
    found = [CASES / case / name for name in INPUT_NAMES if (CASES / case / name).exists()]
    if len(found) != 1:
        raise RuntimeError(f"case {case} needs exactly one of {INPUT_NAMES}")
    return found[0]


def run_case(case: str) -> tuple[dict[str, str] | None, str]:
    """The tree the case builds (None when it fails) and every diagnostic, formatted."""
    tree, diagnostics, _ = run_case_ir(case)
    return tree, diagnostics


def run_case_ir(case: str) -> tuple[dict[str, str] | None, str, str | None]:
    """`run_case` and the IR as JSON text (None when the case does not build)."""
    spec = case_input(case)
    folder = CASES / case
    overlays = tuple((path, path.name) for path in sorted(folder.glob("*.overlay.yaml")))
    docs = tuple((path, path.name) for path in sorted(folder.glob("docs*.md")))
    options = tomllib.loads((folder / "options.toml").read_text(encoding="utf-8")) if (folder / "options.toml").exists() else {}
    client = ClientConfig(f"{case}_client", spec, folder / "expected", spec.name, overlays=overlays, docs=docs, **options)
    try:
        files, warnings, api = build_package_ir(client)
    except DiagnosticError as exc:
        return None, "".join(d.format() + "\n" for d in exc.diagnostics), None
    return strip_verbatim(files), "".join(d.format() + "\n" for d in warnings), ir_json(api)


def strip_verbatim(files: dict[str, str]) -> dict[str, str]:
    """The tree without the manifest and the files copied verbatim (each checked to be a verbatim copy)."""
    # The manifest records digests of clientgen's own code: kept out, or every code change touches every case.
    files.pop(MANIFEST)
    for runtime_file in sorted(RUNTIME.glob("*.py")):
        # Verbatim copies: kept out of the expected trees so a runtime change does not touch every case.
        if runtime_file.name == OPTIONAL_RUNTIME and runtime_file.name not in files:
            continue  # only packages with an operation that pages have it
        if files.pop(runtime_file.name) != HEADER + runtime_file.read_text(encoding="utf-8"):
            raise AssertionError(f"{runtime_file.name} is not a verbatim copy of {runtime_file}")
    for test_file in sorted(TEST_TEMPLATES.glob("*.py")):
        # The static test modules too; each case keeps its own tests/cases.json.
        if files.pop(f"tests/{test_file.name}") != HEADER + test_file.read_text(encoding="utf-8"):
            raise AssertionError(f"tests/{test_file.name} is not a verbatim copy of {test_file}")
    return files


def write_package(case: str, folder: Path) -> Path:
    """The case's package, runtime included, written to `folder/<case>_client` (for tests that import it)."""
    tree, _ = run_case(case)
    if tree is None:
        raise RuntimeError(f"case {case} does not build")
    package = folder / f"{case}_client"
    for rel, text in tree.items():
        (package / rel).parent.mkdir(parents=True, exist_ok=True)
        (package / rel).write_text(text, encoding="utf-8")
    for runtime_file in RUNTIME.glob("*.py"):
        (package / runtime_file.name).write_text(HEADER + runtime_file.read_text(encoding="utf-8"), encoding="utf-8")
    for test_file in TEST_TEMPLATES.glob("*.py"):
        (package / "tests" / test_file.name).write_text(HEADER + test_file.read_text(encoding="utf-8"), encoding="utf-8")
    return package


def read_expected_ir(case: str) -> str | None:
    ir_file = CASES / case / "expected_ir.json"
    return ir_file.read_text(encoding="utf-8") if ir_file.exists() else None


def read_expected(case: str) -> tuple[dict[str, str] | None, str]:
    folder = CASES / case / "expected"
    tree = None
    if folder.is_dir():
        tree = {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*")) if p.is_file() and "__pycache__" not in p.parts}
    diagnostics_file = CASES / case / "expected_diagnostics.txt"
    return tree, diagnostics_file.read_text(encoding="utf-8") if diagnostics_file.exists() else ""


def update(case: str) -> None:
    tree, diagnostics, ir_text = run_case_ir(case)
    folder = CASES / case / "expected"
    shutil.rmtree(folder, ignore_errors=True)
    (CASES / case / "expected_ir.json").unlink(missing_ok=True)
    if ir_text is not None:
        (CASES / case / "expected_ir.json").write_text(ir_text, encoding="utf-8", newline="")
    if tree is not None:
        for rel, text in tree.items():
            target = folder / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8", newline="")
    (CASES / case / "expected_diagnostics.txt").write_text(diagnostics, encoding="utf-8")


if __name__ == "__main__":
    import golden_large  # large specs kept as digests (tests/large/), e.g. `python tests/golden.py stripe`

    for name in sys.argv[1:] or case_names() + golden_large.case_names():
        if name in golden_large.case_names():
            golden_large.update(name)
        else:
            update(name)
        print(f"updated {name}")
