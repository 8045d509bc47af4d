"""Danish data on the English pages is marked as Danish (WCAG 3.1.2): every text that holds a name,
title, wording or label from the database sits inside an element with lang="da", so that a
screen reader reads it in Danish. Checked generically: the data's strings come from the
database, the pages are parsed, and each text node of the page's body is looked up."""

import re
from html.parser import HTMLParser

import pytest

from accounts.models import Organisation
from budget.models import BudgetLine
from initiatives.models import (
    Case,
    Initiative,
    MainElement,
    Measure,
    MeasureStatus,
    Plan,
    PlanMilestone,
    PublishedStatus,
)
from reports.models import AnnualReport
from targets.models import Indicator, Measurement, NationalTarget

pytestmark = pytest.mark.django_db

# Elements that never hold an end tag, and the elements whose text is not the page's text.
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
NOT_TEXT = {"script", "style", "template"}
# The tooltip of a chart's bar or point ("Kræftplan IV (2020), On track: 16 measures") may mix
# a Danish name with the page's words, and one text cannot mark a part of itself; inside the
# chart's role="img" it is never read out (tests/test_charts.py checks that the wholly Danish
# ones are marked).
TOOLTIPS = (["rect", "title"], ["circle", "title"])
# Shorter strings (an initiative's number, "KL") could be found inside words of English text.
SHORTEST = 5


class TextsWithTheirLanguage(HTMLParser):
    """Each text node of the body, with the language of its nearest element with lang=""."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, str | None]] = []
        self.texts: list[tuple[str, str | None, str]] = []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.open.append((tag, dict(attrs).get("lang")))

    def handle_endtag(self, tag):
        for depth in range(len(self.open) - 1, -1, -1):
            if self.open[depth][0] == tag:
                del self.open[depth:]
                return

    def handle_data(self, data):
        tags = [tag for tag, _lang in self.open]
        text = " ".join(data.split())
        if not text or "body" not in tags or NOT_TEXT & set(tags) or tags[-2:] in TOOLTIPS:
            return
        lang = next((lang for _tag, lang in reversed(self.open) if lang is not None), None)
        self.texts.append((text, lang, ">".join(tags[-4:])))


def texts_of(html):
    parser = TextsWithTheirLanguage()
    parser.feed(html)
    parser.close()
    assert parser.open == [], parser.open[-5:]  # every element closed: the languages are right
    return parser.texts


def danish_data():
    """The strings from the Danish sources that the public pages show."""
    values = [
        *Plan.objects.values_list("name", flat=True),
        *Plan.objects.values_list("short_name", flat=True),
        *MainElement.objects.values_list("title", flat=True),
        *Initiative.objects.values_list("title", flat=True),
        *Measure.objects.values_list("title", flat=True),
        *MeasureStatus.objects.values_list("wording", flat=True),
        *PublishedStatus.objects.values_list("wording", flat=True),
        *Case.objects.values_list("title", flat=True),
        *PlanMilestone.objects.values_list("title", flat=True),
        *NationalTarget.objects.values_list("title", flat=True),
        *NationalTarget.objects.values_list("description", flat=True),
        *Indicator.objects.values_list("name", flat=True),
        *Measurement.objects.values_list("group", flat=True),
        *Measurement.objects.values_list("breakdown", flat=True),
        *BudgetLine.objects.values_list("label", flat=True),
        *Organisation.objects.values_list("name", flat=True),
        *AnnualReport.objects.values_list("title", flat=True),
    ]
    return sorted(
        {" ".join(v.split()) for v in values if v and len(v.strip()) >= SHORTEST},
        key=len,
        reverse=True,
    )


def english_pages():
    plans = list(Plan.objects.order_by("start_year"))
    initiatives = [
        Initiative.objects.filter(plan=plan).order_by("position").first() for plan in plans
    ]
    target = NationalTarget.objects.filter(indicators__isnull=False).order_by("pk").first()
    report = AnnualReport.objects.filter(versions__isnull=False).order_by("-year").first()
    return [
        "/en/",
        "/en/planer/",
        *(f"/en/planer/{plan.slug}/" for plan in plans),
        "/en/initiativer/",
        "/en/initiativer/?plan=kraeftplan-iv&aar=2020",
        *(i.get_absolute_url().replace("/", "/en/", 1) for i in initiatives if i),
        "/en/initiativer/kraeftplan-iv/12/",
        *(f"/en/budget/{plan.slug}/" for plan in plans if plan.budget_lines.exists()),
        "/en/maal/",
        f"/en/maal/{target.pk}/",
        "/en/rapporter/",
        f"/en/rapporter/{report.plan.slug}/{report.year}/",
        f"/en/rapporter/{report.plan.slug}/{report.year}/v1/",
        "/en/rapporter/?plan=kraeftplan-iv",
        "/en/maal/?plan=kraeftplan-iv",
        "/en/initiativer/?plan=kraeftplan-iv&organisation=region-hovedstaden",
        "/en/soeg/?q=tidsplanen",
        "/en/soeg/?q=kræft",
        "/en/soeg/?q=hovedstaden",
        "/en/om-data/",
        "/en/tilgaengelighed/",
    ]


def unmarked(client, url, strings):
    response = client.get(url)
    assert response.status_code == 200, url
    found = []
    for text, lang, where in texts_of(response.content.decode()):
        if lang == "da":
            continue
        names = [s for s in strings if s in text]
        if names:
            found.append((where, text[:120], names[0][:60]))
    return found


def test_every_danish_name_title_and_wording_on_an_english_page_is_marked_danish(client):
    strings = danish_data()
    assert len(strings) > 200
    problems = {url: found for url in english_pages() if (found := unmarked(client, url, strings))}
    assert problems == {}


def test_the_check_finds_danish_data_that_is_not_marked():
    html = (
        '<html lang="en"><body><p>Plan: Kræftplan IV</p><p><span lang="da">Kræftplan IV'
        "</span> is marked</p></body></html>"
    )
    texts = texts_of(html)
    assert texts == [
        ("Plan: Kræftplan IV", "en", "html>body>p"),
        ("Kræftplan IV", "da", "html>body>p>span"),
        ("is marked", "en", "html>body>p"),
    ]


def test_danish_pages_need_no_marks(client):
    html = client.get("/planer/kraeftplan-iv/").content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    assert not re.search(r'\blang="da"', main)


def test_the_contributors_english_pages_mark_the_danish_data_too(client, rh, editor_rh, ministry):
    strings = danish_data()
    client.force_login(editor_rh)
    for url in ("/en/bidrag/", f"/en/bidrag/{rh.pk}/"):
        assert unmarked(client, url, strings) == [], url
    client.force_login(ministry)
    pages = [
        "/en/bidrag/",
        f"/en/bidrag/{rh.pk}/",
        f"/en/bidrag/runder/{rh.round_id}/",
        f"/en/bidrag/runder/{rh.round_id}/konsolider/",
        "/en/bidrag/runder/ny/",
        "/en/bidrag/runder/ny/?plan=kraeftplan-iv",
    ]
    problems = {url: found for url in pages if (found := unmarked(client, url, strings))}
    assert problems == {}
