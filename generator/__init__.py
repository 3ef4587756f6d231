"""clientgen: OpenAPI documents in, typed Python client packages out."""

__version__ = "0.1.0"
