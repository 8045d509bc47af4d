"""Database constraints hold what must always hold; model rules explain themselves in Danish."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from budget.models import BudgetAmount, BudgetLine
from initiatives.models import Measure, MeasureStatus
from targets.models import Measurement
from tests.builders import correcting
from tests.conftest import make_line, make_plan

pytestmark = pytest.mark.django_db


def violates(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_one_status_per_measure_and_year(kp4):
    status = MeasureStatus.objects.filter(year=2020).first()
    correcting(kp4, 2020)
    violates(
        lambda: MeasureStatus.objects.create(
            measure=status.measure, year=2020, category="on_track", wording="x"
        )
    )


def test_one_amount_per_line_and_year_and_never_negative():
    line = BudgetLine.objects.get(label="HPV-vaccination")
    violates(lambda: BudgetAmount.objects.create(line=line, year=2017, amount=Decimal(1)))
    violates(lambda: BudgetAmount.objects.create(line=line, year=2021, amount=Decimal(-1)))


def test_a_permanent_amount_needs_its_year():
    plan = make_plan()
    violates(
        lambda: BudgetLine.objects.create(
            plan=plan, position=1, label="x", permanent_amount=Decimal(1)
        )
    )


def test_a_plan_cannot_end_before_it_starts():
    violates(lambda: make_plan(start_year=2030, end_year=2029))


def test_a_year_outside_the_plan_is_explained_in_danish():
    line = BudgetLine.objects.get(label="HPV-vaccination")
    with pytest.raises(ValidationError) as error:
        BudgetAmount(line=line, year=2016, amount=Decimal(1)).full_clean()
    assert error.value.message_dict["year"] == ["2016 ligger uden for planperioden 2017–2020."]


def test_a_sub_line_must_be_in_the_same_plan_and_one_level_deep(kp4):
    other = make_plan()
    foreign = make_line(other, "Fremmed")
    child = BudgetLine.objects.filter(plan=kp4, parent__isnull=False).first()
    with pytest.raises(ValidationError, match="hører til en anden plan"):
        BudgetLine(plan=kp4, parent=foreign, position=500, label="x").full_clean()
    with pytest.raises(ValidationError, match="kun have ét niveau"):
        BudgetLine(plan=kp4, parent=child, position=501, label="x").full_clean()


def test_measurement_periods_may_span_years():
    indicator = Measurement.objects.first().indicator
    measurement = Measurement.objects.create(
        indicator=indicator, period="2019-2021", value=Decimal(1), breakdown="ny"
    )
    assert (measurement.period_start, measurement.period_end) == (2019, 2021)
    with pytest.raises(ValidationError, match="Skriv perioden som et år"):
        Measurement(indicator=indicator, period="2019/20", value=Decimal(1)).full_clean()
    with pytest.raises(ValidationError, match="slutter, før den begynder"):
        Measurement(indicator=indicator, period="2021-2019", value=Decimal(1)).full_clean()


def test_status_years_must_lie_in_the_plan():
    measure = Measure.objects.get(title="Hospicepulje")
    with pytest.raises(ValidationError, match="2016 ligger uden for planperioden"):
        MeasureStatus(measure=measure, year=2016, category="on_track", wording="x").full_clean()


def test_a_plan_in_preparation_accepts_any_later_year():
    plan = make_plan(slug="aaben", start_year=2023, end_year=None)
    assert plan.covers_year(2040) and not plan.covers_year(2022)
    assert plan.period_label == "2023–"
