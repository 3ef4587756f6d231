"""Large golden cases: real specs too big to keep their whole output on disk (Stripe: 14 MB, 90k lines).

Layout of a case folder `tests/large/<name>/`:
    <spec>.yaml.gz | <spec>.json.gz        the input, gzip-compressed (exactly one)
    full_files.txt                         paths of the generated files kept whole, one a line
    expected/digests.json                  SHA-256 of every generated file and of the whole tree
    expected/files/<path>                  those files, whole
    expected_diagnostics.txt               every diagnostic printed, warnings included

Like the cases of golden.py, the trees leave out the manifest and the modules copied verbatim from
templates/. The package name is `<name>_client`. Regenerate with `python tests/golden.py <name>` (or
`python tests/golden.py` for every case).
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
import shutil
import sys
import tempfile
from pathlib import Path

import golden  # first: it puts the checkout on sys.path

from generator.build import build_tree
from generator.config import ClientConfig, Options

LARGE = Path(__file__).resolve().parent / "large"


def case_names() -> list[str]:
    # A folder without full_files.txt only holds a spec other tests read (tests/large/openai).
    return sorted(p.name for p in LARGE.iterdir() if (p / "full_files.txt").is_file() and not p.name.startswith((".", "_")))


def case_input(case: str) -> Path:
    found = sorted((LARGE / case).glob("*.gz"))
    if len(found) != 1:
        raise RuntimeError(f"large case {case} needs exactly one gzip-compressed spec")
    return found[0]


@functools.cache
def build(case: str) -> tuple[dict[str, str], str]:
    """The whole generated package (runtime included) and every diagnostic, formatted. Built once per
    process through `build_tree`, from the spec decompressed into a temporary folder."""
    compressed = case_input(case)
    name = compressed.name.removesuffix(".gz")
    with tempfile.TemporaryDirectory(prefix=f"clientgen-{case}-") as folder:
        spec = Path(folder) / name
        with gzip.open(compressed, "rb") as source, spec.open("wb") as target:
            shutil.copyfileobj(source, target)
        output = Path(folder) / f"{case}_client"
        result = build_tree(Options(Path(folder), (ClientConfig(f"{case}_client", spec, output, name),)))
    return result.trees[output], "".join(d.format() + "\n" for d in result.warnings)


def digests(tree: dict[str, str]) -> dict[str, object]:
    """SHA-256 of every file (without the verbatim copies and the manifest) and of the whole tree."""
    files = {path: hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest() for path, text in sorted(golden.strip_verbatim(dict(tree)).items())}
    whole = hashlib.sha256("".join(f"{path}\0{digest}\n" for path, digest in files.items()).encode()).hexdigest()
    return {"tree": whole, "files": files}


def full_files(case: str) -> list[str]:
    return [line.strip() for line in (LARGE / case / "full_files.txt").read_text(encoding="utf-8").splitlines() if line.strip()]


def read_expected(case: str) -> tuple[dict[str, object], dict[str, str], str]:
    """(digests, whole files by path, diagnostics) as committed."""
    folder = LARGE / case
    expected = json.loads((folder / "expected" / "digests.json").read_text(encoding="utf-8"))
    files = {path: (folder / "expected" / "files" / path).read_text(encoding="utf-8") for path in full_files(case)}
    return expected, files, (folder / "expected_diagnostics.txt").read_text(encoding="utf-8")


def write_package(case: str, into: Path) -> Path:
    """The generated package written to `into/<case>_client` (for tests that import or type-check it)."""
    tree, _ = build(case)
    package = into / f"{case}_client"
    for path, text in tree.items():
        (package / path).parent.mkdir(parents=True, exist_ok=True)
        (package / path).write_text(text, encoding="utf-8")
    return package


def update(case: str) -> None:
    tree, diagnostics = build(case)
    folder = LARGE / case
    shutil.rmtree(folder / "expected", ignore_errors=True)
    for path in full_files(case):
        target = folder / "expected" / "files" / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(tree[path], encoding="utf-8", newline="")
    text = json.dumps(digests(tree), indent=1, sort_keys=True) + "\n"
    (folder / "expected" / "digests.json").write_text(text, encoding="utf-8", newline="")
    (folder / "expected_diagnostics.txt").write_text(diagnostics, encoding="utf-8", newline="")


if __name__ == "__main__":
    for name in sys.argv[1:] or case_names():
        update(name)
        print(f"updated {name}")
