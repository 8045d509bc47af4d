"""The open data: API, OpenAPI schema in step with the responses, zip, table downloads."""

import csv
import io
import re
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from jsonschema import Draft202012Validator

from budget.models import BudgetLine
from initiatives.models import Case, Initiative, MeasureStatus
from kraeftplan.downloads import neutralise
from opendata.resources import RESOURCES
from tests.conftest import DRAFT_MARKER

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    return client.get("/api/v1/openapi.json").json()


def all_results(client, name, **params):
    response = client.get(f"/api/v1/{name}/", {"limit": 1000, **params})
    assert response.status_code == 200
    return response.json()


class TestApi:
    def test_the_index_lists_every_resource_and_the_schema(self, client):
        index = client.get("/api/v1/").json()
        assert set(index["ressourcer"]) == {r.name for r in RESOURCES}
        assert index["openapi"].endswith("/api/v1/openapi.json")

    @pytest.mark.parametrize("name", [r.name for r in RESOURCES])
    def test_every_response_matches_the_openapi_schema(self, client, schema, name):
        body = all_results(client, name)
        assert body["count"] == len(body["results"]) > 0
        validator = Draft202012Validator(schema["components"]["schemas"][name])
        for row in body["results"]:
            errors = list(validator.iter_errors(row))
            assert errors == [], errors[0].message
        assert f"/api/v1/{name}/" in schema["paths"]
        documented = {p["name"] for p in schema["paths"][f"/api/v1/{name}/"]["get"]["parameters"]}
        assert documented == set(next(r for r in RESOURCES if r.name == name).filters) | {
            "limit",
            "offset",
        }

    def test_the_cases_of_the_published_reports(self, client):
        cases = all_results(client, "cases", plan="kraeftplan-iv")["results"]
        labels = [c["label"] for c in cases]
        assert len(cases) == 11 and "Pilotprojekt 1" in labels and "Case 12" in labels
        first = next(c for c in cases if c["label"] == "Case 4")
        initiative = client.get("/api/v1/initiativer/?plan=kraeftplan-iv&limit=100").json()
        assert first["initiative"] in {i["id"] for i in initiative["results"]}
        assert all_results(client, "cases", aar="2019")["results"] == [
            c for c in all_results(client, "cases")["results"] if c["year"] == 2019
        ]
        response = client.get("/api/v1/cases/", {"aar": "tyve"})
        assert response.status_code == 400
        assert response.json() == {"fejl": ["År skal være et helt tal, ikke tyve."]}

    def test_amounts_are_exact_and_as_published(self, client):
        lines = all_results(client, "budgetlinjer", plan="kraeftplan-iv")["results"]
        hpv = next(line for line in lines if line["label"] == "HPV-vaccination")
        assert hpv["stated_total"] == "5"
        assert [a["amount"] for a in hpv["amounts"]] == ["3", "2", "2.5", "0"]
        first = next(line for line in lines if line["label"].startswith("Heraf identificering"))
        assert first["amounts"][0] == {"year": 2017, "amount": "0.6"}
        assert first["parent"] == next(
            line["id"]
            for line in lines
            if line["label"] == "Udbredelse af beslutningsstøtteværktøjer"
        )

    def test_filters_work_like_the_pages(self, client):
        body = all_results(client, "initiativer", plan="kraeftplan-iv", q="rygestop")
        assert [r["number"] for r in body["results"]] == ["8"]
        statuses = all_results(client, "status", aar="2020", status="discontinued")["results"]
        assert [s["wording"] for s in statuses] == ["Indstillet"]
        assert all_results(client, "initiativer", type="recommendation")["count"] == 9

    def test_paging_links(self, client):
        body = client.get("/api/v1/indsatser/", {"limit": 10}).json()
        assert body["count"] == 39 and len(body["results"]) == 10 and body["previous"] is None
        second = client.get(body["next"]).json()
        assert second["results"][0]["id"] != body["results"][0]["id"]

    @pytest.mark.parametrize(
        ("params", "message"),
        [
            ({"plan": "kraeftplan-vi"}, "Ukendt plan: kraeftplan-vi."),
            ({"aar": "tyve"}, "År skal være et helt tal, ikke tyve."),
            ({"status": "maybe"}, "Ukendt status: maybe."),
            ({"limit": "0"}, "limit skal være mellem 1 og 1000"),
            ({"offset": "x"}, "limit og offset skal være hele tal"),
            ({"foo": "1"}, "Ukendt parameter foo."),
        ],
    )
    def test_bad_parameters_get_a_danish_message(self, client, params, message):
        response = client.get("/api/v1/status/", params)
        assert response.status_code == 400
        assert message in response.json()["fejl"][0]

    def test_an_unknown_resource_is_404(self, client):
        assert client.get("/api/v1/hemmeligt/").status_code == 404

    # The public data version (kraeftplan.pagecache), count + page, and a prefetch for each
    # list in a row (responsibilities, statuses, amounts)
    QUERIES = dict.fromkeys((r.name for r in RESOURCES), 3) | {
        "initiativer": 4,
        "indsatser": 4,
        "budgetlinjer": 4,
        # plans, checked stated figures, budget lines with their sums, years where sub-lines
        # differ (budget.checks.budget_findings), recorded findings: computed, not a queryset,
        # so no separate count
        "findings": 6,
    }

    def test_the_description_lists_the_values_that_exist_in_three_queries(self, client):
        # plans' slugs, organisations' slugs, years with published statuses; and first the
        # public data version (kraeftplan.pagecache)
        with CaptureQueriesContext(connection) as queries:
            schema = client.get("/api/v1/openapi.json").json()
        assert len(queries) == 1 + 3
        parameters = {
            p["name"]: p["schema"]
            for p in schema["paths"]["/api/v1/initiativer/"]["get"]["parameters"]
        }
        plans = [p["slug"] for p in all_results(client, "planer")["results"]]
        assert parameters["plan"]["enum"] == sorted(plans)
        years = {s["year"] for s in all_results(client, "status")["results"]}
        assert parameters["aar"]["enum"] == sorted(years)

    def test_list_endpoints_take_a_fixed_number_of_queries(self, client):
        counts = {}
        for resource in RESOURCES:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(f"/api/v1/{resource.name}/", {"limit": 1000}).status_code == 200
            counts[resource.name] = len(queries)
        assert counts == self.QUERIES


class TestZip:
    def test_the_zip_holds_every_resource_as_csv_and_a_data_dictionary(self, client):
        response = client.get("/data/kraeftplan-data.zip")
        assert response["Content-Type"] == "application/zip"
        archive = zipfile.ZipFile(io.BytesIO(response.getvalue()))
        names = set(archive.namelist())
        files = {"datadictionary.csv"} | {f"{r.name}.csv" for r in RESOURCES}
        # The same files for Danish Excel in excel/ (tests/test_csv_for_excel.py).
        assert names == {"LAESMIG.txt", *files, *(f"excel/{name}" for name in files)}
        dictionary = list(csv.DictReader(io.StringIO(archive.read("datadictionary.csv").decode())))
        for resource in RESOURCES:
            rows = list(csv.DictReader(io.StringIO(archive.read(f"{resource.name}.csv").decode())))
            assert rows, resource.name
            described = {
                d["kolonne"]
                for d in dictionary
                if d["fil"] == f"{resource.name}.csv" and d["kolonne"]
            }
            assert described == set(rows[0]) == {f.name for f in resource.csv_fields()}
        amounts = list(csv.DictReader(io.StringIO(archive.read("budgetbeloeb.csv").decode())))
        assert sum(Decimal(a["amount"]) for a in amounts if a["plan"] == "jo-foer-jo-bedre") == 2200


class TestDownloads:
    def test_the_initiative_table_downloads_with_its_filters(self, client):
        response = client.get(
            "/initiativer/", {"plan": "kraeftplan-v", "type": "regional", "hent": "csv"}
        )
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
        assert rows[0][:3] == ["Plan", "Nr.", "Initiativ"]
        assert (
            len(rows) == 6
            and response["Content-Disposition"] == 'attachment; filename="initiativer.csv"'
        )

    def test_the_budget_downloads_as_xlsx_with_real_numbers(self, client):
        response = client.get("/budget/kraeftplan-iv/", {"hent": "xlsx"})
        assert 'filename="oekonomi-kraeftplan-iv.xlsx"' in response["Content-Disposition"]
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        rows = {row[1]: row for row in sheet.iter_rows(values_only=True)}
        assert rows["HPV-vaccination"][2:8] == (3, 2, 2.5, 0, 5, 7.5)
        assert rows["HPV-vaccination"][9].startswith("I alt er angivet til 5")

    def test_indicator_tables_download(self, client):
        indicator_id = client.get("/api/v1/indikatorer/", {"limit": 1}).json()["results"][0]["id"]
        response = client.get(f"/indikatorer/{indicator_id}.csv")
        assert response.status_code == 200 and "2016-2018" in response.content.decode("utf-8-sig")
        assert client.get(f"/indikatorer/{indicator_id}.pdf").status_code == 404

    @pytest.mark.parametrize(
        "text", ['=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]
    )
    def test_formula_cells_are_neutralised(self, text):
        assert neutralise(text) == "'" + text

    def test_a_typed_formula_never_reaches_a_spreadsheet_as_a_formula(self, client, kp4):
        Initiative.objects.filter(plan=kp4, number="16").update(
            title='=HYPERLINK("http://evil","x")'
        )
        BudgetLine.objects.filter(label="HPV-vaccination").update(label="@SUM(1+1)")
        text = client.get("/initiativer/", {"plan": "kraeftplan-iv", "hent": "csv"}).content.decode(
            "utf-8-sig"
        )
        assert "'=HYPERLINK" in text
        sheet = openpyxl.load_workbook(
            io.BytesIO(client.get("/budget/kraeftplan-iv/", {"hent": "xlsx"}).content)
        ).active
        labels = [row[1] for row in sheet.iter_rows(values_only=True)]
        assert "'@SUM(1+1)" in labels
        archive = zipfile.ZipFile(io.BytesIO(client.get("/data/kraeftplan-data.zip").getvalue()))
        assert "'=HYPERLINK" in archive.read("initiativer.csv").decode()


def public_downloads(client):
    """What anyone gets from every API resource, every file of the zip and the table downloads
    (the year 2019 is a draft: asking for it is refused)."""
    found = {
        resource.name: client.get(f"/api/v1/{resource.name}/", {"limit": 1000}).content.decode()
        for resource in RESOURCES
    }
    archive = zipfile.ZipFile(io.BytesIO(client.get("/data/kraeftplan-data.zip").getvalue()))
    found |= {name: archive.read(name).decode() for name in archive.namelist()}
    for url in [
        "/initiativer/?hent=csv",
        "/initiativer/?aar=2019&hent=csv",
        "/initiativer/?status=delayed&hent=csv",
        "/budget/kraeftplan-iv/?hent=csv",
    ]:
        response = client.get(url)
        text = response.content.decode("utf-8-sig")
        # A refusal is a page whose CSRF token differs each time; the rest must not.
        found[url] = (response.status_code, re.sub(r'csrfmiddlewaretoken" value="[^"]*', "", text))
    return found


def test_no_draft_in_the_api_the_zip_or_any_download(client, drafts):
    with_drafts = public_downloads(client)
    assert [name for name, text in with_drafts.items() if DRAFT_MARKER in str(text)] == []
    # Nor a trace of them (a status count, a year): without them, every download is the same.
    assert MeasureStatus.objects.filter(wording__contains=DRAFT_MARKER).delete()[0] == 50
    assert Case.objects.filter(title__contains=DRAFT_MARKER).delete()[0] > 0
    assert public_downloads(client) == with_drafts


def test_the_api_filters_initiatives_by_status_in_a_year_like_the_page(client):
    body = client.get("/api/v1/initiativer/", {"status": "delayed", "aar": "2020"}).json()
    assert sorted(r["number"] for r in body["results"]) == ["11", "2", "6"]
    assert client.get("/api/v1/initiativer/", {"status": "delayed"}).json()["count"] == 3
    response = client.get("/api/v1/initiativer/", {"status": "delayed", "aar": "2019"})
    assert response.status_code == 400 and "2019" in response.json()["fejl"][0]
    element = client.get("/api/v1/hovedelementer/", {"plan": "kraeftplan-iv"}).json()["results"][1]
    body = client.get("/api/v1/initiativer/", {"hovedelement": element["id"]}).json()
    assert sorted(r["number"] for r in body["results"]) == ["7", "8", "9"]
