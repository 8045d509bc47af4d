"""Published files on object storage: with an S3 bucket as STORAGES["published"], the data zip
and the report PDFs are written to the bucket when data is published, served from it through
the portal, and a failed upload leaves the previous file being served.

The S3 server is a real one speaking the S3 API over HTTP (moto's server, in this process, on a
port of its own); the portal talks to it through django-storages and boto3 as it would to MinIO.
"""

import uuid

import boto3
import pytest
from botocore.config import Config
from django.core.files.storage import FileSystemStorage
from django_tasks_db.models import DBTaskResult
from moto.server import ThreadedMotoServer

from initiatives.models import Initiative
from kraeftplan.files import published_storage
from opendata import datazip
from reports.models import AnnualReport, render_version_pdf
from tests.builders import correcting
from tests.conftest import run_tasks

pytestmark = [
    pytest.mark.django_db,
    # The PDF renderer forks while moto's server thread runs in this process; the child only
    # renders and never touches that thread.
    pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning"),
]

PORT = 8839
ENDPOINT = f"http://127.0.0.1:{PORT}"
CREDENTIALS = {"aws_access_key_id": "kraeftplan-test", "aws_secret_access_key": "kraeftplan-test"}
ZIP_URL = "/data/kraeftplan-data.zip"
PDF_URL = "/rapporter/kraeftplan-iv/2020.pdf"


class S3Server:
    """moto's S3 server on PORT; it keeps its buckets in this process across a restart."""

    def __init__(self):
        self.server = None

    def start(self):
        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=PORT, verbose=False)
        self.server.start()

    def stop(self):
        self.server.stop()


@pytest.fixture(scope="module")
def s3_server():
    server = S3Server()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def bucket(s3_server, settings):
    """A new bucket for each test, set as the published storage."""
    name = f"kraeftplan-{uuid.uuid4().hex[:12]}"
    client = boto3.client("s3", endpoint_url=ENDPOINT, region_name="us-east-1", **CREDENTIALS)
    client.create_bucket(Bucket=name)
    settings.STORAGES = {
        **settings.STORAGES,
        "published": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": name,
                "endpoint_url": ENDPOINT,
                "region_name": "us-east-1",
                "access_key": CREDENTIALS["aws_access_key_id"],
                "secret_key": CREDENTIALS["aws_secret_access_key"],
                "file_overwrite": True,
                "default_acl": None,
                # One attempt: a server that is gone fails the upload at once.
                "client_config": Config(
                    s3={"addressing_style": "path"},
                    signature_version="s3v4",
                    retries={"max_attempts": 1, "mode": "standard"},
                    connect_timeout=2,
                    read_timeout=10,
                ),
            },
        },
    }
    return {"name": name, "client": client}


def in_bucket(bucket, key):
    return bucket["client"].get_object(Bucket=bucket["name"], Key=key)["Body"].read()


def keys(bucket):
    listed = bucket["client"].list_objects_v2(Bucket=bucket["name"])
    return sorted(item["Key"] for item in listed.get("Contents", []))


@pytest.fixture
def report(kp4):
    return AnnualReport.objects.get(plan=kp4, year=2020)


def test_the_settings_give_the_published_storage_the_bucket(bucket):
    storage = published_storage()
    assert not isinstance(storage, FileSystemStorage)
    assert storage.bucket_name == bucket["name"]


def test_a_publication_writes_the_zip_and_the_pdf_to_the_bucket_and_they_are_served_from_it(
    client, ministry, report, bucket, settings
):
    correcting(report.plan, 2020, ministry)
    version = report.publish(user=ministry, note="Rettet")
    assert client.get(PDF_URL).status_code == 503  # not rendered yet
    run_tasks()
    assert keys(bucket) == sorted([datazip.STORED_NAME, version.pdf_name])
    assert not (settings.MEDIA_ROOT / "opendata").exists()  # nothing on the local disk

    stored_zip = in_bucket(bucket, datazip.STORED_NAME)
    assert stored_zip == datazip.build()
    served = client.get(ZIP_URL)
    assert served.status_code == 200
    assert served["Content-Type"] == "application/zip"
    assert served["Content-Disposition"] == 'attachment; filename="kraeftplan-data.zip"'
    assert served["Content-Length"] == str(len(stored_zip))
    assert b"".join(served.streaming_content) == stored_zip

    stored_pdf = in_bucket(bucket, version.pdf_name)
    assert stored_pdf.startswith(b"%PDF")
    pdf = client.get(PDF_URL)
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith('inline; filename="')
    assert b"".join(pdf.streaming_content) == stored_pdf


def test_a_client_that_has_the_file_gets_a_304(client, bucket):
    first = client.get(ZIP_URL)  # no zip yet: the request builds it into the bucket
    assert keys(bucket) == [datazip.STORED_NAME]
    assert first["ETag"] and first["Last-Modified"]
    again = client.get(ZIP_URL, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304 and again["ETag"] == first["ETag"]


def test_a_new_build_replaces_the_object_under_the_same_name(client, bucket):
    before = b"".join(client.get(ZIP_URL).streaming_content)
    Initiative.objects.filter(number="16", plan__slug="kraeftplan-iv").update(title="Nyt navn")
    datazip.queue_rebuild()
    run_tasks()
    after = b"".join(client.get(ZIP_URL).streaming_content)
    assert after != before and after == in_bucket(bucket, datazip.STORED_NAME)
    assert keys(bucket) == [datazip.STORED_NAME]  # no temporary or renamed objects


def test_a_failed_upload_leaves_the_previous_file_served(client, bucket, s3_server):
    before = b"".join(client.get(ZIP_URL).streaming_content)
    Initiative.objects.filter(number="16", plan__slug="kraeftplan-iv").update(title="Nyt navn")
    datazip.queue_rebuild()
    s3_server.stop()  # the object store is gone while the worker uploads
    try:
        run_tasks()
    finally:
        s3_server.start()
    (failed,) = DBTaskResult.objects.failed().filter(task_path=datazip.build_data_zip.module_path)
    assert failed.exception_class_path.startswith("botocore.exceptions.")
    assert in_bucket(bucket, datazip.STORED_NAME) == before
    assert b"".join(client.get(ZIP_URL).streaming_content) == before


def test_a_failed_pdf_render_leaves_no_object_and_the_address_answers_503(
    client, ministry, report, bucket, settings
):
    settings.PDF_RENDER_SECONDS = 1  # the report takes a few seconds: the renderer is stopped
    correcting(report.plan, 2020, ministry)
    version = report.publish(user=ministry, note="Rettet")
    run_tasks()
    assert DBTaskResult.objects.failed().filter(task_path=render_version_pdf.module_path)
    assert version.pdf_name not in keys(bucket)
    assert client.get(PDF_URL).status_code == 503
