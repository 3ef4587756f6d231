"""Kept for imports from before the formatter moved to `generator.format` (its one interface) and
`generator.format.black_formatter` (black behind it)."""

from generator.format import CHUNK_BREAK, HEADER, METHOD_BREAK, RenderBug
from generator.format.black_formatter import format_sources

__all__ = ["CHUNK_BREAK", "HEADER", "METHOD_BREAK", "RenderBug", "format_sources"]
