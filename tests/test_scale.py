"""The generator's shapes, and every public page at 1× and 10× the seeds (fixtures/generate.py):
it answers, and its SQL count does not grow with the data.

The issue's goal (#14) is a constant count of at most 10 queries on every page, the page
store's read of the public data version (kraeftplan.pagecache) included.
"""

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from budget.models import BudgetAmount, BudgetLine
from fixtures.generate import generate, plans_for, public_pages, years_for
from initiatives.models import (
    Case,
    Initiative,
    Measure,
    MeasureStatus,
    PublicYear,
    PublishedCase,
    PublishedStatus,
)
from reports.models import AnnualReport, ReportVersion
from targets.models import Indicator, Measurement, NationalTarget

pytestmark = pytest.mark.django_db

GOAL = 10
# A page may differ by this much between two plans of the same shape (not with their size).
SLACK = 1


def _in(plan, model, path):
    return model.objects.filter(**{path: plan})


def test_one_unit_has_the_shapes_it_claims():
    plan = generate(1, prefix="form", freeze=False).largest
    years = set(range(plan.start_year, plan.start_year + years_for(1)))
    published = set(sorted(years)[:-1])

    assert _in(plan, Initiative, "plan").count() == 50
    assert _in(plan, Measure, "initiative__plan").count() == 80
    lines = _in(plan, BudgetLine, "plan")
    assert lines.count() == 50
    heraf = lines.filter(parent__isnull=False)
    assert heraf.count() == 10
    assert all(line.label.startswith("Heraf") for line in heraf)
    assert {line.parent.stated_total is not None for line in heraf} == {True}
    cells = _in(plan, BudgetAmount, "line__plan")
    assert cells.count() == 50 * len(years)
    assert set(cells.values_list("year", flat=True)) == years
    assert _in(plan, NationalTarget, "plan").count() == 2
    assert _in(plan, Indicator, "plan").count() == 6
    periods = set(_in(plan, Measurement, "indicator__plan").values_list("period", flat=True))
    assert {str(year) for year in years} <= periods
    assert any("-" in period for period in periods)  # spans such as "2023-2025"
    statuses = _in(plan, MeasureStatus, "measure__initiative__plan")
    assert statuses.count() == 80 * len(years)
    assert set(statuses.values_list("year", flat=True)) == years
    assert _in(plan, Case, "plan").count() == 10 * len(years)
    assert set(_in(plan, PublicYear, "plan").values_list("year", flat=True)) == published
    copies = _in(plan, PublishedStatus, "measure__initiative__plan")
    assert copies.count() == 80 * len(published)
    assert _in(plan, PublishedCase, "plan").count() == 10 * len(published)
    reports = dict(_in(plan, AnnualReport, "plan").values_list("year", "state"))
    states = {max(years): "draft", max(published): "published"}
    assert reports == {year: states.get(year, "external") for year in years}


def test_counts_grow_linearly_with_the_scale_and_the_years_reach_twenty():
    one = generate(1, prefix="lin-a", freeze=False).counts
    four = generate(4, prefix="lin-b", freeze=False).counts
    for name in ("Initiative", "Measure", "BudgetLine", "HerafLine", "NationalTarget", "Indicator"):
        assert four[name] == 4 * one[name], name
    # Cells grow with the scale and with the years followed.
    assert four["BudgetAmount"] == 4 * one["BudgetAmount"] * years_for(4) // years_for(1)
    assert (years_for(1), years_for(10), years_for(100)) == (4, 12, 20)
    assert (plans_for(1), plans_for(4), plans_for(100)) == (1, 2, 10)
    # At 100×: 5.000 initiatives and 100.000 budget cells, as the issue measures.
    assert 100 * one["Initiative"] == 5000
    assert 100 * one["BudgetAmount"] * years_for(100) // years_for(1) == 100_000


def _counts(client, pages):
    counts = {}
    for name, url in pages.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (name, url, response.status_code)
        counts[name] = len(queries)
    return counts


def test_every_public_page_answers_and_its_sql_count_does_not_grow(
    client, django_assert_max_num_queries
):
    small = generate(1, prefix="skala-1").largest
    small_pages = public_pages(small)
    at_one = _counts(client, small_pages)

    large = generate(10, prefix="skala-10").largest
    assert large.initiatives.count() == 200  # ten units over three plans: 4, 3 and 3
    large_pages = public_pages(large)
    assert large_pages.keys() == small_pages.keys()
    for name, url in large_pages.items():
        with django_assert_max_num_queries(GOAL) as queries:
            response = client.get(url)
        assert response.status_code == 200, (name, url)
        assert len(queries) <= at_one[name] + SLACK, (name, at_one[name], len(queries))


def test_the_report_page_of_a_generated_plan_is_frozen_and_public(client):
    plan = generate(1, prefix="rapport").largest
    version = ReportVersion.objects.get(report__plan=plan)
    assert version.report.year == plan.start_year + years_for(1) - 2
    assert plan.short_name in version.web_html
    response = client.get(public_pages(plan)["report page"])
    assert response.status_code == 200
    # The published statuses are what the public reads: the draft year shows nowhere.
    draft_year = plan.start_year + years_for(1) - 1
    by_year = dict(
        PublishedStatus.objects.public()
        .filter(measure__initiative__plan=plan)
        .values_list("year")
        .annotate(n=Count("pk"))
    )
    assert draft_year not in by_year and len(by_year) == years_for(1) - 1
