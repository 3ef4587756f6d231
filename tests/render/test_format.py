"""Batched, cached, parallel formatting gives exactly black's bytes for the whole file."""

from __future__ import annotations

from pathlib import Path

import black
import pytest

from generator.render import format as fmt
from generator.render.format import CHUNK_BREAK, HEADER, METHOD_BREAK, MODE, format_sources
from generator.render.format_cache import FormatCache, cache_dir

ROOT = Path(__file__).resolve().parents[2]


def _source(classes: int) -> str:
    """A module in the shape the templates render: breaks before top-level classes and between methods."""
    parts = ['"""Doc."""\nfrom typing import Any\n']
    for i in range(classes):
        methods = "\n".join(
            f"    def m{j}(self, a: int, b: str = 'x' * {j}, *, c: Any = None) -> dict[str, Any]:\n"
            f"        return {{'a': a, 'b': b, 'c': c, 'long': [{', '.join(str(k) for k in range(j * 3))}]}}\n"
            + (METHOD_BREAK if j < 4 else "")
            for j in range(5)
        )
        parts.append(f"{CHUNK_BREAK}\nclass C{i}:\n    x: int = {i}\n{METHOD_BREAK}\n{methods}\n")
    return "\n".join(parts)


def _plain(source: str) -> str:
    return source.replace(CHUNK_BREAK + "\n", "").replace(METHOD_BREAK + "\n", "")


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CLIENTGEN_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_batched_output_is_black_of_the_whole_file() -> None:
    source = _source(40)
    assert format_sources({"m.py": source})["m.py"] == HEADER + black.format_str(_plain(source), mode=MODE)


def test_bundled_packages_are_what_black_makes_of_them() -> None:
    for path in sorted((ROOT / "generated").glob("*/*.py")):
        text = path.read_text(encoding="utf-8")
        assert black.format_str(text, mode=MODE) == text, path


def test_parallel_equals_serial(monkeypatch: pytest.MonkeyPatch) -> None:
    source = _source(60)
    monkeypatch.setattr(fmt, "_PARALLEL_CHARS", 10**9)
    serial = format_sources({"a.py": source, "b.py": source.replace("C", "D")})
    monkeypatch.setenv("CLIENTGEN_CACHE_DIR", str(Path(str(cache_dir())) / "other"))
    monkeypatch.setattr(fmt, "_PARALLEL_CHARS", 0)
    monkeypatch.setattr(fmt.os, "cpu_count", lambda: 2)
    parallel = format_sources({"a.py": source, "b.py": source.replace("C", "D")})
    assert parallel == serial


def test_cache_hit_skips_black(monkeypatch: pytest.MonkeyPatch, private_cache: Path) -> None:
    source = _source(5)
    first = format_sources({"m.py": source})
    assert any(private_cache.rglob("*"))

    def no_black(text: str) -> str:
        raise AssertionError("black ran although every batch was cached")

    monkeypatch.setattr(fmt, "_format_batch", no_black)
    assert format_sources({"m.py": source}) == first


def test_cache_miss_runs_black(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = fmt._format_batch
    monkeypatch.setattr(fmt, "_format_batch", lambda text: calls.append(text) or real(text))
    format_sources({"m.py": _source(3)})
    assert calls
    calls.clear()
    format_sources({"m.py": _source(3).replace("x: int", "y: int")})
    assert calls  # changed text: new keys, black runs again


def test_corrupted_entry_is_ignored_and_rewritten(private_cache: Path) -> None:
    source = _source(2)
    expected = format_sources({"m.py": source})
    entries = [p for p in private_cache.rglob("*") if p.is_file()]
    assert entries
    for entry in entries:
        entry.write_text(entry.read_text(encoding="utf-8").replace("def", "DEF"), encoding="utf-8")
    assert format_sources({"m.py": source}) == expected
    cache = FormatCache("salt", private_cache)
    key = cache.key("text")
    cache.put(key, "formatted")
    assert cache.get(key) == "formatted"
    (private_cache / "black" / key[:2] / key).write_bytes(b"\xff\xfe not utf-8")
    assert cache.get(key) is None


def test_cache_location(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("CLIENTGEN_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "clientgen"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_dir() == tmp_path / "home" / ".cache" / "clientgen"


def test_unwritable_cache_only_costs_speed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("CLIENTGEN_CACHE_DIR", str(blocker))
    source = _source(2)
    assert format_sources({"m.py": source})["m.py"] == HEADER + black.format_str(_plain(source), mode=MODE)


def test_invalid_render_is_reported_with_numbered_source() -> None:
    with pytest.raises(fmt.RenderBug, match=r"m\.py.*\n.*\|"):
        format_sources({"m.py": "def broken(:\n    pass\n"})
