"""The spec layer's typed view: operations with their parameters, bodies, responses and media
types, the document's servers, security schemes and info, and the one `$ref` resolver.

Lowering, lint and the coverage check read the document through `SpecView`; JSON Schema subtrees
stay raw JSON, reached by each view's `schema_pointer`.
"""

from generator.specview.operations import (
    METHODS,
    SPEC_METHODS,
    BodyView,
    MediaView,
    OperationView,
    ParameterView,
    ResponseView,
)
from generator.specview.resolve import Resolver, ref_of
from generator.specview.view import (
    SecuritySchemeView,
    ServerView,
    SpecView,
    declared_operations,
)

__all__ = [
    "METHODS",
    "SPEC_METHODS",
    "BodyView",
    "MediaView",
    "OperationView",
    "ParameterView",
    "ResponseView",
    "Resolver",
    "SecuritySchemeView",
    "ServerView",
    "SpecView",
    "declared_operations",
    "ref_of",
]
