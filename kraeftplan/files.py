"""Files the portal builds itself (the open-data zip, published report PDFs), kept in the
"published" storage under stable names and answered as files.

The storage is a directory (MEDIA_ROOT) by default and an S3 bucket where one is configured
(settings.STORAGES["published"]). Either way a reader gets the old file or the new one whole:
on a file system the new file is written beside the old one and renamed over it; on S3 one PUT
replaces an object in one step. Files from S3 are streamed through the portal, not redirected to,
so the public address, the download name and the ETag stay the same whichever store holds them.
"""

import hashlib
import os
from collections.abc import Iterator
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponseBase,
    HttpResponseNotModified,
    StreamingHttpResponse,
)
from django.utils.http import http_date, quote_etag

from kraeftplan.downloads import CONTENT_TYPES

PUBLISHED = "published"
CHUNK_BYTES = 64 * 1024


def published_storage() -> Storage:
    """The storage of the files the portal publishes (STORAGES["published"])."""
    return storages[PUBLISHED]


def store_atomically(name: str, content: bytes) -> None:
    """Replace the stored file `name` with content in one step: a reader gets the old file or the
    new one, never half of one, and a write that fails leaves the old file as it was."""
    storage = published_storage()
    if isinstance(storage, FileSystemStorage):
        temporary = storage.save(f"{name}.part", ContentFile(content))
        try:
            os.replace(storage.path(temporary), storage.path(name))
        except BaseException:
            storage.delete(temporary)
            raise
        return
    # Object storage: the PUT of a whole object is atomic, and a failed one leaves the old object.
    saved = storage.save(name, ContentFile(content))
    if saved != name:
        storage.delete(saved)
        raise ImproperlyConfigured(
            f"The published storage stored {name!r} as {saved!r}: it must overwrite "
            "(file_overwrite=True for S3)."
        )


def stored_file_response(
    request: HttpRequest, name: str, filename: str, *, inline: bool = False
) -> HttpResponseBase:
    """The stored file `name` as a download called filename, with an ETag and Last-Modified
    from the file itself, so a client that has it gets a 304."""
    storage = published_storage()
    content_type = CONTENT_TYPES[filename.rsplit(".", 1)[-1]]
    disposition = f'{"inline" if inline else "attachment"}; filename="{filename}"'
    if not isinstance(storage, FileSystemStorage):
        return _object_response(request, storage, name, content_type, disposition)
    opened = open(storage.path(name), "rb")  # noqa: SIM115 - FileResponse closes it
    stat = os.fstat(opened.fileno())
    etag = quote_etag(hashlib.sha256(f"{stat.st_size}-{stat.st_mtime_ns}".encode()).hexdigest())
    if etag in request.headers.get("If-None-Match", ""):
        opened.close()
        response: HttpResponseBase = HttpResponseNotModified()
    else:
        response = FileResponse(opened, content_type=content_type)
        response["Content-Disposition"] = disposition
    response["ETag"] = etag
    response["Last-Modified"] = http_date(stat.st_mtime)
    return response


def _object_response(
    request: HttpRequest, storage: Any, name: str, content_type: str, disposition: str
) -> HttpResponseBase:
    """The object `name` of an S3 storage (django-storages' S3Storage), streamed from one GET:
    its body, length, ETag and time all belong to the same version of the object."""
    key = storage._normalize_name(name)
    found = storage.bucket.meta.client.get_object(Bucket=storage.bucket_name, Key=key)
    body = found["Body"]
    etag = found["ETag"]  # S3 gives it quoted, as HTTP wants it
    response: HttpResponseBase
    if etag in request.headers.get("If-None-Match", ""):
        body.close()
        response = HttpResponseNotModified()
    else:
        response = StreamingHttpResponse(_chunks(body), content_type=content_type)
        response["Content-Length"] = str(found["ContentLength"])
        response["Content-Disposition"] = disposition
    response["ETag"] = etag
    response["Last-Modified"] = http_date(found["LastModified"].timestamp())
    return response


def _chunks(body: Any) -> Iterator[bytes]:
    try:
        yield from body.iter_chunks(CHUNK_BYTES)
    finally:
        body.close()
