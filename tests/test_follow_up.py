"""A plan's follow-up period: statuses, rounds and reports inside it, the budget in the plan
period; staff extend it in the admin, and a new round leaves finished measures out."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from budget.models import BudgetAmount, BudgetLine
from contributions.models import ReportingRound
from initiatives.models import Measure, MeasureStatus, Plan
from reports.models import AnnualReport
from tests.forms import form_data

pytestmark = pytest.mark.django_db

OUTSIDE = (
    "2021 ligger uden for planens opfølgningsperiode 2017–2020. Ministeriets medarbejdere kan "
    "forlænge opfølgningen på planen i administrationen."
)


def deadline():
    return date.today() + timedelta(days=30)


def test_by_default_the_plan_is_followed_up_in_its_period(kp4):
    assert kp4.follow_up_label == "2017–2020" and not kp4.follow_up_extended
    measure = Measure.objects.filter(initiative__plan=kp4).first()
    with pytest.raises(ValidationError) as refused:
        MeasureStatus(measure=measure, year=2021, category="on_track", wording="x").full_clean()
    assert refused.value.message_dict["year"] == [OUTSIDE]
    with pytest.raises(ValidationError) as refused:
        ReportingRound.open(kp4, 2021, deadline())
    assert refused.value.message_dict["year"] == [OUTSIDE]
    with pytest.raises(ValidationError):
        AnnualReport(plan=kp4, year=2021, title="Status 2021").full_clean()


def test_extended_follow_up_takes_statuses_rounds_and_reports_but_not_budget(kp4):
    kp4.follow_up_until = 2022
    kp4.full_clean()
    kp4.save()
    measure = Measure.objects.filter(initiative__plan=kp4).first()
    MeasureStatus(measure=measure, year=2021, category="on_track", wording="x").full_clean()
    AnnualReport(plan=kp4, year=2022, title="Status 2022").full_clean()
    assert ReportingRound.open(kp4, 2021, deadline()).year == 2021
    with pytest.raises(ValidationError) as refused:
        ReportingRound.open(kp4, 2023, deadline())
    assert "2023 ligger uden for planens opfølgningsperiode 2017–2022." in str(refused.value)
    # Money stays in the plan period.
    line = BudgetLine.objects.filter(plan=kp4).first()
    with pytest.raises(ValidationError):
        BudgetAmount(line=line, year=2021, amount=1).full_clean()


def test_the_follow_up_cannot_end_before_the_statuses_rounds_and_reports_it_has(kp4):
    kp4.follow_up_until = 2022
    kp4.save()
    ReportingRound.open(kp4, 2022, deadline())
    kp4.follow_up_until = 2021
    with pytest.raises(ValidationError, match="Planen har allerede indberetningsrunder efter"):
        kp4.full_clean()


def test_the_follow_up_cannot_end_before_the_plan_period(kp4):
    kp4.follow_up_until = 2019
    with pytest.raises(ValidationError):
        kp4.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Plan.objects.filter(pk=kp4.pk).update(follow_up_until=2019)


def test_staff_extend_the_follow_up_in_the_admin_and_the_plan_page_shows_both(
    client, ministry, kp4
):
    client.force_login(ministry)
    url = reverse("admin:initiatives_plan_change", args=[kp4.pk])
    data = form_data(client.get(url), "plan_form")
    data["follow_up_until"] = "2019"
    refused = client.post(url, data).content.decode()
    assert "Planen har allerede statusser, rapporter efter 2019" in refused
    data["follow_up_until"] = "2022"
    assert client.post(url, data).status_code == 302
    kp4.refresh_from_db()
    assert kp4.follow_up_until == 2022
    page = client.get(kp4.get_absolute_url()).content.decode()
    assert "Planperiode</dt><dd>2017–2020 (varige midler fra 2021)" in page
    assert "2017–2022: ministeriet har forlænget den årlige opfølgning" in page
    # The measure admin now takes a 2021 status.
    measure = Measure.objects.get(title="Kræftpatientoverblik (KPO)")
    url = reverse("admin:initiatives_measure_change", args=[measure.pk])
    data = form_data(client.get(url), "measure_form")
    data.update(
        {
            "statuses-TOTAL_FORMS": "2",
            "statuses-1-year": "2021",
            "statuses-1-category": "on_track",
            "statuses-1-wording": "Følger tidsplanen",
            "statuses-1-measure": str(measure.pk),
        }
    )
    assert client.post(url, data).status_code == 302
    assert measure.statuses.filter(year=2021).exists()


def test_a_new_round_leaves_out_measures_finished_in_the_last_published_year(client, ministry, kp4):
    kp4.follow_up_until = 2021
    kp4.save()
    finished = set(
        MeasureStatus.objects.filter(
            measure__initiative__plan=kp4, year=2020, category__in=["completed", "discontinued"]
        ).values_list("measure_id", flat=True)
    )
    assert finished  # e.g. "Partnerskab med erhvervslivet": Afsluttet in 2020
    asked = set().union(*ReportingRound.default_assignments(kp4, 2021).values())
    assert asked and not asked & finished
    # The 2020 round itself asks about them: they were not finished before 2020.
    assert set().union(*ReportingRound.default_assignments(kp4, 2020).values()) >= finished
    client.force_login(ministry)
    page = client.get("/bidrag/runder/ny/?plan=kraeftplan-iv").content.decode()
    assert 'Partnerskab med erhvervslivet <span class="kp-muted">(Afsluttet i 2020)' in page
    data = form_data(client.get("/bidrag/runder/ny/?plan=kraeftplan-iv"), "aabn-runde")
    ticked = {int(v.split("-")[1]) for v in data["tildel"]}
    assert ticked and not ticked & finished
