"""The small documents of the shared corpus (copied to tests/fixtures/corpus): each generates a package
that imports and passes `mypy --strict`, or is refused with located diagnostics, as listed here.
scripts/corpus_tally.py runs the whole corpus, large specs included."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator.build import build_package
from generator.config import ClientConfig
from generator.diagnostics import DiagnosticError

CORPUS = Path(__file__).resolve().parent / "fixtures" / "corpus"
DOCUMENTS = sorted(p.relative_to(CORPUS).as_posix() for p in CORPUS.rglob("*") if p.suffix in (".yaml", ".yml", ".json"))
BROKEN = "classic/openapi-python-client/documents_with_errors/"
# document -> the error code it is refused with; every other document generates
REFUSED = {
    "classic/oai-examples/v2.0/petstore.yaml": "swagger-2",
    "classic/oai-examples/v2.0/uber.yaml": "swagger-2",
    "vendors/flowker/swagger.yaml": "swagger-2",
    BROKEN + "bad-status-code.yaml": "bad-status-code",
    BROKEN + "circular-body-ref.yaml": "ref-cycle",
    BROKEN + "missing-body-ref.yaml": "unresolved-ref",
    BROKEN + "optional-path-param.yaml": "optional-path-parameter",
}
# Lint's findings come with lowering's: both operations lack an operationId.
WARNED = {BROKEN + "invalid-uuid-defaults.yaml": ["default-mismatch", "default-mismatch", "missing-operation-id", "missing-operation-id"]}


def package_name(document: str) -> str:
    return "c_" + re.sub(r"[^a-z0-9]+", "_", document.removesuffix(Path(document).suffix).lower()).strip("_")


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> dict[str, Path]:
    """Every document that builds, written out as a package (runtime included)."""
    root = tmp_path_factory.mktemp("corpus")
    packages = {}
    for document in DOCUMENTS:
        name = package_name(document)
        try:
            files, _ = build_package(ClientConfig(name, CORPUS / document, root / name, document))
        except DiagnosticError:
            continue
        for rel, text in files.items():
            (root / name / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / name / rel).write_text(text, encoding="utf-8")
        packages[document] = root / name
    return packages


def test_every_document_is_listed():
    assert set(REFUSED) | set(WARNED) <= set(DOCUMENTS)
    assert len(DOCUMENTS) == 23


@pytest.mark.parametrize("document", DOCUMENTS)
def test_document_generates_or_is_refused_with_located_errors(document):
    client = ClientConfig(package_name(document), CORPUS / document, CORPUS / "unused", document)
    try:
        _, warnings = build_package(client)
    except DiagnosticError as exc:
        assert document in REFUSED, "\n".join(d.format() for d in exc.diagnostics)
        assert exc.diagnostics[0].code == REFUSED[document]
        assert all(d.file == document and d.line >= 1 and d.col >= 1 for d in exc.diagnostics)
        return
    assert document not in REFUSED
    if document in WARNED:
        assert sorted(w.code for w in warnings) == WARNED[document]
    assert all(w.line >= 1 for w in warnings)


@pytest.mark.slow
def test_generated_packages_import_and_pass_mypy_strict(generated, tmp_path):
    assert len(generated) == len(DOCUMENTS) - len(REFUSED)
    root = next(iter(generated.values())).parent
    names = [p.name for p in generated.values()]
    # Every module, subpackages included (models and operations load lazily), and every exported name.
    script = (
        "import importlib, pkgutil, sys\nfor n in sys.argv[1:]:\n    p = importlib.import_module(n)\n"
        "    [importlib.import_module(m.name) for m in pkgutil.walk_packages(p.__path__, n + '.') if '.tests' not in m.name]\n"
        "    [getattr(p, name) for name in p.__all__]\n    p.Client(base_url='http://127.0.0.1:1').close()\n"
    )
    imported = subprocess.run([sys.executable, "-c", script, *names], capture_output=True, text=True, cwd=tmp_path, env={"PYTHONPATH": str(root), "PATH": ""})
    assert imported.returncode == 0, imported.stderr
    mypy = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", str(tmp_path / ".mypy"), *names],
                          capture_output=True, text=True, cwd=root)
    assert mypy.returncode == 0, mypy.stdout + mypy.stderr


def test_the_tally_counts_printed_and_distinct_warnings():
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
    try:
        import corpus_tally
    finally:
        sys.path.pop(0)
    warning = "a.yaml:3:4: warning[unknown-format] format `x` is not a registered format (/x)"
    output = f"{warning}\n  hint: h\n{warning}\n  hint: h\nb.yaml:1:1: warning[empty-schema] e (/y)\nout: 3 written\n"
    assert corpus_tally.warning_counts(output) == "3 warnings (2 distinct)"
