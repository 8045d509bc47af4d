"""Every number typed in the admin and on the contributor pages is typed the Danish way.

A browser's <input type="number"> drops the comma of "85,3" and sends 853, so every numeric
field of every admin form and inline, and of every contributor form, is a text input with a
phone keyboard (inputmode), read as 85,3 and 1.051.042.
"""

import importlib
import pkgutil
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django import forms
from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.urls import reverse

from initiatives.models import Case
from targets.models import Indicator, Measurement, NationalTarget
from tests.builders import correcting
from tests.forms import form_data
from tests.test_architecture import APPS

pytestmark = pytest.mark.django_db

# Written out here rather than taken from kraeftplan.fields, so that the walk does not trust the
# code it checks.
NUMBER_FIELDS = (models.IntegerField, models.DecimalField, models.FloatField)
PROJECT_APPS = APPS  # our apps, as the architecture test lists them


class _Inputs(HTMLParser):
    """{name: (tag, attributes)} of a page's form controls."""

    def __init__(self):
        super().__init__()
        self.controls = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in {"input", "select", "textarea"} and attrs.get("name"):
            self.controls.setdefault(attrs["name"], (tag, attrs))


def controls(response):
    parser = _Inputs()
    parser.feed(response.content.decode())
    return parser.controls


def is_typed_number(model_field):
    return (
        isinstance(model_field, NUMBER_FIELDS)
        and not isinstance(model_field, models.AutoField)
        and not model_field.choices
    )


def numeric_fields(response):
    """(model.field, input name) of every form field on an admin page whose model field is a
    number: the object's own form, each inline's rows and the empty row "Add another" copies."""
    context = response.context
    pairs = [(context["adminform"].form, context["adminform"].form._meta.model)]
    for inline in context.get("inline_admin_formsets", []):
        formset = inline.formset
        pairs += [(form, formset.model) for form in [*formset.forms, formset.empty_form]]
    for form, model in pairs:
        for name in form.fields:
            try:
                model_field = model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if is_typed_number(model_field):
                yield f"{model._meta.label}.{name}", form[name].html_name


def admin_pages(client, model):
    """The model's add page and the change page of its first object, where the admin has them."""
    info = (model._meta.app_label, model._meta.model_name)
    urls = [reverse("admin:{}_{}_add".format(*info))]
    first = model._default_manager.order_by("pk").first()
    if first is not None:
        urls.append(reverse("admin:{}_{}_change".format(*info), args=[first.pk]))
    for url in urls:
        response = client.get(url)
        if response.status_code == 200:  # ReportingRound's add page redirects to /bidrag/
            yield url, response


def walk(client, model):
    """(numeric model fields met, problems) over the model's admin pages."""
    met, problems = set(), []
    for url, response in admin_pages(client, model):
        if 'type="number"' in response.content.decode():
            problems.append(f'{url}: an <input type="number">')
        found = controls(response)
        for label, name in numeric_fields(response):
            met.add(label)
            tag, attrs = found.get(name, (None, {}))
            if tag != "input" or attrs.get("type") != "text":
                problems.append(f"{url}: {label} ({name}) is not a text input: {tag} {attrs}")
            elif attrs.get("inputmode") not in {"decimal", "numeric"}:
                problems.append(f"{url}: {label} ({name}) has no inputmode")
    return met, problems


@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda m: m._meta.label)
def test_every_number_in_every_admin_form_is_typed_the_danish_way(admin_client, model):
    _met, problems = walk(admin_client, model)
    assert problems == []


def test_the_walk_meets_the_numbers_of_targets_plans_cases_and_budgets(admin_client):
    met = set()
    for model in admin.site._registry:
        met |= walk(admin_client, model)[0]
    assert {
        "targets.Measurement.value",
        "targets.Measurement.share",
        "targets.Measurement.position",
        "targets.NationalTarget.target_value",
        "targets.NationalTarget.target_year",
        "targets.Indicator.position",
        "initiatives.Plan.start_year",
        "initiatives.Case.number",
        "initiatives.MeasureStatus.year",
        "budget.BudgetAmount.amount",
        "budget.BudgetAmount.year",
        "budget.BudgetLine.stated_total",
        "reports.AnnualReport.year",
    } <= met


def project_form_classes():
    """Every form class the project's apps define."""
    for app in PROJECT_APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, f"{app}."):
            if not any(part in module.name for part in (".migrations", ".settings", ".tests")):
                importlib.import_module(module.name)
    seen, pending = set(), [forms.BaseForm]
    while pending:
        for subclass in pending.pop().__subclasses__():
            if subclass not in seen:
                seen.add(subclass)
                pending.append(subclass)
    return sorted(
        (c for c in seen if c.__module__.split(".")[0] in PROJECT_APPS),
        key=lambda c: f"{c.__module__}.{c.__qualname__}",
    )


@pytest.mark.parametrize(
    "form_class", project_form_classes(), ids=lambda c: f"{c.__module__}.{c.__qualname__}"
)
def test_no_form_of_the_project_types_a_number_into_a_number_input(form_class):
    for name, field in form_class.base_fields.items():
        assert not isinstance(field.widget, forms.NumberInput), name
        if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
            # Django's own number fields read "85,3" as no number: only a hidden value may use one.
            assert field.widget.is_hidden, name
        if (
            getattr(field.widget, "input_type", None) == "text"
            and "inputmode" in field.widget.attrs
        ):
            assert field.widget.attrs["inputmode"] in {"decimal", "numeric"}, name


def test_the_walk_of_forms_meets_the_contributor_forms():
    names = {c.__name__ for c in project_form_classes()}
    assert {"OpenRoundForm", "ItemForm", "ContributionForm", "ConsolidationForm"} <= names


class TestMeasurementAdmin:
    @pytest.fixture
    def measurement(self):
        return Measurement.objects.filter(share__isnull=False).order_by("pk").first()

    def url(self, measurement):
        return reverse("admin:targets_measurement_change", args=[measurement.pk])

    def submit(self, client, measurement, **changes):
        data = form_data(client.get(self.url(measurement)), "measurement_form")
        return client.post(self.url(measurement), {**data, **changes})

    @pytest.mark.parametrize(
        ("typed", "saved"),
        [
            ("85,3", Decimal("85.3")),
            ("1.051.042", Decimal(1051042)),
            ("1.051.042,5", Decimal("1051042.5")),
            (" 85,3 ", Decimal("85.3")),
        ],
    )
    def test_a_value_typed_the_danish_way_is_saved_exactly(
        self, admin_client, measurement, typed, saved
    ):
        response = self.submit(admin_client, measurement, value=typed, share="22,7")
        assert response.status_code == 302
        measurement.refresh_from_db()
        assert (measurement.value, measurement.share) == (saved, Decimal("22.7"))

    def test_the_form_shows_the_value_the_danish_way(self, admin_client, measurement):
        measurement.value = Decimal("1051042.50")
        measurement.save()
        data = form_data(admin_client.get(self.url(measurement)), "measurement_form")
        assert data["value"] == "1.051.042,5"
        response = self.submit(admin_client, measurement)
        assert response.status_code == 302, "what the form shows, it reads back"
        measurement.refresh_from_db()
        assert measurement.value == Decimal("1051042.5")

    @pytest.mark.parametrize(
        ("typed", "message"),
        [
            (
                "85.3",
                "Brug komma som decimaltegn og punktum mellem tusinder, fx 85,3 eller 1.051.042.",
            ),
            ("1.05.1", "Skriv et tal med cifre, fx 85,3."),
            ("85,333", "Tallet må højst have 2 decimaler."),
        ],
    )
    def test_an_ambiguous_or_bad_value_is_refused_in_danish_and_nothing_is_saved(
        self, admin_client, measurement, typed, message
    ):
        before = measurement.value
        response = self.submit(admin_client, measurement, value=typed, note="Ændret note")
        assert response.status_code == 200
        assert message in response.content.decode()
        measurement.refresh_from_db()
        assert measurement.value == before and measurement.note != "Ændret note"


def test_an_indicator_s_measurements_are_typed_the_danish_way_in_its_inline(admin_client):
    indicator = Indicator.objects.filter(measurements__isnull=False).order_by("pk").first()
    url = reverse("admin:targets_indicator_change", args=[indicator.pk])
    data = form_data(admin_client.get(url), "indicator_form")
    first = Measurement.objects.get(pk=data["measurements-0-id"])
    data["measurements-0-value"] = "1.051.042"
    assert admin_client.post(url, data).status_code == 302
    first.refresh_from_db()
    assert first.value == Decimal(1051042)


def test_a_target_value_and_year_are_typed_the_danish_way(admin_client):
    target = NationalTarget.objects.order_by("pk").first()
    url = reverse("admin:targets_nationaltarget_change", args=[target.pk])
    data = form_data(admin_client.get(url), "nationaltarget_form")
    response = admin_client.post(url, {**data, "target_value": "85,3", "target_year": "2030"})
    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.target_value, target.target_year) == (Decimal("85.3"), 2030)


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("start_year", "2.017", "Skriv årstallet med fire cifre, fx 2024."),
        ("end_year", "20", "Skriv årstallet med fire cifre, fx 2024."),
    ],
)
def test_a_year_with_a_separator_or_too_few_digits_is_refused(
    admin_client, kp4, field, typed, message
):
    url = reverse("admin:initiatives_plan_change", args=[kp4.pk])
    data = form_data(admin_client.get(url), "plan_form")
    response = admin_client.post(url, {**data, field: typed})
    assert response.status_code == 200 and message in response.content.decode()
    kp4.refresh_from_db()
    assert (kp4.start_year, kp4.end_year) == (2017, 2020)


def test_a_case_number_is_a_whole_number(admin_client, kp4):
    case = Case.objects.order_by("pk").first()
    correcting(kp4, case.year)  # the case's year is published: changes need a correction
    url = reverse("admin:initiatives_case_change", args=[case.pk])
    data = form_data(admin_client.get(url), "case_form")
    response = admin_client.post(url, {**data, "number": "3,5"})
    assert "Skriv et helt tal med cifre, fx 12." in response.content.decode()
    response = admin_client.post(url, {**data, "number": "-3"})
    assert "Tallet kan ikke være negativt." in response.content.decode()
    assert Case.objects.get(pk=case.pk).number == case.number
    assert admin_client.post(url, {**data, "number": "1.001"}).status_code == 302
    assert Case.objects.get(pk=case.pk).number == 1001
