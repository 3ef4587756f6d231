"""A generated multipart upload (golden case `multipart`): files as bytes, tuples or file objects, plain
fields as parts, absent optional fields left out."""

from __future__ import annotations

import importlib
import io
import sys

import httpx
import pytest

import golden


@pytest.fixture(scope="module")
def multipart_client(tmp_path_factory):
    root = tmp_path_factory.mktemp("multipart")
    golden.write_package("multipart", root)
    sys.path.insert(0, str(root))
    try:
        yield importlib.import_module("multipart_client")
    finally:
        sys.path.remove(str(root))


def upload(package, **kwargs) -> httpx.Request:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        request.read()
        seen.append(request)
        return httpx.Response(201, json={"id": "f1", "size": 3})

    with package.Client(http_client=httpx.Client(transport=httpx.MockTransport(answer))) as client:
        result = client.files.create(**kwargs)
    assert isinstance(result, package.models.UploadFileResponse) and result.id == "f1"
    return seen[0]


@pytest.mark.parametrize(
    ("file", "disposition"),
    [
        (("report.txt", b"abc", "text/plain"), b'name="file"; filename="report.txt"\r\nContent-Type: text/plain\r\n\r\nabc'),
        (("report.txt", io.BytesIO(b"abc")), b'name="file"; filename="report.txt"'),
        (b"abc", b'name="file"; filename="upload"'),
    ],
    ids=["tuple-with-type", "file-object", "bytes"],
)
def test_file_and_fields_go_as_parts(multipart_client, file, disposition):
    request = upload(multipart_client, file=file, user="u1", tags=["a", "b"])
    content_type = request.headers["content-type"]
    assert content_type.startswith("multipart/form-data; boundary=")
    body = request.content
    assert disposition in body
    assert b'name="user"\r\n\r\nu1' in body
    assert body.count(b'name="tags"') == 2  # a list field repeats its part
    assert b'name="note"' not in body  # absent optional fields are not sent
