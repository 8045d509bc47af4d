"""Bad input to the API gets a Danish 400 and changes nothing: huge numbers, digits that are not
0-9, control characters (a NUL byte cannot reach PostgreSQL). Runs on SQLite and PostgreSQL."""

import pytest

from opendata.resources import RESOURCES

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", [r.name for r in RESOURCES])
@pytest.mark.parametrize(
    "params",
    [
        {"offset": "100000000000000000000"},
        {"offset": "²⁰"},
        {"limit": "１０"},  # full-width digits
        {"offset": "-1"},
    ],
)
def test_paging_out_of_range_is_a_danish_400(client, name, params):
    response = client.get(f"/api/v1/{name}/", params)
    assert response.status_code == 400
    assert "limit og offset skal være hele tal" in response.json()["fejl"][0]


@pytest.mark.parametrize("name", [r.name for r in RESOURCES])
def test_a_control_character_in_any_parameter_is_a_danish_400(client, name):
    resource = next(r for r in RESOURCES if r.name == name)
    for parameter in resource.filters:
        response = client.get(f"/api/v1/{name}/", {parameter: "a\x00b"})
        assert response.status_code == 400, parameter
        assert "kontroltegn" in response.json()["fejl"][0]


@pytest.mark.parametrize("value", ["²⁰²⁰", "２０２０", "99999999999999999999", "2020.5", "2020."])
def test_a_year_that_is_not_a_plain_number_is_a_danish_400(client, value):
    for name in ("status", "cases", "statustekster"):
        response = client.get(f"/api/v1/{name}/", {"aar": value})
        assert response.status_code == 400, (name, value)
        assert response.json()["fejl"]
    response = client.get("/api/v1/initiativer/", {"status": "on_track", "aar": value})
    assert response.status_code == 400


def test_a_whole_number_written_with_zero_decimals_is_that_number(client):
    # The description says "integer" (JSON schema), which 2020.0 is.
    for name in ("status", "cases", "statustekster"):
        plain = client.get(f"/api/v1/{name}/", {"aar": "2020"})
        decimal = client.get(f"/api/v1/{name}/", {"aar": "2020.00"})
        assert plain.status_code == decimal.status_code == 200, name
        assert decimal.json()["results"] == plain.json()["results"] != [], name


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_every_other_method_than_get_and_head_is_a_405(method):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)  # as a browser or a script meets the site
    for url in ["/api/v1/", "/api/v1/openapi.json", "/data/kraeftplan-data.zip"] + [
        f"/api/v1/{r.name}/" for r in RESOURCES
    ]:
        response = getattr(client, method)(url)
        assert response.status_code == 405, (method, url)
        assert response["Allow"] == "GET, HEAD"
    assert client.head("/api/v1/planer/").status_code == 200


def test_a_search_longer_than_a_search_is_a_danish_400(client):
    # Hundreds of words once exceeded SQLite's expression depth: a 500.
    for words in ["kræft " * 11, "k" * 201, "a " * 3000]:
        response = client.get("/api/v1/initiativer/", {"q": words})
        assert response.status_code == 400
        assert response.json()["fejl"] == ["En søgning kan højst have 10 ord og 200 tegn."]
    assert client.get("/api/v1/initiativer/", {"q": "kræft " * 10}).status_code == 200
