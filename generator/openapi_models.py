"""openapi-pydantic's model classes for one OpenAPI version, without building the other version's.

`import openapi_pydantic.v3.v3_1` runs the package's `__init__` first, and through its parser that
builds the pydantic models of both versions (and a union of the two): ~150 ms, a third of a small
spec's whole run. A build reads one version. So the two parent packages are registered bare (a
module with the package's `__path__`, its `__init__` not run yet), the version's subpackage is
imported into them, and each parent runs its real `__init__` the first time a name it does not have
yet is asked of it. Code that imports `openapi_pydantic` later in the same process (a test, a
program using clientgen as a library) gets the whole package, with the same classes.

Should openapi-pydantic's layout ever change so this does not apply, the package is imported the
ordinary way: slower, never wrong.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import importlib.util
import sys
from types import ModuleType
from typing import Any

_PACKAGE = "openapi_pydantic"
_PARENTS = (_PACKAGE, f"{_PACKAGE}.v3")


def version_module(name: str) -> ModuleType:
    """`openapi_pydantic.v3.<name>` (`v3_0` or `v3_1`), building only that version's models."""
    qualified = f"{_PACKAGE}.v3.{name}"
    if qualified in sys.modules or _PACKAGE in sys.modules:
        return importlib.import_module(qualified)
    try:
        _register_deferred_parents()
    except (ImportError, AttributeError):  # not laid out as expected: the ordinary import
        for parent in _PARENTS:
            sys.modules.pop(parent, None)
    return importlib.import_module(qualified)


def _register_deferred_parents() -> None:
    path = None
    for name in _PARENTS:
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None or spec.submodule_search_locations is None:
            raise ImportError(f"{name} is not a package here")
        module = importlib.util.module_from_spec(spec)
        module.__dict__["__getattr__"] = _completer(module)
        sys.modules[name] = module
        if path is not None:  # what the import system does for a subpackage it loads
            setattr(sys.modules[_PARENTS[0]], name.rpartition(".")[2], module)
        path = list(spec.submodule_search_locations)


def _completer(module: ModuleType) -> Any:
    """A module `__getattr__` that runs the package's real `__init__` in place, once, and then
    answers from it (PEP 562: it is only asked for names the module does not have)."""

    def complete(name: str) -> Any:
        if module.__dict__.pop("__getattr__", None) is not None:
            spec = module.__spec__
            assert spec is not None and spec.loader is not None
            spec.loader.exec_module(module)
        try:
            return module.__dict__[name]
        except KeyError:
            raise AttributeError(f"module {module.__name__!r} has no attribute {name!r}") from None

    return complete
