"""The charts are SVG drawn on the server (kraeftplan.charts): each one an image with a Danish
title and description, its bars and points carrying the figures the database holds, nothing
inline; bounded in size however much data a plan has. Beside each, the same figures for an
interactive plotly.js chart, as JSON, and a deferred script that loads plotly.js only on a click."""

import json
import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from decimal import Decimal
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings
from django.db.models import Count, Sum
from django.utils import translation
from django.utils.translation import npgettext

from budget.models import BudgetAmount
from fixtures.generate import generate, public_pages
from initiatives.choices import StatusCategory
from initiatives.models import Plan, PublishedStatus
from kraeftplan.charts import MAX_CATEGORIES, MAX_SERIES, bar_chart, line_chart, summarise
from targets.models import Measurement, NationalTarget
from tests.test_headers import public_urls

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
# The most a chart's markup may weigh, whatever the data: MAX_SERIES series over
# MAX_CATEGORIES columns, each bar or point with its figure and its own title.
MAX_CHART_BYTES = 48_000
# The most the figure for plotly.js may weigh (in the chart's markup above): the same bounded
# series and columns, and no plotly theme.
MAX_FIGURE_BYTES = 6_000


def charts(html: str) -> dict[str, str]:
    """{chart id: the chart's markup} of a page."""
    found = re.findall(r'(<div class="kp-chart" id="([\w-]+)">.*?</script></div>)', html, re.S)
    return {chart_id: markup for markup, chart_id in found}


def figure_json(markup: str) -> str:
    return re.search(r'<script id="[\w-]+-figur" type="application/json">(.*?)</script>', markup)[1]


def shown(text: str) -> str:
    """A text of plotly.js as it shows it: entities decoded, a <br> (a wrapped name) a break."""
    return unescape(text.replace("<br>", " "))


def plotted(markup: str) -> tuple[dict[tuple[str, str], Decimal], set[Decimal]]:
    """{(series, category): figure} of a chart's figure for plotly.js, and the target line's
    values."""
    figure = json.loads(figure_json(markup))
    points, targets = {}, set()
    for trace in figure["data"]:
        if trace.get("line", {}).get("dash") == "dash":
            targets |= {Decimal(str(y)) for y in trace["y"]}
            continue
        for x, y in zip(trace["x"], trace["y"], strict=True):
            if y is not None:
                points[(shown(trace["name"]), shown(x))] = Decimal(str(y))
    return points, targets


def svg_of(markup: str) -> ET.Element:
    return ET.fromstring(markup[markup.index("<svg") : markup.index("</svg>") + len("</svg>")])


def drawn(markup: str) -> dict[tuple[str, str], Decimal]:
    """{(series, category): figure} of a chart's bars and points."""
    return {
        (mark.get("data-series"), mark.get("data-category")): Decimal(mark.get("data-value"))
        for mark in svg_of(markup).iter()
        if mark.get("data-value") is not None and mark.get("data-series") is not None
    }


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_home_page_draws_each_plans_money_per_year_as_the_database_sums_it(client):
    chart = charts(page(client, "/"))["kp-penge-pr-aar"]
    expected = {
        (row["line__plan__short_name"], str(row["year"])): row["total"]
        for row in BudgetAmount.objects.filter(line__parent__isnull=True)
        .values("line__plan__short_name", "year")
        .annotate(total=Sum("amount"))
    }
    assert expected  # the seeds have budgets
    assert drawn(chart) == expected


def test_the_home_page_draws_the_status_counts_of_each_plans_latest_public_year(client):
    chart = charts(page(client, "/"))["kp-status"]
    expected = {}
    for plan in Plan.objects.all():
        statuses = PublishedStatus.objects.public().filter(measure__initiative__plan=plan)
        if not statuses.exists():
            continue
        year = max(statuses.values_list("year", flat=True))
        for row in statuses.filter(year=year).values("category").annotate(n=Count("pk")):
            label = str(StatusCategory(row["category"]).label)
            expected[(f"{plan.short_name} ({year})", label)] = Decimal(row["n"])
    figures = {key: value for key, value in drawn(chart).items() if value}
    assert figures == expected


def test_the_budget_page_draws_the_money_of_each_main_element_as_the_database_sums_it(client):
    plan = Plan.objects.get(slug="kraeftplan-iv")
    chart = charts(page(client, "/budget/kraeftplan-iv/"))["kp-budget-afsnit"]
    expected: defaultdict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for row in (
        BudgetAmount.objects.filter(line__plan=plan, line__parent__isnull=True)
        .values("line__section__title", "year")
        .annotate(total=Sum("amount"))
    ):
        section = row["line__section__title"] or plan.short_name
        expected[(section, str(row["year"]))] += row["total"]
    assert drawn(chart) == dict(expected)


def test_the_budget_pages_charts_add_up_to_the_same_money_per_year(client):
    """By main element and by recipient: two ways of cutting the same top-level money."""
    charts_ = charts(page(client, "/budget/kraeftplan-iv/"))
    totals = []
    for chart_id in ("kp-budget-afsnit", "kp-budget-modtager"):
        per_year: defaultdict[str, Decimal] = defaultdict(Decimal)
        for (_series, year), value in drawn(charts_[chart_id]).items():
            per_year[year] += value
        totals.append(dict(per_year))
    assert totals[0] == totals[1]


def test_a_target_page_draws_each_measurement_and_the_target(client):
    target = (
        NationalTarget.objects.filter(indicators__isnull=False, target_value__isnull=False)
        .order_by("pk")
        .first()
    )
    html = page(client, target.get_absolute_url())
    found = charts(html)
    assert found
    points = {}
    for chart_id, markup in found.items():
        for (series, period), value in drawn(markup).items():
            points[(int(chart_id.rsplit("-", 1)[1]), series, period)] = value
    measurements = Measurement.objects.filter(indicator__target=target, value__isnull=False)
    assert points
    for (indicator, series, period), value in points.items():
        match = [
            m
            for m in measurements
            if m.indicator_id == indicator and m.period == period and series.endswith(m.breakdown)
        ] or [m for m in measurements if m.indicator_id == indicator and m.category == period]
        assert value in {m.value for m in match}, (indicator, series, period)
    lines = [svg_of(m).find(f".//{SVG}line[@class='kp-target']") for m in found.values()]
    assert {Decimal(line.get("data-value")) for line in lines if line is not None} == {
        target.target_value
    }


def test_a_chart_is_an_image_with_a_danish_title_and_description_and_a_viewbox(client):
    markup = charts(page(client, "/budget/kraeftplan-iv/"))["kp-budget-afsnit"]
    svg = svg_of(markup)
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "kp-budget-afsnit-titel kp-budget-afsnit-beskrivelse"
    assert re.fullmatch(r"0 0 \d+ \d+", svg.get("viewBox"))
    assert svg.find(f"{SVG}title").text == "Midler pr. år fordelt på hovedelementer"
    description = svg.find(f"{SVG}desc").text
    assert description.startswith("Stablet søjlediagram")
    assert "Alle tal står i tabellen ved siden af diagrammet." in description
    assert ", i mio. kr. " in description and ".." not in description
    # The value axis is written the Danish way.
    labels = [t.text for t in svg.iter(f"{SVG}text")]
    assert "mio. kr." in labels and "100" in labels


def test_the_status_charts_tooltips_count_one_measure_in_the_singular(client):
    chart = charts(page(client, "/"))["kp-status"]
    tips = {
        (mark.get("data-value"), mark.find(f"{SVG}title").text)
        for mark in svg_of(chart).iter(f"{SVG}rect")
        if mark.get("data-value") is not None
    }
    ones = [tip for value, tip in tips if value == "1"]
    many = [tip for value, tip in tips if value not in ("0", "1")]
    assert ones and all(tip.endswith(": 1 indsats") for tip in ones), ones
    assert many and all(tip.endswith(" indsatser") for tip in many), many
    # The interactive chart's hover names the unit by each figure too.
    for trace in json.loads(figure_json(chart))["data"]:
        assert trace["hovertemplate"] == "%{x}: %{y:,} %{customdata}"
        units = {y: unit for y, unit in zip(trace["y"], trace["customdata"], strict=True)}
        assert units.get(1, "indsats") == "indsats"
        assert {unit for y, unit in units.items() if y not in (0, 1)} <= {"indsatser"}


def test_a_counted_unit_follows_the_number_in_either_language():
    series = {"Plan": [Decimal(1), Decimal(2)]}

    def units(count):
        return npgettext("beside a figure", "measure", "measures", int(count))

    for language, one, two in [
        ("da", "1 indsats", "2 indsatser"),
        ("en", "1 measure", "2 measures"),
    ]:
        with translation.override(language):
            markup = bar_chart("x", ["A", "B"], series, title="T", y_title="u", units=units)
        tips = [t.text for t in svg_of(markup).iter(f"{SVG}title")][1:]
        assert tips == [f"Plan, A: {one}", f"Plan, B: {two}"], language
        figure = json.loads(figure_json(markup))
        assert figure["data"][0]["customdata"] == [one[2:], two[2:]], language


def test_long_column_labels_and_names_are_wrapped_whole_never_cut():
    labels = ["Continued in changed form", "Implementation under way", "On track"]
    series = {"A very long name of a series that would run off a phone": [1, 2, 3]}
    markup = bar_chart("x", labels, series, title="T")
    columns = [
        " ".join(t.itertext())
        for t in svg_of(markup).iter(f"{SVG}text")
        if t.get("class") == "kp-svg-column"
    ]
    assert columns == labels
    assert "…" not in markup
    layout = json.loads(figure_json(markup))["layout"]
    assert layout["xaxis"]["tickvals"] == labels
    assert [shown(text) for text in layout["xaxis"]["ticktext"]] == labels
    assert any("<br>" in text for text in layout["xaxis"]["ticktext"])
    name = json.loads(figure_json(markup))["data"][0]["name"]
    assert "<br>" in name and shown(name) == next(iter(series))


def test_axis_labels_and_figures_follow_the_language():
    series = {"A": [Decimal("1051042.5")]}
    with translation.override("da"):
        danish = bar_chart("x", [2020], series, title="T")
    with translation.override("en"):
        english = bar_chart("x", [2020], series, title="T")
    assert "1.051.042,5" in danish and "1.250.000" in danish
    assert "1,051,042.5" in english and "1,250,000" in english


def test_no_page_has_a_script_that_blocks_in_head_nor_loads_plotly(client):
    """plotly.js is never on a page as it loads: only static/js/charts.js names it, in a data
    attribute, to load it when a reader asks for the interactive chart."""
    for url in public_urls():
        response = client.get(url)
        if not response["Content-Type"].startswith("text/html"):
            continue
        html = response.content.decode()
        head = html[: html.index("</head>")]
        for attributes in re.findall(r"<script\b([^>]*)>", head):
            assert re.search(r"\b(defer|async)\b|type=\"(module|application/json)\"", attributes), (
                url,
                attributes,
            )
        assert "plotly" not in head, url
        for tag in re.findall(r"<(?:script|link|img|iframe)\b[^>]*>", html):
            assert not re.search(r'\b(src|href)="[^"]*plotly', tag), (url, tag)


def test_the_chart_pages_carry_only_their_figures_and_the_deferred_chart_script(client):
    for url in ["/", "/budget/kraeftplan-iv/", NationalTarget.objects.first().get_absolute_url()]:
        html = page(client, url)
        found = charts(html)
        assert found or url != "/", url
        scripts = re.findall(r"<script\b([^>]*)>", html.split("<main", 1)[1])
        figures = [s for s in scripts if 'type="application/json"' in s]
        loaders = [s for s in scripts if s not in figures]
        assert len(figures) == len(found), url
        assert {s.split(" defer", 1)[0] for s in loaders} <= {' src="/static/js/charts.js"'}, url
        assert all(" defer" in s for s in loaders), url
        for markup in found.values():
            # Hidden until the script shows it: without JavaScript there is no dead button.
            assert re.search(
                r'<button type="button" class="[^"]*kp-chart-toggle" hidden=""', markup
            )
            assert ">Vis interaktiv graf</button>" in markup
            assert 'data-simple="Vis enkel graf"' in markup


def test_the_figure_for_plotly_holds_the_figures_the_svg_draws(client):
    target = (
        NationalTarget.objects.filter(indicators__isnull=False, target_value__isnull=False)
        .order_by("pk")
        .first()
    )
    found = {}
    for url in ["/", "/budget/kraeftplan-iv/", target.get_absolute_url()]:
        found.update(charts(page(client, url)))
    assert {"kp-penge-pr-aar", "kp-status", "kp-budget-afsnit", "kp-budget-modtager"} <= set(found)
    for chart_id, markup in found.items():
        points, targets = plotted(markup)
        assert points and points == drawn(markup), chart_id
        line = svg_of(markup).find(f".//{SVG}line[@class='kp-target']")
        assert targets == ({Decimal(line.get("data-value"))} if line is not None else set())
        figure = json.loads(figure_json(markup))
        # Danish numbers; no plotly theme (template "none" is all but empty).
        assert figure["layout"]["separators"] == ",."
        assert len(json.dumps(figure["layout"]["template"])) < 60, chart_id
        # Each series in the colour the SVG gives it.
        colours = {
            shown(t["name"]): t["line"]["color"] if t["type"] == "scatter" else t["marker"]["color"]
            for t in figure["data"]
            if t.get("line", {}).get("dash") != "dash"
        }
        svg_colours = {m.get("data-series"): m.get("fill") for m in svg_of(markup).iter()}
        assert colours == {name: svg_colours[name] for name in colours}, chart_id


def test_the_figure_for_plotly_follows_the_language_and_keeps_texts_literal():
    series = {"<50 år & ældre": [Decimal("1051042.5")]}
    with translation.override("en"):
        english = json.loads(figure_json(bar_chart("x", [2020], series, title="T")))
    assert english["layout"]["separators"] == ".,"
    # The JSON cannot close its element, and plotly.js shows the name as written.
    with translation.override("da"):
        markup = bar_chart("x", [2020], series, title="T")
    assert "<50" not in figure_json(markup)
    assert plotted(markup)[0] == {("<50 år & ældre", "2020"): Decimal("1051042.5")}
    assert json.loads(figure_json(markup))["layout"]["separators"] == ",."


def test_every_style_plotly_would_add_inline_is_linked_by_the_chart_script_first():
    """plotly.js adds a <style> unless an element with its id exists; static/js/charts.js links
    our empty sheet under each id before it loads plotly.js. A new plotly version with another
    id would break the policy on every interactive chart."""
    import plotly

    library = (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_text()
    wanted = set(re.findall(r'getElementById\("([0-9a-f]{64})"\)', library))
    wanted.add("plotly.js-style-global")
    assert "plotly.js-style-" in library
    script = (settings.BASE_DIR / "static" / "js" / "charts.js").read_text()
    listed = re.search(r"STYLE_IDS = \[(.*?)\]", script, re.S)[1]
    assert wanted <= set(re.findall(r'"([^"]+)"', listed))


def test_plotly_js_is_served_from_the_plotly_package(client):
    from django.contrib.staticfiles import finders

    from kraeftplan.staticfinders import PLOTLY_JS

    found = finders.find(PLOTLY_JS)
    assert found and Path(found).stat().st_size > 1_000_000
    assert finders.find("css/plotly-global.css") and finders.find("js/charts.js")


def test_summarising_keeps_the_largest_series_and_adds_up_the_rest():
    series = {f"S{n}": [Decimal(n), None, Decimal(n * 2)] for n in range(1, 11)}
    summary = summarise(["a", "b", "c"], series, additive=True, max_series=4)
    names = [s.name for s in summary.series]
    assert names == ["S8", "S9", "S10", "Øvrige (beregnet af portalen)"]
    others = summary.series[-1].values
    assert others == [sum(Decimal(n) for n in range(1, 8)), None, 2 * sum(range(1, 8))]
    # Every figure given is in the chart, once.
    for column in (0, 2):
        given = sum(values[column] for values in series.values())
        assert sum(s.values[column] for s in summary.series) == given


def test_figures_that_cannot_be_added_keep_the_first_series_and_say_so():
    series = {f"Gruppe {n}": [Decimal(50 + n)] for n in range(10)}
    chart = line_chart("x", ["2020"], series, title="T", y_title="pct.")
    marks = drawn(chart)
    assert {name for name, _category in marks} == {f"Gruppe {n}" for n in range(MAX_SERIES)}
    assert "Øvrige" not in chart
    assert f"De første {MAX_SERIES} af 10 serier er tegnet." in chart


def test_a_chart_stays_bounded_whatever_the_data():
    years = list(range(1980, 2040))
    series = {f"Plan {n}": [Decimal(n * 1000 + y) for y in years] for n in range(200)}
    bars = bar_chart("x", years, series, title="T" * 200, stacked=True, y_title="mio. kr.")
    lines = line_chart("y", years, series, title="T", target=5, target_label="Mål")
    for markup in (bars, lines):
        assert len(markup.encode()) < MAX_CHART_BYTES
        assert len(figure_json(markup).encode()) < MAX_FIGURE_BYTES
        assert plotted(markup)[0] == drawn(markup)
        marks = drawn(markup)
        assert len({series for series, _year in marks}) <= MAX_SERIES
        assert {year for _series, year in marks} == {str(y) for y in years[-MAX_CATEGORIES:]}
    assert "De seneste 24 af 60 kolonner er tegnet." in bars


def test_at_a_generated_scale_the_chart_pages_stay_bounded(client):
    """Five generated plans of five units (250 initiatives, 15 years each) beside the seeds:
    the home page's charts summarise seven funded plans, and no chart outgrows the bound."""
    plan = generate(25, prefix="diagram").largest
    pages = public_pages(plan)
    home = charts(page(client, pages["home"]))
    series = {name for name, _year in drawn(home["kp-penge-pr-aar"])}
    assert len(series) == MAX_SERIES and "Øvrige (beregnet af portalen)" in series
    # The "Others" bars hold the money of the plans not drawn, summed from the database.
    kept = series - {"Øvrige (beregnet af portalen)"}
    rest = (
        BudgetAmount.objects.filter(line__parent__isnull=True)
        .exclude(line__plan__short_name__in=kept)
        .values("year")
        .annotate(total=Sum("amount"))
    )
    others = {
        year: value
        for (name, year), value in drawn(home["kp-penge-pr-aar"]).items()
        if name.startswith("Øvrige")
    }
    assert others == {str(row["year"]): row["total"] for row in rest}
    for name in ("home", "budget", "a target"):
        found = charts(page(client, pages[name]))
        assert found, name
        for chart_id, markup in found.items():
            assert len(markup.encode()) < MAX_CHART_BYTES, (name, chart_id, len(markup))
            # The interactive chart gets the same summary, and stays small.
            figure = figure_json(markup).encode()
            assert len(figure) < MAX_FIGURE_BYTES, (name, chart_id, len(figure))
            assert plotted(markup)[0] == drawn(markup), (name, chart_id)


# Danish data in the charts of an English page (see kraeftplan.charts.Languages)


def legend_items(markup: str) -> list[tuple[str | None, str]]:
    """(lang, text) of each entry of a chart's legend."""
    legend = re.search(r'<ul class="nobullet-list kp-legend"[^>]*>(.*?)</ul>', markup, re.S)[1]
    return [
        (lang or None, re.sub(r"<svg.*?</svg>", "", text))
        for lang, text in re.findall(r'<li(?: lang="(\w+)")?>(.*?)</li>', legend, re.S)
    ]


def test_on_an_english_page_a_charts_danish_names_are_marked_and_the_description_names_none():
    series = {"Kræftplan IV": [1, 2], "Jo før – jo bedre": [3, 4]}
    with translation.override("en"):
        markup = bar_chart("x", [2019, 2020], series, title="Money", danish=["series"])
    svg = svg_of(markup)
    description = svg.find(f"{SVG}desc").text
    assert "Kræftplan IV" not in description and "Jo før" not in description
    assert description.startswith("Bar chart of the 2 series in the legend for 2019–2020")
    # The legend is read out then, each name in Danish.
    assert legend_items(markup) == [("da", "Kræftplan IV"), ("da", "Jo før – jo bedre")]
    assert 'class="nobullet-list kp-legend">' in markup  # no aria-hidden
    # Titles of the bars: the name and a year, Danish; the chart's title is the page's.
    assert {t.get("lang") for t in svg.iter(f"{SVG}title") if t.text != "Money"} == {"da"}
    assert svg.find(f"{SVG}title").get("lang") is None
    meta = json.loads(figure_json(markup))["layout"]["meta"]["lang"]
    assert meta == {"traces": ["da", "da"], "x": None, "y": None}


def test_on_a_danish_page_nothing_is_marked_and_the_description_names_the_series():
    series = {"Kræftplan IV": [1, 2]}
    with translation.override("da"):
        markup = line_chart("x", ["2019", "2020"], series, title="T", danish=["title", "series"])
    assert 'lang="' not in markup
    assert "Kræftplan IV" in svg_of(markup).find(f"{SVG}desc").text
    assert 'aria-hidden="true">' in markup.split('class="nobullet-list kp-legend"')[1][:20]
    meta = json.loads(figure_json(markup))["layout"]["meta"]["lang"]
    assert meta == {"traces": [None], "x": None, "y": None}


def test_an_indicators_chart_marks_its_name_columns_and_unit_but_not_the_portals_words():
    series = {"Mænd": [1, 2, 3, 4, 5, 6, 7], "Kvinder": [2, 3, 4, 5, 6, 7, 8]}
    columns = [f"Region {n}" for n in "ABCDEFG"]
    with translation.override("en"):
        markup = line_chart(
            "x",
            columns,
            series,
            title="Overlevelse",
            target=5,
            target_label="Target 2025",
            y_title="pct.",
            danish=["title", "series", "categories", "unit"],
        )
    svg = svg_of(markup)
    assert svg.find(f"{SVG}title").get("lang") == "da"
    # A column label may wrap over lines (tspans); its text is the lines in order.
    texts = {" ".join(t.itertext()): t.get("lang") for t in svg.iter(f"{SVG}text")}
    assert texts["pct."] == "da" and texts["Region A"] == "da"
    assert texts["Target 2025: 5 pct."] is None
    description = svg.find(f"{SVG}desc").text
    assert "Region" not in description and "pct." not in description
    assert "the columns named under the chart" in description
    assert "The dashed line is the target, Target 2025: 5." in description
    assert legend_items(markup) == [("da", "Mænd"), ("da", "Kvinder"), (None, "Target 2025")]
    meta = json.loads(figure_json(markup))["layout"]["meta"]["lang"]
    assert meta == {"traces": ["da", "da", None], "x": "da", "y": "da"}


def test_the_others_series_and_the_portals_column_labels_stay_in_the_pages_language():
    series = {f"Linje {n}": [n] for n in range(1, 9)}
    with translation.override("en"):
        markup = bar_chart("x", ["On track"], series, title="T", danish=["series"])
    items = legend_items(markup)
    assert items[-1] == (None, "Others (computed by the portal)")
    assert {lang for lang, _name in items[:-1]} == {"da"}
    # "Linje 8, On track: 8": a Danish name beside the page's words: the tooltip is the page's.
    assert {t.get("lang") for t in svg_of(markup).iter(f"{SVG}title")} == {None}


def test_the_chart_pages_mark_the_danish_data_in_their_charts_in_english(client):
    home = charts(page(client, "/en/"))
    assert legend_items(home["kp-penge-pr-aar"])[0] == ("da", "Jo før – jo bedre")
    budget = charts(page(client, "/en/budget/kraeftplan-iv/"))
    assert {lang for lang, _n in legend_items(budget["kp-budget-afsnit"])} == {"da"}
    # The recipients are the portal's categories, in English.
    assert {lang for lang, _n in legend_items(budget["kp-budget-modtager"])} == {None}
    target = NationalTarget.objects.filter(indicators__isnull=False).order_by("pk").first()
    for markup in charts(page(client, f"/en/maal/{target.pk}/")).values():
        assert svg_of(markup).find(f"{SVG}title").get("lang") == "da"
