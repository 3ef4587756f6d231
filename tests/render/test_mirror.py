"""The async half of a class derived from black's output for the sync half is black's own output."""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

import black
import pytest

from generator.format import CHUNK_BREAK, METHOD_BREAK, mirror, workers
from generator.format.batches import plan_source

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))
import golden_large  # noqa: E402
from rendered import rendered_sources  # noqa: E402

MODE = workers.mode()

_SYNC = '''class _:
    def create(
        self,
        customer: str,
        *,
        extra_headers: Mapping[str, str] | None = None,
    ) -> Stream[CustomerEvent]:
        """Create a customer."""
        return self._client._call_stream(_POST_CUSTOMERS, _POST_CUSTOMERS_EVENTS, locals())
'''


def _black(text: str) -> str:
    return black.format_str(text, mode=MODE)


def _async(text: str) -> str:
    return (
        text.replace("    def ", "    async def ")
        .replace("return self", "return await self")
        .replace("Stream[", "AsyncStream[")
    )


def test_a_derived_method_is_what_black_makes_of_it() -> None:
    derived = mirror.derive(_SYNC, _black(_SYNC), _async(_SYNC))
    assert derived is not None and derived == _black(_async(_SYNC))


def test_a_line_that_no_longer_fits_is_left_to_black() -> None:
    # 97 characters in the sync method, 103 in the async one: black splits the async call.
    sync = _SYNC.replace("_POST_CUSTOMERS_EVENTS", "_POST_CUSTOMERS_EVENTS_XXXXX")
    assert len(max(sync.splitlines(), key=len)) <= 100
    assert len(max(_async(sync).splitlines(), key=len)) > 100
    assert mirror.derive(sync, _black(sync), _async(sync)) is None


def test_a_line_black_changed_is_left_to_black() -> None:
    sync = _SYNC.replace("_POST_CUSTOMERS, ", "_POST_CUSTOMERS,")  # black adds the space back
    assert _black(sync) != sync
    assert mirror.derive(sync, _black(sync), _async(sync)) is None


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ('        x = "a"\n', '        x = "b"\n'),  # a string
        ("        x = 1  # a\n", "        x = 1  # b\n"),  # a comment
        ("        return 1\n", "        return 2\n"),  # a number
        ("        x = y\n", "        x = not y\n"),  # a keyword
        ("        x = y\n", "        x = y\n        z = 1\n"),  # a line more
        ("        x = y\n", "        x = z\n"),  # not a return or a def line
        ("        return f(\n            a,\n        )\n", "        return f(\n            b,\n        )\n"),
    ],
)
def test_only_renamed_names_and_async_await_are_derived(source: str, target: str) -> None:
    assert mirror.derive(source, source, target) is None


def _mirrored(spec: Path) -> dict[str, str]:
    """Every mirrored batch of the spec's package -> the batch it is derived from, every method
    batched (none passed through as black's already: fixed_point) so that every body is tried."""
    from generator.format import batches

    sources = rendered_sources(spec)
    found: dict[str, str] = {}
    layout = batches.black_layout
    batches.black_layout = lambda piece: None
    try:
        for source in sources.values():
            found.update(plan_source(source).mirrored)
    finally:
        batches.black_layout = layout
    return found


def _check_all(spec: Path) -> None:
    pairs = _mirrored(spec)
    derived = 0
    for target, source in pairs.items():
        result = mirror.derive(source, _black(source), target)
        if result is not None:
            assert result == _black(target), target[:300]
            derived += 1
    assert pairs and derived >= len(pairs) * 0.9  # the async halves are derived, not formatted


@pytest.mark.parametrize("spec", sorted((ROOT / "specs").glob("*/openapi.yaml")), ids=lambda p: p.parent.name)
def test_bundled_async_halves_are_derived_as_black_formats_them(spec: Path) -> None:
    _check_all(spec)


@pytest.mark.slow
@pytest.mark.parametrize("case", ["stripe", "openai"])
def test_large_async_halves_are_derived_as_black_formats_them(case: str, tmp_path: Path) -> None:
    compressed = golden_large.case_input(case)
    spec = tmp_path / compressed.name.removesuffix(".gz")
    spec.write_bytes(gzip.decompress(compressed.read_bytes()))
    _check_all(spec)


def test_marks_are_the_formatters() -> None:
    assert {CHUNK_BREAK, METHOD_BREAK} == {"\x1f", "\x1e"}
