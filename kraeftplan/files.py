"""Files the portal builds itself (the open-data zip, published report PDFs), kept in the
default storage under stable names and answered as files."""

import hashlib
import os

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.http import http_date, quote_etag

from kraeftplan.downloads import CONTENT_TYPES


def store_atomically(name: str, content: bytes) -> None:
    """Replace the stored file `name` with content in one step: a reader gets the old file or the
    new one, never half of one, and a write that fails leaves the old file as it was."""
    temporary = default_storage.save(f"{name}.part", ContentFile(content))
    try:
        os.replace(default_storage.path(temporary), default_storage.path(name))
    except BaseException:
        default_storage.delete(temporary)
        raise


def stored_file_response(
    request: HttpRequest, name: str, filename: str, *, inline: bool = False
) -> HttpResponse | FileResponse:
    """The stored file `name` as a download called filename, with an ETag and Last-Modified
    from the file itself, so a client that has it gets a 304."""
    opened = open(default_storage.path(name), "rb")  # noqa: SIM115 - FileResponse closes it
    stat = os.fstat(opened.fileno())
    etag = quote_etag(hashlib.sha256(f"{stat.st_size}-{stat.st_mtime_ns}".encode()).hexdigest())
    if etag in request.headers.get("If-None-Match", ""):
        opened.close()
        response: HttpResponse | FileResponse = HttpResponseNotModified()
    else:
        response = FileResponse(opened, content_type=CONTENT_TYPES[filename.rsplit(".", 1)[-1]])
        disposition = "inline" if inline else "attachment"
        response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["ETag"] = etag
    response["Last-Modified"] = http_date(stat.st_mtime)
    return response
