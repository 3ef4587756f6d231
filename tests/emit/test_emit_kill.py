"""SIGKILL write_tree at random moments: the package folder is always exactly the old or the new tree.

No timing assertions: the delays only spread the kills over the write; every outcome is checked exactly.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.emit import MARKER, marker_text, write_tree

REPO = Path(__file__).resolve().parents[2]
RUNS_PER_MODE = 15
TIME_BUDGET_S = 60.0

SCRIPT = """
import json, sys, time
from generator import emit, emit_swap
if sys.argv[3] == "fallback":
    emit_swap.rename_exchange = lambda *args: False
tree = json.loads(open(sys.argv[2], encoding="utf-8").read())
print("ready", flush=True)
start = time.perf_counter()
emit.write_tree({sys.argv[1]: tree})
print(time.perf_counter() - start, flush=True)
"""

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")]


def make_trees() -> tuple[dict[str, str], dict[str, str]]:
    old: dict[str, str] = {MARKER: marker_text(), "__init__.py": "VERSION = 'old'\n"}
    new: dict[str, str] = {MARKER: marker_text(), "__init__.py": "VERSION = 'new'\n"}
    for i in range(200):
        rel = f"models/group_{i % 7}/model_{i:03d}.py"
        body = "".join(f"field_{j}: int = {i * j}\n" for j in range(40))
        if i % 5 != 0:  # 1/5 only in the new tree
            old[rel] = "# old\n" + body
        if i % 6 != 0:  # 1/6 only in the old tree
            new[rel] = ("# new\n" if i % 2 else "# old\n") + body
    new["api/endpoints.py"] = "ENDPOINTS = []\n"
    return old, new


def read_folder(folder: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    for dirpath, _dirs, files in os.walk(folder):
        for name in files:
            full = Path(dirpath) / name
            out[full.relative_to(folder).as_posix()] = full.read_bytes().decode("utf-8")
    return out


def leftovers(parent: Path, kind: str = "") -> list[Path]:
    return sorted(p for p in parent.iterdir() if f".clientgen-{kind}" in p.name)


def start(folder: Path, tree_file: Path, mode: str) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", SCRIPT, str(folder), str(tree_file), mode],
        cwd=REPO, stdout=subprocess.PIPE, text=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    return proc


@pytest.mark.parametrize("mode", ["exchange", "fallback"])
def test_sigkill_leaves_old_or_new(tmp_path: Path, mode: str):
    old, new = make_trees()
    assert len(old) > 150 and len(new) > 150
    tree_file = tmp_path / "new.json"
    tree_file.write_text(json.dumps(new), encoding="utf-8")
    parent = tmp_path / "generated"
    folder = parent / "demo_client"

    # A few undisturbed runs to learn how long a write takes here (only used to spread the kills).
    durations = []
    for _ in range(3):
        write_tree({folder: old})
        proc = start(folder, tree_file, mode)
        out, _ = proc.communicate(timeout=120)
        assert proc.returncode == 0
        durations.append(float(out.strip()))
        assert read_folder(folder) == new
    duration = sorted(durations)[1]

    rng = random.Random(20240611)
    outcomes: dict[str, int] = {"old": 0, "new": 0, "absent": 0, "finished": 0}
    deadline = time.monotonic() + TIME_BUDGET_S
    for run in range(RUNS_PER_MODE):
        if run >= 3 and time.monotonic() > deadline:
            break
        write_tree({folder: old})  # reset; also recovers and cleans what the previous kill left
        assert leftovers(parent) == []
        assert read_folder(folder) == old

        proc = start(folder, tree_file, mode)
        # Half the kills anywhere in the write, half concentrated around the swap at its end.
        low = 0.0 if run % 2 else 0.7 * duration
        time.sleep(rng.uniform(low, duration * 1.1))
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=120)
        if proc.returncode == 0:
            outcomes["finished"] += 1
        else:
            assert proc.returncode == -signal.SIGKILL

        if folder.exists():
            state = read_folder(folder)
            assert state == old or state == new, f"run {run}: folder is a mix of old and new"
            outcomes["old" if state == old else "new"] += 1
        else:
            # Only possible in the fallback, between its two renames: a complete backup must be there.
            assert mode == "fallback", f"run {run}: folder vanished although renameat2 exchange was used"
            (backup,) = leftovers(parent, "old-")
            assert read_folder(backup) == old
            outcomes["absent"] += 1

    # Final recovery + write from whatever state the last kill left.
    write_tree({folder: new})
    assert read_folder(folder) == new
    assert leftovers(parent) == []
    print(f"{mode}: {outcomes} (undisturbed writes took {durations})")
