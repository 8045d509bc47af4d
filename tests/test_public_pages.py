"""The public pages: what they show, what they refuse, and that their queries do not grow."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from initiatives.models import Initiative
from targets.models import NationalTarget
from tests.builders import make_large_plan, set_report
from tests.conftest import DRAFT_MARKER

pytestmark = pytest.mark.django_db


def text_of(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def listed(response):
    """The addresses of the initiatives in the rows of a list page's table."""
    table = re.search(r"<tbody.*?</tbody>", response.content.decode(), re.S)[0]
    return re.findall(r'<a href="(/initiativer/[^"]+/)">', table)


def page_urls(plan_slug="kraeftplan-iv", initiative="12", target=None):
    target = (
        target or NationalTarget.objects.filter(plan__slug=plan_slug).order_by("number").first()
    )
    return {
        "forside": "/",
        "planer": "/planer/",
        "plan": f"/planer/{plan_slug}/",
        "initiativer": "/initiativer/",
        "initiativ": f"/initiativer/{plan_slug}/{initiative}/",
        "budget": f"/budget/{plan_slug}/",
        "maal": "/maal/",
        "maal_detalje": f"/maal/{target.pk}/",
    }


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


class TestQueryCounts:
    # Pinned from the seeds; a generated plan ten times their size must not add one query.
    # plan: the plan (with successor, latest status year, and as JSON its parties, milestones,
    # main elements, targets and own indicators), initiatives (at most 25 a group, and those
    # continuing after the plan), the status wordings and counts, money per year, its figures'
    # measurements, the findings (stated figures, lines with their sums, differing years,
    # recorded findings). initiativ: the initiative (with, as JSON, its responsible
    # organisations, continuations, comments, targets and recorded findings), measures and
    # their statuses, cases, status texts, its budget lines with their sub-lines and their
    # amounts (the findings are checked from these), indicators and measurements. budget:
    # the plan with its count of lines, a page of lines and their amounts, money by main
    # element and recipient, the findings (4). maal: the plans (the plan filter's choices), the
    # count for the paging.
    QUERIES = {
        "forside": 4,
        "planer": 3,
        "plan": 10,
        "initiativer": 9,
        "initiativ": 10,
        "budget": 9,
        "maal": 4,
        "maal_detalje": 6,
    }

    def test_every_public_page_has_a_fixed_number_of_queries(self, client):
        counts = {name: count_queries(client, url) for name, url in page_urls().items()}
        assert counts == self.QUERIES

    def test_ten_times_the_data_costs_no_extra_query(self, client):
        seeds = {name: count_queries(client, url) for name, url in page_urls().items()}
        make_large_plan(scale=10)
        large = {
            name: count_queries(client, url) for name, url in page_urls("stor-plan", "7").items()
        }
        assert all(large[name] <= seeds[name] for name in seeds), (large, seeds)
        assert Initiative.objects.filter(plan__slug="stor-plan").count() == 160


class TestContent:
    def test_the_plan_page_shows_elements_initiatives_status_targets_and_lineage(self, client):
        page = text_of(client.get("/planer/kraeftplan-iv/"))
        assert "Patienten først og fremmest" in page and "Rettidig omhu" in page
        assert "Hjælp til rygestop til særlige grupper og kræftpatienter" in page
        assert "Status 2020" in page and "Følger tidsplanen (2 indsatser)" in page
        assert "Forbedret kræftoverlevelse" in page
        assert "Jo før – jo bedre" in page and "Kræftplan V" in page
        assert "Fortsætter efter planperioden" in page

    def test_a_plan_in_preparation_shows_its_draft_recommendations_and_comments(self, client):
        page = text_of(client.get("/planer/kraeftplan-v/"))
        assert "Udkast til anbefalinger" in page and "Anbefaling 9" in page
        assert "National digitalisering af patologien" in page
        assert "Styrket monitorering af de maksimale ventetider" in page

    def test_the_initiative_page_shows_measures_statuses_money_targets_and_cases(self, client):
        page = text_of(client.get("/initiativer/kraeftplan-iv/13/"))
        assert "Løft i den basale palliation" in page and "Hospicepulje" in page
        assert "80 mio. kr. i alt i 2017-2020 og 29 mio. kr. årligt fra 2021" in page
        assert "Heraf basal palliativ indsats" in page and "79,5" in page
        case_page = text_of(client.get("/initiativer/kraeftplan-iv/3/"))
        assert "Case 4. Aarhus Universitetshospital" in case_page

    def test_the_budget_page_shows_the_slip_next_to_the_numbers(self, client):
        page = client.get("/budget/kraeftplan-iv/").content.decode()
        row = re.search(r"<tr class=\"kp-has-finding\">.*?</tr>", page, re.S)[0]
        assert (
            "HPV-vaccination" in row and "I alt er angivet til 5, men årene summerer til 7,5" in row
        )
        findings = re.search(r'<section class="kp-findings".*?</section>', page, re.S)[0]
        assert "linjens I alt: 5; beregnet af portalen: 7,5" in findings
        assert "teksten: 384; beregnet af portalen: 388" in findings
        assert "Fra 2021 og frem" in page

    def test_target_pages_show_indicator_tables_with_periods_sources_and_caveats(self, client):
        target = NationalTarget.objects.get(plan__slug="kraeftplan-iv", number=1)
        page = text_of(client.get(target.get_absolute_url()))
        assert "2016-2018" in page and "Mænd" in page and "Kvinder" in page
        assert "De Nationale Mål for sundhedsvæsenet" in page
        assert "LPR3" in page
        assert "Initiativer, der understøtter målet" in page

    def test_numbers_are_danish_and_years_are_not_grouped(self, client):
        page = text_of(client.get("/"))
        assert "1.473,5" in page and "2.017" not in page and "2017" in page


class TestInitiativeList:
    def test_filters_combine_and_stay_in_the_url(self, client):
        response = client.get("/initiativer/", {"plan": "kraeftplan-iv", "status": "delayed"})
        page = text_of(response)
        assert "Patienten skal med på råd" in page
        assert "Høj og ensartet kvalitet for kræftpatienter i hele landet" in page
        assert "Bedre brug af data" not in page
        assert 'value="kraeftplan-iv" selected' in response.content.decode()

    def test_search_finds_danish_words_in_any_case(self, client):
        response = client.get("/initiativer/", {"q": "VÆRDIG"})
        assert listed(response) == ["/initiativer/kraeftplan-iv/13/"]
        assert "En værdig og god palliativ indsats" in text_of(response)

    def test_filter_by_responsible_organisation_and_kind(self, client):
        response = client.get("/initiativer/", {"organisation": "sundhedsdatastyrelsen"})
        assert listed(response) == [
            "/initiativer/kraeftplan-iv/16/",
            "/initiativer/kraeftplan-v/regional-1/",
        ]
        page = text_of(client.get("/initiativer/", {"type": "recommendation"}))
        assert "9 resultater" in page

    def test_sorting_and_paging(self, client):
        first = text_of(client.get("/initiativer/", {"sort": "-title"}))
        second = text_of(client.get("/initiativer/", {"sort": "-title", "page": "2"}))
        assert "Øget kapacitet og effektiv anvendelse" in first and "Side 1 af 2" in first
        assert "Bedre brug af data" not in first and "Bedre brug af data" in second

    @pytest.mark.parametrize("url", ["/initiativer/", "/budget/kraeftplan-iv/"])
    def test_an_unknown_download_format_is_refused_in_danish(self, client, url):
        response = client.get(url, {"hent": "pdf"})
        assert response.status_code == 400
        assert response["Content-Type"].startswith("text/html")
        assert "Ukendt downloadformat: pdf. Vælg csv eller xlsx." in text_of(response)

    @pytest.mark.parametrize(
        "params",
        [
            {"plan": "kraeftplan-vi"},
            {"status": "maybe"},
            {"aar": "1999"},
            {"organisation": "<script>"},
        ],
    )
    def test_bad_filter_values_get_a_danish_message_and_no_rows(self, client, params):
        response = client.get("/initiativer/", params)
        assert response.status_code == 400
        page = text_of(response)
        assert "Nogle filtre kunne ikke bruges" in page and "Marker en gyldig valgmulighed" in page
        assert listed(response) == [] and "Ingen resultater matcher de valgte filtre" in page
        assert "<script>" not in response.content.decode().split("<main", 1)[1].replace(
            "&lt;script&gt;", ""
        )

    @pytest.mark.parametrize(
        ("params", "message"),
        [
            ({"per_page": "-1"}, "Rækker pr. side skal være et helt tal fra 1 til 100."),
            ({"per_page": "9" * 30}, "Rækker pr. side skal være et helt tal fra 1 til 100."),
            ({"per_page": "１０"}, "Rækker pr. side skal være et helt tal fra 1 til 100."),
            ({"page": "0"}, "Sidetallet skal være et helt tal på 1 eller mere."),
            ({"page": "²"}, "Sidetallet skal være et helt tal på 1 eller mere."),
        ],
    )
    def test_bad_paging_gets_a_danish_message_and_no_rows(self, client, params, message):
        response = client.get("/initiativer/", params)
        assert response.status_code == 400
        page = text_of(response)
        assert "Nogle filtre kunne ikke bruges" in page and message in page
        assert listed(response) == []

    def test_a_chosen_page_size_within_range_is_kept(self, client):
        response = client.get("/initiativer/", {"per_page": "5", "page": "2"})
        assert response.status_code == 200 and len(listed(response)) == 5

    def test_a_search_longer_than_a_search_is_refused_in_danish(self, client):
        # Hundreds of words once exceeded SQLite's expression depth: a 500.
        for words in ["kræft " * 11, "k" * 201, "a " * 3000]:
            response = client.get("/initiativer/", {"q": words})
            assert response.status_code == 400
            assert "En søgning kan højst have 10 ord og 200 tegn." in text_of(response)
            assert listed(response) == []
        assert client.get("/initiativer/", {"q": "kræft " * 10}).status_code == 200


class TestBadRequest:
    def test_a_request_django_refuses_gets_a_danish_page(self, client):
        response = client.get("/", HTTP_HOST="ond.example\x00")
        assert response.status_code == 400
        assert '<html lang="da">' in response.content.decode()
        assert "Forespørgslen kunne ikke bruges" in text_of(response)
        assert "Bad Request" not in text_of(response)


class TestNotFound:
    @pytest.mark.parametrize(
        "url",
        [
            "/planer/kraeftplan-vi/",
            "/initiativer/kraeftplan-iv/99/",
            "/budget/ukendt/",
            "/maal/99999/",
            "/rapporter/kraeftplan-iv/2020/v0/",
            "/rapporter/kraeftplan-iv/2020/v0.pdf",
        ],
    )
    def test_unknown_addresses_are_404(self, client, url):
        assert client.get(url).status_code == 404


class TestOnlyPublishedMaterialIsPublic:
    MARKER = DRAFT_MARKER

    def crawl(self, client, starts):
        seen, queue, pages = set(), list(starts), {}
        while queue and len(seen) < 400:
            url = queue.pop()
            if url in seen:
                continue
            seen.add(url)
            response = client.get(url)
            if response.status_code != 200 or "text/html" not in response["Content-Type"]:
                continue
            html = response.content.decode()
            pages[url] = html
            for href in re.findall(r'href="(/[^"#]*)"', html):
                href = href.replace("&amp;", "&")
                if not href.startswith(("/admin", "/static", "/i18n")):
                    queue.append(href)
        return pages

    def test_draft_and_embargoed_statuses_appear_on_no_public_page(self, client, drafts):
        pages = self.crawl(
            client, ["/", "/en/", "/initiativer/?status=delayed", "/initiativer/?aar=2020"]
        )
        assert len(pages) > 60
        leaks = [url for url, html in pages.items() if self.MARKER in html]
        assert leaks == []
        assert client.get("/initiativer/", {"aar": "2019"}).status_code == 400

    def test_publishing_the_year_makes_its_statuses_public(self, client, drafts, kp4):
        set_report(kp4, 2019, state="published", published_at=timezone.now())
        page = client.get("/initiativer/kraeftplan-iv/16/").content.decode()
        assert f"{self.MARKER} ordlyd 2019" in page and f"{self.MARKER} ordlyd 2018" not in page
        assert f"{self.MARKER} case 2019" in page and f"{self.MARKER} case 2018" not in page
