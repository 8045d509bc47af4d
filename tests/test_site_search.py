"""The site search (/soeg/): everything public, grouped by kind, matches marked, never what the
public may not see, bad input refused in Danish, and a fixed number of queries."""

import re
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from initiatives.models import Initiative, MeasureStatus, Plan, PublishedStatus
from reports.models import AnnualReport, ReportVersion
from search.highlight import START, STOP, WINDOW, excerpt, mark_words, marked, plain
from search.queries import (
    KINDS,
    KINDS_BY_KEY,
    PER_GROUP,
    excerpt_source,
    glob_pattern,
    prefix_query,
    text_vector,
)
from tests.builders import correcting, set_report
from tests.test_public_pages import text_of

pytestmark = pytest.mark.django_db

URL = "/soeg/"
POSTGRES = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search is PostgreSQL's"
)


def search(client, q, prefix="", **params):
    return client.get(prefix + URL, {"q": q, **params})


def section(response, key):
    """The HTML of one kind's group of results ("" when the kind has none)."""
    found = re.search(rf'<section id="soeg-{key}".*?</section>', response.content.decode(), re.S)
    return found[0] if found else ""


def links(html):
    return re.findall(r'<h3 class="h5"><a href="([^"]+)">', html)


def test_an_empty_search_shows_the_form_and_what_can_be_searched(client):
    response = client.get(URL)
    assert response.status_code == 200
    page = text_of(response)
    assert "Søg i portalen" in page and "Hvad du kan søge i" in page
    for kind in KINDS:
        assert str(kind.label) in page


def test_it_finds_an_initiative_by_a_word_of_its_status_wording(client):
    # Kræftplan IV 2020, initiative 2: "Udviklingsfasen er forlænget, og der afventes plan for
    # implementering" is the Status cell as published.
    response = search(client, "udviklingsfasen")
    assert response.status_code == 200
    statuses = section(response, "status")
    assert links(statuses) == ["/initiativer/kraeftplan-iv/2/"]
    assert "2. Patienten skal med på råd" in statuses
    assert re.search(r"<mark>Udviklingsfasen</mark> er forlænget", statuses)
    assert "Status 2020 (Tidsplanen er skubbet), som offentliggjort:" in text_of(response)


def test_the_words_are_found_in_every_kind_and_counted_per_kind(client):
    response = search(client, "palliativ")
    page = text_of(response)
    assert re.search(r"\d+ resultater for “palliativ”", page)
    assert links(section(response, "initiativer"))
    assert "Resultater efter type" in page
    # The report of 2020 is searched as published: its frozen text names the initiatives.
    assert links(section(response, "rapporter")) == ["/rapporter/kraeftplan-iv/2020/"]


def test_a_group_shows_its_first_results_and_links_to_all_of_them(client):
    response = search(client, "tidsplanen")
    statuses = section(response, "status")
    total = int(re.search(r"Offentliggjorte statusser \((\d+)\)", statuses)[1])
    assert total > PER_GROUP and len(links(statuses)) == PER_GROUP
    see_all = re.search(r'href="(\?[^"]*vis=status[^"]*)"', statuses)[1].replace("&amp;", "&")
    assert f"Se alle {total} resultater blandt offentliggjorte statusser" in statuses
    every = client.get(URL + see_all)
    assert every.status_code == 200
    assert f"{total} resultater for “tidsplanen”" in text_of(every)
    assert len(links(every.content.decode())) == total


def test_every_word_must_be_found(client):
    both = text_of(search(client, "udviklingsfasen forlænget"))
    assert "Patienten skal med på råd" in both
    neither = search(client, "udviklingsfasen zyxwvut")
    assert "0 resultater" in text_of(neither)
    assert "Prøv med færre ord" in text_of(neither)


def test_danish_letters_are_found_in_any_case(client):
    response = search(client, "RØGFRI")
    assert "/initiativer/kraeftplan-iv/" in section(response, "initiativer")


def test_the_start_of_a_word_finds_the_longer_word(client):
    # Danish joins words: "udviklingsfas" is the start of "Udviklingsfasen".
    response = search(client, "udviklingsfas")
    assert links(section(response, "status")) == ["/initiativer/kraeftplan-iv/2/"]


@POSTGRES
def test_postgresql_finds_other_forms_of_a_word(client):
    # The Danish stemmer: "patienternes" and "Patienten" share their stem.
    response = search(client, "patienternes", vis="initiativer")
    assert "/initiativer/kraeftplan-iv/2/" in links(response.content.decode())
    assert "<mark>Patienten</mark> skal med på råd" in response.content.decode()


def test_the_matches_are_marked_and_everything_else_escaped(client, kp4):
    Initiative.objects.create(
        plan=kp4,
        number="99",
        code="xss",
        position=99,
        title='<script>alert("x")</script> Ærøskøbing & <b>fed</b>',
        purpose="<img src=x onerror=alert(1)> Ærøskøbingmodellen udbredes.",
    )
    response = search(client, "ærøskøbing")
    page = response.content.decode()
    assert "<script>alert" not in page and "<img src=x" not in page and "<b>fed" not in page
    initiatives = section(response, "initiativer")
    assert "&lt;script&gt;" in initiatives and "&amp;" in initiatives
    assert "<mark>Ærøskøbing</mark>" in initiatives
    assert "<mark>Ærøskøbingmodellen</mark>" in initiatives


def test_drafts_corrections_and_embargoed_years_are_never_searched(client, kp4, ministry):
    # A draft report of a plan; a correction of a published year with a changed status and
    # report text, not yet published.
    AnnualReport.objects.create(
        plan=Plan.objects.get(slug="kraeftplan-v"), year=2024, title="Hemmeligt udkast"
    )
    correcting(kp4, 2020, ministry)
    status = MeasureStatus.objects.get(
        measure__initiative__plan=kp4, year=2020, wording__startswith="Udviklingsfasen"
    )
    status.wording = "Hemmelig rettelse"
    status.save()
    report = AnnualReport.objects.get(plan=kp4, year=2020)
    report.overall_status = "Hemmelig rettelse af teksten"
    report.save()
    for word in ("hemmeligt", "hemmelig"):
        assert "0 resultater" in text_of(search(client, word)), word
    # What is published stays found until the correction is published.
    assert links(section(search(client, "udviklingsfasen"), "status"))


def test_an_embargoed_year_is_not_searched_until_its_time(client, kp4):
    set_report(kp4, 2020, published_at=timezone.now() + timedelta(days=1))
    response = search(client, "udviklingsfasen")
    assert section(response, "status") == "" and section(response, "rapporter") == ""


@pytest.mark.parametrize(
    ("q", "message"),
    [
        ("x" * 201, "En søgning kan højst have 10 ord og 200 tegn."),
        (" ".join(["ord"] * 11), "En søgning kan højst have 10 ord og 200 tegn."),
        ("a-b-c-d-e-f-g-h-i-j-k", "En søgning kan højst have 10 ord og 200 tegn."),
        ("kræft\x00", "En søgning kan kun indeholde bogstaver, tal, mellemrum og tegnsætning."),
        ("kræft\x07", "En søgning kan kun indeholde bogstaver, tal, mellemrum og tegnsætning."),
        (f"{START}kræft{STOP}", "En søgning kan kun indeholde bogstaver, tal, mellemrum og"),
    ],
)
def test_bad_input_is_refused_with_a_danish_message(client, q, message):
    response = search(client, q)
    assert response.status_code == 400
    assert message in text_of(response)
    assert "Søgningen kunne ikke udføres" in text_of(response)


def test_an_unknown_kind_is_refused_and_a_search_of_punctuation_only_says_so(client):
    assert search(client, "kræft", vis="hemmeligt").status_code == 400
    response = search(client, "!!! ---")
    assert response.status_code == 200
    assert "Søgningen har ingen ord at lede efter" in text_of(response)


def test_paging_beyond_the_results_is_a_404(client):
    assert search(client, "tidsplanen", vis="status", page="99").status_code == 404
    assert search(client, "tidsplanen", vis="status", page="x").status_code == 404


def test_the_search_box_is_in_the_header_of_every_page_and_sets_no_cookie(client):
    for url in ("/", "/maal/", "/en/planer/", URL):
        page = client.get(url).content.decode()
        form = re.search(r'<form class="kp-header-search"[^>]*>', page)[0]
        assert 'method="get"' in form and 'role="search"' in form, url
        assert 'action="/soeg/"' in form or 'action="/en/soeg/"' in form, url
    assert "csrfmiddlewaretoken" not in client.get("/").content.decode()
    search(client, "kræft")
    assert not client.cookies


def test_result_pages_are_not_kept_in_the_page_store(client):
    response = search(client, "kræft")
    assert "private" in response.headers["Cache-Control"]
    # The empty search page is like any other public page.
    client.get(URL)
    assert "ETag" in client.get(URL).headers


def test_it_is_available_in_english(client):
    response = client.get("/en/soeg/", {"q": "udviklingsfasen"})
    page = text_of(response)
    assert "Search the portal" in page and "Published statuses (1)" in page
    assert "/en/initiativer/kraeftplan-iv/2/" in response.content.decode()


def test_a_search_takes_ten_queries_and_one_kind_three(client, django_assert_num_queries):
    # The public data version (kraeftplan.pagecache), then one query a kind: its first results
    # with their count (a window over the matches).
    with django_assert_num_queries(1 + len(KINDS)):
        assert search(client, "kræft").status_code == 200
    # The version, the count of the kind's matches, one page of them.
    with django_assert_num_queries(3):
        assert search(client, "kræft", vis="initiativer").status_code == 200
    # Without words: the version only.
    with django_assert_num_queries(1):
        assert client.get(URL).status_code == 200


class TestHighlighting:
    def test_marked_escapes_the_text_and_turns_the_pairs_into_marks(self):
        text = f"<b>a</b> {START}<i>{STOP} & {START}x"
        assert marked(text) == "&lt;b&gt;a&lt;/b&gt; <mark>&lt;i&gt;</mark> &amp; x"

    def test_whole_words_containing_a_search_word_are_marked_in_any_case(self):
        assert mark_words("Øget kapacitet, øgede midler", ["øge"]) == (
            f"{START}Øget{STOP} kapacitet, {START}øgede{STOP} midler"
        )

    def test_an_excerpt_is_cut_around_the_first_match_at_spaces(self):
        text = " ".join(f"ord{n}" for n in range(200)) + " fundet " + "slut " * 100
        cut = excerpt(text, ["fundet"])
        assert cut.startswith("… ord") and cut.endswith(" …")
        assert f"{START}fundet{STOP}" in cut and len(cut) < 300

    def test_a_snippet_drops_markdown_markers_and_the_separators_of_empty_texts(self):
        assert plain("· · pct. af kommunerne ·  · KL ·") == "pct. af kommunerne · KL"
        assert plain("[[Case 4]]\n**Fed** tekst") == "Fed tekst"
        assert plain("<p>A &amp; B</p>", is_html=True) == "A & B"


def test_a_glob_pattern_gives_the_letters_sqlite_does_not_lower_in_both_cases():
    # SQLite's lower() folds A-Z only; æ, ø, å and other letters are matched in both cases.
    assert glob_pattern("Øget") == "*[Øø]get*"
    assert glob_pattern("KRÆFT2") == "*kr[Ææ]ft2*"


def a_word_far_into(page):
    """A word of a report's page that occurs once, in its last quarter and outside any tag."""
    lowered, tags = page.lower(), " ".join(re.findall(r"<[^>]+>", page)).lower()
    words = {word.lower() for word in re.findall(r"[^\W\d_]{9,}", re.sub(r"<[^>]+>", " ", page))}
    return min(
        w
        for w in words
        if lowered.count(w) == 1 and lowered.find(w) > len(page) * 3 // 4 and w not in tags
    )


def test_a_word_far_into_a_report_is_found_and_quoted_from_around_it(client, kp4):
    # The snippet must come from around the word, not from the page's start.
    word = a_word_far_into(ReportVersion.objects.get(report__plan=kp4, report__year=2020).web_html)
    reports = section(search(client, word), "rapporter")
    assert "/rapporter/kraeftplan-iv/2020/" in reports
    marks = [m.lower() for m in re.findall(r"<mark>([^<]*)</mark>", reports)]
    assert word in marks, (word, marks)


def test_a_long_report_page_leaves_the_database_cut_around_its_first_match(kp4):
    versions = ReportVersion.objects.filter(report__plan=kp4, report__year=2020)
    page = versions.get().web_html
    assert len(page) > 4 * WINDOW
    word = a_word_far_into(page)
    reports = KINDS_BY_KEY["rapporter"]
    part = versions.annotate(_cut=excerpt_source(reports, [word])).get()._cut
    assert len(part) == WINDOW and word in part.lower()
    snippet = marked(excerpt(plain(part, is_html=True), [word]))
    assert f"<mark>{word}</mark>" in snippet.lower() and "<td" not in snippet
    # Nothing found: the page's start.
    missing = versions.annotate(_cut=excerpt_source(reports, ["findesikke"])).get()._cut
    assert missing == page[:WINDOW]


@POSTGRES
@pytest.mark.parametrize("kind", [k for k in KINDS if not k.stored_vector], ids=lambda k: k.key)
def test_every_kind_is_matched_through_its_full_text_index(kind):
    # The GIN index of search/migrations is on the very expression the search matches; were a
    # kind's texts changed without a new index, the planner could not use it. With sequential
    # and plain index scans off, only a bitmap scan of that index can answer the match.
    rows = kind.rows().model.objects.alias(_vector=text_vector(kind))
    sql, params = rows.filter(_vector=prefix_query(["kræft"])).values("pk").query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert f"search_fts_{kind.key}" in plan, plan


@POSTGRES
def test_a_report_version_keeps_its_search_vector_and_pages_do_not_read_it(kp4):
    versions = ReportVersion.objects.filter(report__plan=kp4)
    assert versions.exists()
    assert not versions.filter(search_vector__isnull=True).exists()
    assert "search_vector" in versions.first().get_deferred_fields()


def test_a_status_is_found_by_its_category_also_where_its_wording_says_it_otherwise(client):
    delayed = PublishedStatus.objects.public().filter(category="delayed")
    # The point: a delayed status whose published wording does not say "skubbet".
    assert delayed.exclude(wording__icontains="skubbet").exists()
    response = search(client, "tidsplanen er skubbet", vis="status")
    found = set(links(response.content.decode()))
    assert {status.measure.initiative.get_absolute_url() for status in delayed} <= found


def test_english_pages_say_that_the_search_is_in_danish(client):
    for response in (client.get("/en/soeg/"), search(client, "postponed", prefix="/en")):
        assert "the search looks for Danish words" in text_of(response)
    assert "Danish words" not in text_of(client.get(URL))
