"""A build imports only its spec's version of openapi-pydantic's models, and the package stays whole
for anyone who imports it afterwards in the same process.

Each case runs in a fresh interpreter: what is imported is the point, and this test process has
long imported openapi-pydantic whole."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

_DOCUMENT = "openapi: {version}\ninfo: {{title: T, version: '1'}}\npaths: {{}}\n"


def _run(code: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


@pytest.mark.parametrize(
    ("version", "wanted", "other"), [("3.0.3", "v3_0", "v3_1"), ("3.1.0", "v3_1", "v3_0")]
)
def test_loading_a_spec_builds_only_its_versions_models(
    tmp_path, version: str, wanted: str, other: str
) -> None:
    spec = tmp_path / "openapi.yaml"
    spec.write_text(_DOCUMENT.format(version=version))
    seen = _run(
        f"""
        import json, sys
        from pathlib import Path
        from generator.load import load_document
        from generator.spec import load_spec
        spec = load_spec(load_document(Path({str(spec)!r})))
        print(json.dumps({{
            "model": type(spec.model).__module__,
            "wanted": "openapi_pydantic.v3.{wanted}" in sys.modules,
            "other": "openapi_pydantic.v3.{other}" in sys.modules,
            "parser": "openapi_pydantic.v3.parser" in sys.modules,
        }}))
        """
    )
    assert seen == {
        "model": f"openapi_pydantic.v3.{wanted}.open_api",
        "wanted": True,
        "other": False,
        "parser": False,
    }


def test_the_package_is_whole_when_imported_after_a_build() -> None:
    seen = _run(
        """
        import json
        from generator.openapi_models import version_module
        alone = version_module("v3_1")
        import openapi_pydantic
        import openapi_pydantic.v3.v3_0 as v3_0
        from openapi_pydantic.v3 import v3_1, parse_obj
        parsed = parse_obj({"openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "paths": {}})
        try:
            openapi_pydantic.no_such_name
            missing = "found"
        except AttributeError:
            missing = "AttributeError"
        print(json.dumps({
            "same classes": openapi_pydantic.OpenAPI is alone.OpenAPI and v3_1 is alone,
            "attributes": openapi_pydantic.v3.v3_0 is v3_0 and openapi_pydantic.v3.v3_1 is alone,
            "parsed": type(parsed) is v3_0.OpenAPI,
            "missing": missing,
        }))
        """
    )
    assert seen == {"same classes": True, "attributes": True, "parsed": True, "missing": "AttributeError"}


def test_a_second_version_in_the_same_process_is_imported_alone_too() -> None:
    seen = _run(
        """
        import json, sys
        from generator.openapi_models import version_module
        first, second = version_module("v3_1"), version_module("v3_0")
        print(json.dumps({
            "versions": [first.__name__, second.__name__],
            "parser": "openapi_pydantic.v3.parser" in sys.modules,
            "again": version_module("v3_1") is first,
        }))
        """
    )
    assert seen == {
        "versions": ["openapi_pydantic.v3.v3_1", "openapi_pydantic.v3.v3_0"],
        "parser": False,
        "again": True,
    }
