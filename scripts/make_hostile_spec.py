"""Writes tests/cases/hostile/openapi.json: hostile text in every string of an OpenAPI document that can
reach generated code (issue 6). Run again after changing the payloads; the JSON is committed.

Every payload, if it escaped its string literal, docstring or comment, would create a file named CANARY
in the working directory at import time; tests/test_hostile.py checks that it never appears.
"""

from __future__ import annotations

import json
from pathlib import Path

TARGET = Path(__file__).resolve().parents[1] / "tests" / "cases" / "hostile" / "openapi.json"
RUN = '__import__("os").system("touch CANARY")'
PAYLOADS = [
    f'"""; {RUN}; """',  # openapi-python-client GHSA-5293-mq8x-g3xj style
    f"'''; {RUN}; '''",
    f'"; {RUN}; "',
    f"'; {RUN}; '",
    f'\\"""; {RUN}; #',  # a backslash before the quotes
    f'{{{RUN}}} f"{{{RUN}}}"',  # f-string braces
    f"\nimport os; os.system('touch CANARY')  # ",  # datamodel-code-generator CVE style newline
    f"\r{RUN}\r\n# \u2028{RUN}\u2029 {RUN}",
    f"NUL\x00{RUN}\x0b\x0c\x1c\x85",
    "{{ 7 * 7 }} {% raw %}{% endraw %} {% if True %}{{ lipsum.__globals__ }}{% endif %} {# c #}",
    "*/ /* # comment */ -- <!-- --> ` $(touch CANARY)",
    "ends with a backslash \\",
    '"',
    '""""',
    "Ünïcödé — 日本語 🚀 \u202e\u200b",
    "class",
    "None",
    "print",
    "__init__",
    "model_config",
]
ALL_TEXT = "\n".join(PAYLOADS)


def text(index: int) -> str:
    return PAYLOADS[index % len(PAYLOADS)]


def extensions(index: int) -> dict[str, str]:
    return {f"x-{text(index)}": text(index + 1), "x-hostile": ALL_TEXT}


def thing_schema() -> dict[str, object]:
    properties: dict[str, object] = {}
    for i, payload in enumerate(PAYLOADS):
        properties[payload] = {
            "type": "string",
            "description": text(i + 1),
            "default": text(i + 2),
            "example": text(i + 3),
            **extensions(i),
        }
    properties["choice"] = {"type": "string", "enum": PAYLOADS, "default": PAYLOADS[0], "description": ALL_TEXT}
    properties["count"] = {"type": "integer", "enum": [0, -1, 2**53], "default": 2**53}
    properties["nested"] = {"type": "object", "description": text(3), "properties": {text(6): {"type": "integer"}}}
    return {
        "type": "object",
        "title": text(0),
        "description": ALL_TEXT,
        "required": [PAYLOADS[0], "choice"],
        "properties": properties,
        "example": {p: p for p in PAYLOADS},
        **extensions(2),
    }


def event(kind: str, index: int) -> dict[str, object]:
    return {
        "type": "object",
        "description": text(index),
        "required": [text(0)],
        "properties": {text(0): {"type": "string", "enum": [kind]}, text(index): {"type": "string"}},
    }


def document() -> dict[str, object]:
    cat, dog = PAYLOADS[1], PAYLOADS[6]
    return {
        "openapi": "3.1.0",
        "info": {"title": text(0), "description": ALL_TEXT, "version": text(5), "summary": text(2), **extensions(0)},
        "servers": [
            {
                "url": "https://{host}/base",
                "description": ALL_TEXT,
                "variables": {"host": {"default": "api.example.com", "enum": ["api.example.com", text(0)], "description": ALL_TEXT}},
            }
        ],
        "tags": [{"name": p, "description": text(i + 1)} for i, p in enumerate(PAYLOADS)],
        "security": [{text(0): []}],
        "paths": {
            "/items/{class}/{__import__}/x'% y#frag'\"": {
                "summary": text(3),
                "description": ALL_TEXT,
                "parameters": [
                    {"name": "class", "in": "path", "required": True, "schema": {"type": "string"}, "description": text(2)},
                    {"name": "__import__", "in": "path", "required": True, "schema": {"type": "string"}, "description": text(4)},
                ],
                "get": {
                    "operationId": text(0),
                    "summary": text(1),
                    "description": ALL_TEXT,
                    "tags": PAYLOADS,
                    "parameters": [
                        {"name": text(0), "in": "query", "schema": {"type": "string", "enum": PAYLOADS, "default": text(0)}, "description": text(7), "example": text(8)},
                        {"name": text(6), "in": "query", "schema": {"type": "integer"}, "description": text(9)},
                        {"name": "def", "in": "query", "schema": {"type": "boolean"}},
                        {"name": "X-Hostile'#|~!*%", "in": "header", "schema": {"type": "string"}, "description": text(10)},
                        {"name": "ck'#!|~", "in": "cookie", "schema": {"type": "string"}, "description": text(11)},
                    ],
                    "responses": {
                        "200": {
                            "description": ALL_TEXT,
                            "headers": {text(0): {"schema": {"type": "string"}, "description": text(1)}},
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}, "example": {"choice": text(0)}}},
                        },
                        "default": {"description": text(2), "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Thing"}}}},
                    },
                    **extensions(4),
                },
                "post": {
                    "operationId": text(2),
                    "description": text(3),
                    "requestBody": {
                        "description": ALL_TEXT,
                        "required": True,
                        "content": {'application/vnd.hostile"\'#+json': {"schema": {"$ref": "#/components/schemas/Thing"}}},
                    },
                    "responses": {"204": {"description": text(4)}},
                },
            },
            f"/events/{{{text(15)}}}": {
                "get": {
                    "operationId": text(6),
                    "summary": text(7),
                    "parameters": [{"name": text(15), "in": "path", "required": True, "schema": {"type": "string"}}],
                    "responses": {
                        "200": {
                            "description": text(8),
                            "content": {"text/event-stream": {"schema": {"$ref": "#/components/schemas/Event"}}},
                        }
                    },
                }
            },
        },
        "components": {
            "securitySchemes": {
                text(0): {"type": "apiKey", "in": "header", "name": "X-Key'#|~!", "description": ALL_TEXT, **extensions(5)},
                text(6): {"type": "apiKey", "in": "query", "name": text(0), "description": text(1)},
                text(9): {"type": "apiKey", "in": "cookie", "name": "sess'#!", "description": text(2)},
            },
            "schemas": {
                "Thing": thing_schema(),
                text(0): {"type": "string", "enum": PAYLOADS, "description": ALL_TEXT, "default": text(1), "example": text(2)},
                text(3): {"type": "array", "items": {"$ref": f"#/components/schemas/{text(0).replace('~', '~0').replace('/', '~1')}"}},
                "Event": {
                    "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
                    "discriminator": {"propertyName": text(0), "mapping": {cat: "#/components/schemas/Cat", dog: "#/components/schemas/Dog"}},
                    "description": ALL_TEXT,
                },
                "Cat": event(cat, 1),
                "Dog": event(dog, 6),
            },
        },
        **extensions(7),
    }


if __name__ == "__main__":
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(json.dumps(document(), indent=1, ensure_ascii=True) + "\n", encoding="utf-8")
    print(f"wrote {TARGET}")
