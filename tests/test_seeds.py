"""The shipped fixtures hold the seed documents exactly: counts, every budget figure, statuses,
titles and the indicator tables, checked against the text of ../shared/seeds itself.

The tests that read the documents (through the seed_text fixture) skip when ../shared/seeds, or
the directory in KP_SEEDS_DIR, is not there; the rest check the loaded fixtures alone."""

import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command

from budget.models import BudgetAmount, BudgetLine
from initiatives.choices import InitiativeKind, StatusCategory
from initiatives.models import (
    Case,
    Finding,
    Initiative,
    InitiativeComment,
    MainElement,
    Measure,
    MeasureStatus,
    Plan,
)
from kraeftplan.formatting import parse_decimal
from opendata import datazip
from reports.models import AnnualReport
from targets.models import Indicator, Measurement, NationalTarget

pytestmark = pytest.mark.django_db

NUMBER = r"-|\d[\d.]*(?:,\d+)?"


def squash(text: str) -> str:
    """Drop whitespace and hyphens so that words the PDF broke over lines compare equal."""
    return re.sub(r"[\s\-\u00ad]", "", text)


def seed_squashed(text: str) -> str:
    # Page footers ("Side 4") interrupt sentences, and footnote markers stick to the word before
    # them in the extraction ("Sundhedsprofil1 samt").
    text = re.sub(r"^\s*Side \d+\s*$", "", text, flags=re.M)
    return squash(re.sub(r"(?<=[a-zæøå])\d(?=\s)", "", text))


def parse_table_rows(lines, headings, n_numbers):
    """Rows of a flattened table: a label (possibly over several lines) and n trailing numbers."""
    row_pattern = re.compile(rf"^(.*?)\s+((?:(?:{NUMBER})\s+){{{n_numbers - 1}}}(?:{NUMBER}))\s*$")
    rows, pending = [], []
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if line in headings:
            pending = []
            continue
        match = row_pattern.match(line)
        if match:
            label = " ".join([*pending, match[1]]).strip()
            rows.append((re.sub(r"\s+", " ", label), match[2].split()))
            pending = []
        else:
            pending.append(line)
    return rows


def value(token):
    return None if token == "-" else parse_decimal(token, ",")


class TestCounts:
    def test_it_holds_the_three_plans_with_their_periods_and_states(self):
        plans = {plan.slug: plan for plan in Plan.objects.all()}
        assert set(plans) == {"jo-foer-jo-bedre", "kraeftplan-iv", "kraeftplan-v"}
        assert (plans["jo-foer-jo-bedre"].start_year, plans["jo-foer-jo-bedre"].end_year) == (
            2015,
            2018,
        )
        assert (plans["kraeftplan-iv"].start_year, plans["kraeftplan-iv"].end_year) == (2017, 2020)
        assert plans["kraeftplan-iv"].permanent_from_year == 2021
        assert plans["kraeftplan-v"].state == "preparation"
        assert plans["kraeftplan-v"].predecessor == plans["kraeftplan-iv"]

    def test_kraeftplan_iv_has_3_targets_4_main_elements_and_16_initiatives(self, kp4, seed_text):
        fact_sheet = seed_text("002")
        assert "3 nationale målsætninger" in fact_sheet and "16 konkrete initiativer" in fact_sheet
        assert NationalTarget.objects.filter(plan=kp4).count() == 3
        assert MainElement.objects.filter(plan=kp4).count() == 4
        initiatives = Initiative.objects.filter(plan=kp4, kind=InitiativeKind.INITIATIVE)
        assert sorted(int(i.number) for i in initiatives) == list(range(1, 17))

    def test_every_initiative_of_bilag_1_has_its_published_number_and_title(self, kp4, seed_text):
        text = seed_text("000")
        bilag1 = text[text.index("Bilag 1: Opfølgning") : text.index("Bilag 2.")]
        for initiative in Initiative.objects.filter(plan=kp4):
            assert re.search(
                rf"^\s*{initiative.number}\. {re.escape(initiative.title)}\s*$", bilag1, re.M
            ), initiative

    def test_the_nine_draft_recommendations_and_five_regional_initiatives_are_there(
        self, seed_text
    ):
        plan = Plan.objects.get(slug="kraeftplan-v")
        minutes, regional = seed_squashed(seed_text("001")), seed_squashed(seed_text("004"))
        recommendations = plan.initiatives.filter(kind=InitiativeKind.RECOMMENDATION)
        assert [r.number for r in recommendations] == [str(n) for n in range(1, 10)]
        for recommendation in recommendations:
            assert squash(f"Anbefaling {recommendation.number}: {recommendation.title}") in minutes
            assert recommendation.comments.count() >= 3
        regionals = plan.initiatives.filter(kind=InitiativeKind.REGIONAL)
        assert regionals.count() == 5
        for initiative in regionals:
            assert squash(f"{initiative.number}. {initiative.title}") in regional
        assert InitiativeComment.objects.filter(made_on="2024-08-28").count() == 29

    def test_the_four_status_reports_carry_their_published_dates(self, kp4):
        dated = dict(AnnualReport.objects.filter(plan=kp4).values_list("year", "dated"))
        assert {year: str(day) for year, day in dated.items()} == {
            2017: "2017-06-22",
            2018: "2018-05-23",
            2019: "2019-10-07",
            2020: "2021-01-27",
        }


class TestBilag2:
    @pytest.fixture
    def published_rows(self, kp4, seed_text):
        text = seed_text("000")
        table = text[text.index("Initiativ, mio.kr. 2017 2018 2019 2020 I alt") :]
        headings = set(MainElement.objects.filter(plan=kp4).values_list("title", flat=True))
        lines = table.splitlines()[3:]  # the header takes three lines ("Fra 2021 / og frem")
        return parse_table_rows(lines, headings, n_numbers=6)

    def test_every_line_of_bilag_2_is_in_the_budget_with_every_figure(self, kp4, published_rows):
        lines = {line.label: line for line in BudgetLine.objects.filter(plan=kp4)}
        assert len(published_rows) == len(lines) == 32
        for label, numbers in published_rows:
            line = lines[label]
            amounts = dict(line.amounts.values_list("year", "amount"))
            assert [amounts[year] for year in (2017, 2018, 2019, 2020)] == [
                value(token) for token in numbers[:4]
            ], label
            assert line.stated_total == value(numbers[4]), label
            assert line.permanent_amount == value(numbers[5]), label
            assert (line.permanent_from_year == 2021) == (line.permanent_amount is not None)

    def test_heraf_lines_hang_under_the_line_above_them(self, kp4, published_rows):
        lines = list(BudgetLine.objects.filter(plan=kp4).order_by("position"))
        assert [line.label for line in lines] == [label for label, _numbers in published_rows]
        for line in lines:
            assert line.label.lower().startswith("heraf") == (line.parent_id is not None)
            if line.parent_id:
                assert line.parent.position < line.position

    def test_jo_foer_jo_bedre_tabel_1_is_held_with_every_figure(self, seed_text):
        text = seed_text("003")
        table = text[text.index("Tabel 1. Oversigt") :].splitlines()[1:]
        rows = parse_table_rows(table, set(), n_numbers=5)
        plan = Plan.objects.get(slug="jo-foer-jo-bedre")
        lines = {line.label: line for line in BudgetLine.objects.filter(plan=plan)}
        assert len(rows) == len(lines) == 5
        for label, numbers in rows:
            amounts = dict(lines[label].amounts.values_list("year", "amount"))
            assert [amounts[year] for year in (2015, 2016, 2017, 2018)] == [
                value(t) for t in numbers[:4]
            ]
            assert lines[label].stated_total == value(numbers[4])
        first = BudgetLine.objects.get(plan=plan, parent=None)
        assert first.children.count() == 4

    def test_amounts_are_exact_decimals(self, kp4):
        amount = BudgetAmount.objects.get(
            line__plan=kp4, line__label__startswith="Heraf identificering", year=2017
        )
        assert amount.amount == Decimal("0.6") and isinstance(amount.amount, Decimal)


class TestStatuses:
    # The published wording of each category where the status cell uses its plain label.
    PLAIN = {
        "Følger tidsplanen": StatusCategory.ON_TRACK,
        "Følger delvis tidsplanen": StatusCategory.PARTLY_ON_TRACK,
        "Tidsplanen er skubbet": StatusCategory.DELAYED,
        "Implementering i gang": StatusCategory.IMPLEMENTING,
        "Afsluttet": StatusCategory.COMPLETED,
        "Indstillet": StatusCategory.DISCONTINUED,
    }

    def test_every_measure_of_kraeftplan_iv_has_a_2020_status_published_in_bilag_1(
        self, kp4, seed_text
    ):
        bilag1 = seed_squashed(seed_text("000"))
        measures = Measure.objects.filter(initiative__plan=kp4)
        assert measures.count() == 25
        for measure in measures:
            status = measure.statuses.get(year=2020)
            assert status.source == "Status på udmøntning af Kræftplan IV - 2020"
            for published in (measure.title, measure.economy, measure.indicator, status.wording):
                assert squash(published) in bilag1, published
            if status.wording in self.PLAIN:
                assert status.category == self.PLAIN[status.wording]
            # Each measure's year is told: in its own narrative, or in the initiative's text.
            assert status.narrative or measure.initiative.status_texts.filter(year=2020).exists()

    def test_the_2020_category_counts_match_the_published_wording(self, kp4):
        statuses = MeasureStatus.objects.filter(measure__initiative__plan=kp4, year=2020)
        counts = {c: statuses.filter(category=c).count() for c in StatusCategory.values}
        wordings = list(statuses.values_list("wording", flat=True))
        assert counts[StatusCategory.COMPLETED] == wordings.count("Afsluttet")
        assert counts[StatusCategory.DISCONTINUED] == wordings.count("Indstillet")
        assert counts[StatusCategory.PARTLY_ON_TRACK] == wordings.count("Følger delvis tidsplanen")
        delayed = [w for w in wordings if "forlænget" in w or "udvidet" in w or "skubbet" in w]
        assert counts[StatusCategory.DELAYED] == len(delayed)

    def test_cases_keep_their_published_labels_and_titles(self, seed_text):
        text = seed_squashed(seed_text("000"))
        labels = list(Case.objects.values_list("label", flat=True))
        assert sorted(labels) == sorted(
            ["Pilotprojekt 1", "Pilotprojekt 2"] + [f"Case {n}" for n in range(4, 13)]
        )
        for case in Case.objects.all():
            separator = ":" if case.label.startswith("Pilotprojekt") else "."
            assert squash(f"{case.label}{separator} {case.title}") in text


class TestIndicatorTables:
    def test_tabel_1_survival_figures(self, seed_text):
        text = seed_text("000")
        block = text[
            text.index("5 års overlevelse efter kræft 59") : text.index("Kilde: De Nationale")
        ]
        published = [Decimal(n) for n in re.findall(r"\d+", block.split("kræft", 1)[1])]
        indicator = Indicator.objects.get(table_label="Tabel 1")
        held = list(
            indicator.measurements.order_by("period_start", "-breakdown").values_list(
                "value", flat=True
            )
        )
        assert held == published

    def test_tabel_2_smokers_16_to_19(self, seed_text):
        text = seed_text("000")
        rows = re.findall(r"^(2013|2017) ([\d,]+) ([\d,]+) ([\d,]+) ([\d,]+)\s*$", text, re.M)
        assert len(rows) == 2
        indicator = Indicator.objects.get(table_label="Tabel 2")
        for year, *figures in rows:
            held = indicator.measurements.filter(period=year).order_by("position")
            assert [m.value for m in held] == [parse_decimal(f) for f in figures]

    def test_tabel_3_daily_smokers_aged_15(self, seed_text):
        rows = re.findall(r"^(2014|2018) (\d+) pct\.\s+(\d+) pct\.", seed_text("000"), re.M)
        indicator = Indicator.objects.get(table_label="Tabel 3")
        for year, girls, boys in rows:
            assert indicator.measurements.get(period=year, breakdown="15-årige piger").value == int(
                girls
            )
            assert indicator.measurements.get(
                period=year, breakdown="15-årige drenge"
            ).value == int(boys)
        assert len(rows) == 2

    def test_tabel_4_municipal_rehabilitation_offers(self, seed_text):
        text = seed_text("000")
        block = text[text.index("Antal besvarelser n=96") : text.index("Kilde: REHPA")]
        published = re.findall(
            r"^(\d+) \((\d+)\) (\d+) \((\d+)\) (\d+) \((\d+)\) (\d+) \((\d+)\) (\d+) \((\d+)\)",
            block,
            re.M,
        )
        others = re.search(r"Andre indsatser\s+((?:\d+ ?){5})", block)[1].split()
        indicator = Indicator.objects.get(table_label="Tabel 4")
        rows = []
        for position in range(1, 15):
            cells = indicator.measurements.filter(position=position).order_by("pk")
            rows.append([(m.value, m.share) for m in cells])
        assert len(published) == 13
        for held, figures in zip(rows, published, strict=False):
            expected = [(Decimal(figures[i]), Decimal(figures[i + 1])) for i in range(0, 10, 2)]
            assert held == expected
        assert rows[13] == [(Decimal(n), None) for n in others]

    def test_figures_in_the_text_are_held_with_period_and_source(self, seed_text):
        text = seed_text("000")
        ct = Indicator.objects.get(name="CT-skanninger")
        for m in ct.measurements.all():
            assert f"{int(m.value):,}".replace(",", ".") in text
        pakker = Indicator.objects.get(name="Pakkeforløb for kræft")
        assert pakker.measurements.count() == 4
        # The period the text gives (2014-2019) against the figures (2014, 2018) is a finding.
        period = Finding.objects.get(code="kp4-pakkeforloeb-2014-2019")
        assert "Mellem 2014 og 2019" in period.stated and "Mellem 2014 og 2019" in text
        assert Measurement.objects.filter(period="2016-2018").count() == 4


class TestLoading:
    def test_loading_again_leaves_existing_plans_alone(self):
        before = (Initiative.objects.count(), BudgetAmount.objects.count())
        call_command("load_seeds", stdout=StringIO())
        assert (Initiative.objects.count(), BudgetAmount.objects.count()) == before

    def test_replace_reloads_everything_afresh(self):
        line = BudgetLine.objects.get(label="HPV-vaccination")
        line.label = "Ændret"
        line.save()
        call_command("load_seeds", "--replace", stdout=StringIO())
        assert BudgetLine.objects.filter(label="HPV-vaccination").exists()
        assert Plan.objects.count() == 3 and Initiative.objects.count() == 30
        # A fresh install has the data zip to download before any worker runs.
        with default_storage.open(datazip.STORED_NAME) as stored:
            assert stored.read() == datazip.build()
