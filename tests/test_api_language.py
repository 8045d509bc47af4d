"""The API and the open data speak one language, Danish, whatever the client asks for: every
description in it is Danish (none left in English beside Danish ones), and every address has
one answer (which the page store keeps for everyone)."""

import io
import zipfile

import pytest
from django.core.cache import caches
from django.utils import translation

from opendata.datazip import data_dictionary
from opendata.views import openapi_schema

pytestmark = pytest.mark.django_db

TEXTS = ("description", "summary", "title")


def texts(document, path=""):
    """(path, text) of every description, summary and title in an OpenAPI document."""
    if isinstance(document, dict):
        for key, value in document.items():
            if key in TEXTS and isinstance(value, str):
                yield f"{path}/{key}", value
            else:
                yield from texts(value, f"{path}/{key}")
    elif isinstance(document, list):
        for index, value in enumerate(document):
            yield from texts(value, f"{path}/{index}")


@pytest.mark.parametrize(
    "url", ["/api/v1/", "/api/v1/openapi.json", "/api/v1/initiativer/?offset=x"]
)
def test_the_api_answers_in_danish_whatever_the_client_asks_for(client, url):
    answers = []
    for language in ("en", "da", "en-GB,en;q=0.9", ""):
        caches["default"].clear()  # each asks the view, not the store
        response = client.get(url, headers={"accept-language": language})
        assert response["Content-Language"] == "da", language
        answers.append(response.content)
    assert len(set(answers)) == 1
    if url.endswith("offset=x"):
        assert "limit og offset skal være hele tal" in answers[0].decode()


def test_every_text_of_the_openapi_document_is_in_danish():
    with translation.override("da"):
        danish = dict(texts(openapi_schema()))
    with translation.override("en"):
        english = dict(texts(openapi_schema()))
    assert danish.keys() == english.keys()
    # A text the same in both is one left in English, but for a name and a word both share.
    same = {text for path, text in danish.items() if english[path] == text}
    assert same <= {"Kræftplan-portalen API", "Note."}


def test_the_data_zip_is_in_danish_whoever_asks_for_it(client):
    response = client.get("/data/kraeftplan-data.zip", headers={"accept-language": "en"})
    archive = zipfile.ZipFile(io.BytesIO(response.getvalue()))
    with translation.override("da"):
        assert archive.read("datadictionary.csv").decode() == data_dictionary()
    with translation.override("en"):
        assert archive.read("datadictionary.csv").decode() != data_dictionary()
