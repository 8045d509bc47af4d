"""The portal as the public record: it shows what the sources hold, no more, and says where they
disagree. Figures of the 2020 status are followed from the source document to every surface:
the report (web page and PDF), the pages where a reader would look, the API and the zip."""

import csv
import html
import io
import json
import re
import zipfile
from datetime import date
from decimal import Decimal

import pypdf
import pytest
from django.test import Client

from budget.checks import findings_of_plans
from budget.models import BudgetAmount
from initiatives.models import MeasureStatus, Plan, PublicYear
from kraeftplan.formatting import format_number
from reports.models import AnnualReport, ReportVersion
from reports.pdf import render_pdf
from targets.models import Indicator

pytestmark = pytest.mark.django_db

# What the sources hold of the annual reports: Kræftplan IV's 2020 status in full, the three
# before it by their dates of publication only (000, "Overordnet status").
REPORTS_WITH_CONTENT = {("kraeftplan-iv", 2020)}
REPORTS_BY_DATE_ONLY = {
    ("kraeftplan-iv", 2017): date(2017, 6, 22),
    ("kraeftplan-iv", 2018): date(2018, 5, 23),
    ("kraeftplan-iv", 2019): date(2019, 10, 7),
}

# A figure: grouped thousands and/or a decimal comma, or a plain whole number.
FIGURE = r"(?<![\w.,])(\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+,\d+|\d+)(?![\w])"
# Figures of the source that the portal writes otherwise, and why.
WRITTEN_OTHERWISE = {
    "6173": "6.173",  # the source's only figure without its thousands separator
}


def visible_text(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def squash(text: str) -> str:
    return re.sub(r"[\s\u00ad-]+", "", text)


@pytest.fixture(scope="module")
def surfaces(django_db_blocker):
    """The text of every public surface of Kræftplan IV, gathered once."""
    with django_db_blocker.unblock():
        client = Client()
        plan = Plan.objects.get(slug="kraeftplan-iv")
        pages = {
            "plan": visible_text(client.get("/planer/kraeftplan-iv/")),
            "budget": visible_text(client.get("/budget/kraeftplan-iv/")),
            **{
                f"initiative {i.pk}": visible_text(client.get(i.get_absolute_url()))
                for i in plan.initiatives.all()
            },
            **{
                f"target {t.number}": visible_text(client.get(t.get_absolute_url()))
                for t in plan.targets.all()
            },
        }
        api = {
            name: client.get(f"/api/v1/{name}/", {"limit": 1000}).json()
            for name in client.get("/api/v1/").json()["ressourcer"]
        }
        archive = zipfile.ZipFile(io.BytesIO(client.get("/data/kraeftplan-data.zip").getvalue()))
        report = client.get("/rapporter/kraeftplan-iv/2020/")
        version = ReportVersion.objects.get(report__plan=plan, report__year=2020, number=1)
        # Rendered here, not through version_pdf(): this fixture runs outside the tests'
        # transactions, and must leave the database as it found it.
        pdf = pypdf.PdfReader(io.BytesIO(render_pdf(version.print_html)))
        return {
            "pages": pages,
            "api": api,
            "api_text": json.dumps(api, ensure_ascii=False),
            "zip": {name: archive.read(name).decode() for name in archive.namelist()},
            "report_html": report.content.decode(),
            "report": visible_text(report),
            "pdf": squash("\n".join(page.extract_text() or "" for page in pdf.pages)),
        }


class TestNothingInvented:
    def test_only_reports_the_sources_hold_have_content(self):
        with_content = {
            (r.plan.slug, r.year)
            for r in AnnualReport.objects.filter(versions__isnull=False).select_related("plan")
        }
        assert with_content == REPORTS_WITH_CONTENT
        by_date = {
            (r.plan.slug, r.year): r.dated
            for r in AnnualReport.objects.filter(state="external").select_related("plan")
        }
        assert by_date == REPORTS_BY_DATE_ONLY

    def test_only_years_the_sources_hold_have_statuses_or_are_public(self):
        years = set(
            MeasureStatus.objects.values_list("measure__initiative__plan__slug", "year")
        ) | set(PublicYear.objects.values_list("plan__slug", "year"))
        assert years == REPORTS_WITH_CONTENT

    def test_reports_known_by_date_are_listed_without_content(self, client):
        listing = visible_text(client.get("/rapporter/"))
        for (slug, year), dated in REPORTS_BY_DATE_ONLY.items():
            assert f"Status på udmøntning af Kræftplan IV - {year}" in listing
            assert f"{dated.day}. " in listing
            assert client.get(f"/rapporter/{slug}/{year}/").status_code == 404
            assert client.get(f"/rapporter/{slug}/{year}.pdf").status_code == 404
        assert "Offentliggjort uden for portalen" in listing

    def test_the_api_and_zip_hold_statuses_of_2020_only(self, surfaces):
        assert {row["year"] for row in surfaces["api"]["status"]["results"]} == {2020}
        rows = list(csv.DictReader(io.StringIO(surfaces["zip"]["status.csv"])))
        assert rows and {row["year"] for row in rows} == {"2020"}

    def test_a_computed_total_is_never_labelled_as_published(self, client):
        for url in ("/", "/planer/kraeftplan-iv/"):
            page = visible_text(client.get(url))
            assert "1.473,5" in page and "beregnet" in page[page.find("1.473,5") - 400 :]

    def test_the_report_says_it_is_the_portal_s_edition_of_the_published_document(self, surfaces):
        report = surfaces["report"]
        edition = report[report.find("Om denne gengivelse") :][:700]
        assert "Status på udmøntning af Kræftplan IV - 2020" in edition
        assert "Sundhedsministeriet" in edition and "27. januar 2021" in edition
        assert "tal, datoer, navne og statusser er som offentliggjort" in edition
        assert squash("tal, datoer og statusser er som offentliggjort") in surfaces["pdf"]

    def test_titles_the_portal_gave_are_marked_as_the_portal_s(self, client):
        page = visible_text(client.get("/planer/jo-foer-jo-bedre/"))
        # All six are the portal's: one note says so above them, not each heading.
        assert page.count("titlerne nedenfor er portalens") == 1
        elements = client.get("/api/v1/hovedelementer/", {"plan": "jo-foer-jo-bedre"}).json()
        assert all(row["named_by_portal"] for row in elements["results"])


class TestEveryFigureOfThe2020Status:
    @pytest.fixture
    def figures(self, seed_text):
        # Addresses (links, file names of PDFs) hold digits that are no figures.
        text = re.sub(r"\S*(?:https?://|www\.|\.dk/|\.pdf)\S*", " ", seed_text("000"))
        text = re.sub(r"-\s*\n\s*", "-", text)  # words and periods broken over lines
        found = set(re.findall(FIGURE, text))
        return {WRITTEN_OTHERWISE.get(figure, figure) for figure in found}

    def test_every_figure_is_in_the_report_on_the_web_and_in_the_pdf(self, figures, surfaces):
        on_web = set(re.findall(FIGURE, surfaces["report"]))
        assert sorted(figures - on_web) == []
        missing_in_pdf = [f for f in figures if squash(f) not in surfaces["pdf"]]
        assert missing_in_pdf == []

    def test_every_distinctive_figure_is_on_the_pages_in_the_api_and_in_the_zip(
        self, figures, surfaces
    ):
        # Figures of three digits or more (not years) are specific enough to look for anywhere.
        distinctive = {
            f
            for f in figures
            if len(re.sub(r"\D", "", f)) >= 3 and not re.fullmatch(r"(19|20)\d\d", f)
        }
        assert len(distinctive) > 40
        pages = " ".join(surfaces["pages"].values())
        zipped = " ".join(surfaces["zip"].values())

        def written(figure):  # as the pages write it, and as the API and the zip do
            return {figure, figure.replace(".", "").replace(",", ".")}

        for surface, found in (
            ("pages", _figures_in(pages)),
            ("api", _plain_figures_in(surfaces["api_text"])),
            ("zip", _plain_figures_in(zipped)),
        ):
            missing = sorted(f for f in distinctive if not written(f) & found)
            assert missing == [], surface


def _figures_in(text: str) -> set[str]:
    """Figures in Danish text: 1.051.042, 22,7, 16."""
    return set(re.findall(r"(?<![\w.,])(\d[\d.,]*\d|\d)(?![\w])", text))


def _plain_figures_in(text: str) -> set[str]:
    """Figures as the API and the zip write them (1051042, 22.7), and any text in them."""
    return set(re.findall(r"\d+(?:\.\d+)?", text)) | _figures_in(text)


class TestEveryTable:
    @pytest.mark.parametrize("label", ["Tabel 1", "Tabel 2", "Tabel 3", "Tabel 4"])
    def test_every_cell_is_in_the_report_on_its_page_in_the_api_and_the_zip(self, label, surfaces):
        indicator = Indicator.objects.get(plan__slug="kraeftplan-iv", table_label=label)
        values = [m.value for m in indicator.measurements.all()]
        assert values
        table = _table_with_caption(surfaces["report_html"], label)
        page = (
            surfaces["pages"][f"target {indicator.target.number}"]
            if indicator.target
            else surfaces["pages"][f"initiative {indicator.initiative_id}"]
        )
        api = [
            Decimal(row["value"])
            for row in surfaces["api"]["maalinger"]["results"]
            if row["indicator"] == indicator.pk
        ]
        zipped = [
            Decimal(row["value"])
            for row in csv.DictReader(io.StringIO(surfaces["zip"]["maalinger.csv"]))
            if row["indicator"] == str(indicator.pk)
        ]
        for value in values:
            danish = format_number(value)
            assert danish in _figures_in(table), (label, danish)
            assert danish in _figures_in(page), (label, danish)
            assert value in api and value in zipped, (label, value)

    def test_every_amount_of_bilag_2_is_in_the_report_on_the_budget_page_api_and_zip(
        self, surfaces
    ):
        amounts = BudgetAmount.objects.filter(line__plan__slug="kraeftplan-iv")
        assert amounts.count() > 100
        report = _figures_in(_section(surfaces["report_html"], "bilag-2"))
        budget = _figures_in(surfaces["pages"]["budget"])
        api = {
            (row["line"], row["year"]): Decimal(row["amount"])
            for row in surfaces["api"]["budgetbeloeb"]["results"]
        }
        zipped = {
            (int(row["line"]), int(row["year"])): Decimal(row["amount"])
            for row in csv.DictReader(io.StringIO(surfaces["zip"]["budgetbeloeb.csv"]))
        }
        for amount in amounts:
            danish = format_number(amount.amount)
            assert danish in report and danish in budget, danish
            assert api[(amount.line_id, amount.year)] == amount.amount
            assert zipped[(amount.line_id, amount.year)] == amount.amount


def _section(page: str, anchor: str) -> str:
    return re.search(rf'<section id="{anchor}".*?</section>', page, re.S)[0]


def _table_with_caption(page: str, label: str) -> str:
    for table in re.findall(r"<table.*?</table>", page, re.S):
        caption = re.search(r"<caption>(.*?)</caption>", table, re.S)
        if caption and caption[1].strip().startswith(label):
            return html.unescape(re.sub(r"<[^>]+>", " ", table))
    raise AssertionError(f"no table captioned {label}")


class TestEveryFinding:
    # The disagreements the issue names; others may be found too.
    NAMED = [
        "kraeftplan-iv-budget-line-12-total",  # HPV-vaccination I alt 5, the years 7,5
        "kraeftplan-iv-budget-figure-7",  # 384 mio. kr. årligt fra 2021, the lines 388
        "kraeftplan-iv-budget-totals",  # the I alt figures add to 1.471, the years to 1.473,5
        "kp4-ct-skanninger-stigning",  # 812.746 → 1.051.042 stated as 22,7 %, which is 29,3 %
        "kp4-basal-palliation-80-79-5",
        "kp4-eksperimentel-kirurgi-fra-2020-2021",
        "kp4-pakkeforloeb-2014-2019",
        "kp4-tabel-1-titel-2008-2016",
        "kp4-tabel-2-2013-i-alt",
        "kp4-maal-1-formulering",
    ]

    @pytest.fixture
    def findings(self):
        return findings_of_plans(Plan.objects.order_by("start_year"))

    def test_the_named_disagreements_are_findings(self, findings):
        codes = {finding.code for finding in findings}
        assert set(self.NAMED) <= codes

    def test_sums_and_changes_are_computed_not_typed(self, findings):
        by_code = {finding.code: finding for finding in findings}
        assert by_code["kp4-ct-skanninger-stigning"].computed == "29,3\xa0%"
        assert by_code["kp4-tabel-2-2013-i-alt"].computed == "21,5"
        assert by_code["kraeftplan-iv-budget-totals"].stated == "1.471"
        assert by_code["kraeftplan-iv-budget-totals"].computed == "1.473,5"

    def test_every_finding_is_in_the_report_on_its_pages_in_the_api_and_the_zip(
        self, findings, surfaces
    ):
        kp4 = [finding for finding in findings if finding.plan == "kraeftplan-iv"]
        api = {row["id"] for row in surfaces["api"]["findings"]["results"]}
        zipped = {line.split(",")[0] for line in surfaces["zip"]["findings.csv"].splitlines()}
        for finding in kp4:
            assert f'id="note-{finding.code}"' in surfaces["report_html"], finding.code
            assert squash(finding.subject) in surfaces["pdf"], finding.code
            assert finding.subject in surfaces["pages"]["plan"], finding.code
            if finding.initiative_id:
                assert finding.subject in surfaces["pages"][f"initiative {finding.initiative_id}"]
            if finding.topic == "budget":
                assert finding.subject in surfaces["pages"]["budget"], finding.code
            if finding.target_number:
                assert finding.subject in surfaces["pages"][f"target {finding.target_number}"]
            assert finding.code in api and finding.code in zipped
        assert "findings.csv" in surfaces["zip"]["datadictionary.csv"]

    def test_the_rounding_note_stands_under_tabel_2_as_the_portal_s(self, surfaces):
        report = surfaces["report"]
        after_table = report[report.find("Tabel 2:") :][:1500]
        note = after_table[after_table.find("Portalens note") :]
        assert "21,4" in note and "21,5" in note and "afrunding" in note


def test_every_note_reference_in_the_report_leads_to_a_note(surfaces):
    page = surfaces["report_html"]
    references = set(re.findall(r'href="#(note-[^"]+)"', page))
    targets = set(re.findall(r'id="(note-[^"]+)"', page))
    assert references and references <= targets


def test_the_portal_s_notes_stand_in_the_pages_body_not_in_their_title(client):
    for url in (
        "/planer/kraeftplan-iv/",
        "/initiativer/kraeftplan-iv/14/",
        "/budget/kraeftplan-iv/",
    ):
        page = client.get(url).content.decode()
        title = re.search(r"<title>(.*?)</title>", page, re.S)[1]
        assert "<" not in title and len(title) < 200, url
        body = page[page.find("<main") :]
        assert 'class="kp-findings"' in body, url


def test_the_findings_api_filters_by_plan_like_every_resource(client):
    kp4 = client.get("/api/v1/findings/", {"plan": "kraeftplan-iv", "limit": 500}).json()
    assert kp4["count"] > 10 and {row["plan"] for row in kp4["results"]} == {"kraeftplan-iv"}
    assert client.get("/api/v1/findings/", {"plan": "jo-foer-jo-bedre"}).json()["count"] == 0
    response = client.get("/api/v1/findings/", {"plan": "findes-ikke"})
    assert response.status_code == 400 and response.json() == {
        "fejl": ["Ukendt plan: findes-ikke."]
    }


# What a reader follows when laying the report beside the published document: figures (three
# digits or a decimal comma; years are too common to place), dates, and the cases and tables.
MONTHS = "januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|december"
MILESTONE = re.compile(
    rf"(?:\d{{1,2}}\.\s+)?(?:{MONTHS})\s+\d{{4}}"
    r"|\b(?:Case|Tabel) \d+\b"
    rf"|{FIGURE}"
)


def _milestones(text: str) -> list[str]:
    """The milestones of a text in reading order, each at its first appearance."""
    found: list[str] = []
    for match in MILESTONE.finditer(text):
        token = re.sub(r"\s+", " ", match[0])
        plain = re.fullmatch(r"[\d.,]+", token)
        if plain and (
            re.fullmatch(r"(19|20)\d\d", token)
            or (len(re.sub(r"\D", "", token)) < 3 and "," not in token)
        ):
            continue
        if token not in found:
            found.append(token)
    return found


class TestSameFactsInTheSameOrder:
    """Bilag 1 of the report, initiative by initiative, beside the published document's."""

    @pytest.fixture
    def sections(self, db, seed_text, surfaces):
        text = re.sub(r"\S*(?:https?://|www\.|\.dk/|\.pdf)\S*", " ", seed_text("000"))
        text = re.sub(r"-\s*\n\s*", "-", text)
        appendix = text[text.index("Bilag 1: Opfølgning") :]
        appendix = appendix[: appendix.index("Bilag 2")]
        initiatives = list(
            Plan.objects.get(slug="kraeftplan-iv").initiatives.order_by("kind", "position")
        )
        starts = []
        for initiative in initiatives:
            heading = re.search(
                rf"\n\s*{re.escape(initiative.number)}\.\s+{re.escape(initiative.title[:25])}",
                appendix,
            )
            assert heading, f"initiative {initiative.number} not found in Bilag 1"
            starts.append(heading.start())
        assert starts == sorted(starts)
        result = []
        for k, initiative in enumerate(initiatives):
            source = appendix[starts[k] : [*starts, len(appendix)][k + 1]]
            article = re.search(
                rf'<article id="initiativ-{initiative.code}".*?</article>',
                surfaces["report_html"],
                re.S,
            )[0]
            table, narrative = article.split("</table>", 1)
            result.append((initiative, source, visible_html(table), visible_html(narrative)))
        return result

    def test_each_initiative_tells_its_facts_in_the_published_order(self, sections):
        compared = 0
        for initiative, source, table, narrative in sections:
            # The measure table comes first on both sides; what follows is the running text.
            for token in _milestones(table):  # the source's table: each figure's first time
                source = re.sub(rf"(?<![\d.,]){re.escape(token)}(?![\d,])", " ", source, count=1)
            source_order = _milestones(source)
            report_order = _milestones(narrative)
            shared = [t for t in source_order if t in report_order]
            assert [t for t in report_order if t in shared] == shared, initiative.number
            compared += len(shared)
        assert compared > 40

    def test_cases_and_tables_stand_where_the_document_prints_them(self, sections):
        placed = 0
        for initiative, source, _table, narrative in sections:
            at = _first_positions(narrative)
            for label in re.findall(r"\b(?:Case|Tabel) \d+\b", source):
                cut = source.index(label)
                before = [t for t in _milestones(source[:cut]) if t in at]
                after = [t for t in _milestones(source[cut:]) if t in at and t not in before]
                assert label in at, (initiative.number, label)
                # What the document prints before the case or table comes before it in the
                # report, and the next thing after it comes after it.
                assert all(at[t] < at[label] for t in before), (initiative.number, label)
                following = [t for t in after if t != label]
                if following:
                    assert at[following[0]] > at[label], (initiative.number, label)
                placed += 1
        assert placed >= 10


def _first_positions(text: str) -> dict[str, int]:
    positions: dict[str, int] = {}
    for match in MILESTONE.finditer(text):
        positions.setdefault(re.sub(r"\s+", " ", match[0]), match.start())
    return positions


def visible_html(fragment: str) -> str:
    fragment = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", fragment, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment)))


@pytest.mark.parametrize(
    ("anchor", "start", "end"),
    [
        ("overordnet-status", "Overordnet status", "Initiativer, som fortsætter efter 2020"),
        ("fortsaetter", "Initiativer, som fortsætter efter 2020", "Opfølgning på de nationale"),
        ("maal", "Opfølgning på de nationale", "Bilag 1: Opfølgning"),
    ],
)
def test_the_report_s_sections_tell_their_facts_in_the_published_order(
    db, seed_text, surfaces, anchor, start, end
):
    text = re.sub(r"\S*(?:https?://|www\.|\.dk/|\.pdf)\S*", " ", seed_text("000"))
    text = re.sub(r"-\s*\n\s*", "-", text)
    source = text[text.index(start) : text.index(end, text.index(start))]
    html_section = _section(surfaces["report_html"], anchor)
    # Table cells are followed cell by cell elsewhere (TestEveryTable); here the running text.
    tables = re.findall(r"<table.*?</table>", html_section, re.S)
    in_tables = {t for t in _milestones(" ".join(tables)) if not t.startswith("Tabel")}
    running = visible_html(  # each table stands as its label, where it is printed
        re.sub(
            r"<table.*?</table>",
            lambda table: " ".join(re.findall(r"Tabel \d+", table[0].split("</caption>")[0])),
            html_section,
            flags=re.S,
        )
    )
    source_order = [t for t in _milestones(source) if t not in in_tables]
    report_order = _milestones(running)
    shared = [t for t in source_order if t in report_order]
    assert [t for t in report_order if t in shared] == shared
    # Every figure and date of the source section is in the report's section (page furniture
    # such as the document's date stands elsewhere in the report).
    whole = set(_milestones(surfaces["report"]))
    assert [t for t in source_order if t not in report_order and t not in whole] == []
