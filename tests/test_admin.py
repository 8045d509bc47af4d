"""Ministry staff edit everything in the Danish admin; bad input is refused in Danish."""

import re
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from budget.models import BudgetAmount, BudgetLine
from initiatives.models import Measure, MeasureStatus
from tests.forms import form_data

pytestmark = pytest.mark.django_db

PORTAL_APPS = ["accounts", "initiatives", "budget", "targets", "contributions", "reports"]


@pytest.fixture
def staff_client(client, ministry):
    client.force_login(ministry)
    return client


def portal_models():
    return [
        m
        for m in apps.get_models()
        if m._meta.app_label in PORTAL_APPS and m in admin.site._registry
    ]


def test_every_portal_model_is_in_the_admin_on_its_own_or_as_an_inline():
    registered = {m._meta.model_name for m in portal_models()}
    for model_admin in admin.site._registry.values():
        registered |= {inline.model._meta.model_name for inline in model_admin.inlines}
    concrete = {
        m._meta.model_name
        for m in apps.get_models()
        if m._meta.app_label in PORTAL_APPS and not m.__name__.startswith("Historical")
    }
    assert registered == concrete


@pytest.mark.parametrize("model", portal_models(), ids=lambda m: m._meta.label)
def test_staff_can_open_every_list_change_and_history_page(staff_client, model):
    info = (model._meta.app_label, model._meta.model_name)
    listing = staff_client.get(reverse("admin:{}_{}_changelist".format(*info)))
    assert listing.status_code == 200
    obj = model.objects.order_by("pk").first()
    if obj is None:
        return
    assert (
        staff_client.get(reverse("admin:{}_{}_change".format(*info), args=[obj.pk])).status_code
        == 200
    )
    assert (
        staff_client.get(reverse("admin:{}_{}_history".format(*info), args=[obj.pk])).status_code
        == 200
    )


def test_the_admin_speaks_danish(staff_client):
    page = staff_client.get(reverse("admin:index")).content.decode()
    assert "Planer og initiativer" in page and "Budgetlinjer" in page


def test_contributors_cannot_enter_the_admin(client, editor_rh):
    client.force_login(editor_rh)
    response = client.get(reverse("admin:budget_budgetline_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_budget_line_list_flags_the_published_slip(staff_client, kp4):
    page = staff_client.get(
        reverse("admin:budget_budgetline_changelist"),
        {"plan__id__exact": kp4.pk, "afstemning": "afvigelse"},
    ).content.decode()
    assert "HPV-vaccination" in page and "Afvigelse" in page
    assert "Behandling i hjemmet" not in page


def test_the_plan_page_lists_its_findings(staff_client, kp4):
    page = staff_client.get(
        reverse("admin:initiatives_plan_change", args=[kp4.pk])
    ).content.decode()
    assert "I alt er angivet til 5, men årene summerer til 7,5" in page
    assert "Teksten angiver 384, men budgetlinjerne summerer til 388" in page


def test_the_budget_line_changelist_has_a_fixed_number_of_queries(
    staff_client, django_assert_num_queries
):
    # session, user, permissions ×2 (own, group's), filter choices (plans, sections), count ×2,
    # lines with plan+section, amounts, children, children's amounts – whatever the number of lines.
    with django_assert_num_queries(12):
        staff_client.get(reverse("admin:budget_budgetline_changelist"), {"all": ""})


class TestBudgetLineEditing:
    @pytest.fixture
    def line(self):
        return BudgetLine.objects.get(label__startswith="Heraf identificering af værktøjer")

    def url(self, line):
        return reverse("admin:budget_budgetline_change", args=[line.pk])

    def submit(self, client, line, **changes):
        data = form_data(client.get(self.url(line)), "budgetline_form")
        data.update(changes)
        return client.post(self.url(line), data)

    def amount_field(self, client, line, year):
        data = form_data(client.get(self.url(line)), "budgetline_form")
        index = next(
            k.split("-")[1] for k, v in data.items() if k.endswith("-year") and v == str(year)
        )
        return f"amounts-{index}-amount", f"amounts-{index}-year"

    def test_the_form_shows_amounts_with_a_decimal_comma(self, staff_client, line):
        data = form_data(staff_client.get(self.url(line)), "budgetline_form")
        assert "0,6" in data.values()

    def test_a_danish_decimal_comma_is_saved_as_an_exact_decimal(self, staff_client, line):
        amount, _year = self.amount_field(staff_client, line, 2017)
        response = self.submit(staff_client, line, **{amount: "0,7"})
        assert response.status_code == 302
        assert BudgetAmount.objects.get(line=line, year=2017).amount == Decimal("0.7")

    def test_a_thousands_separator_is_understood(self, staff_client):
        line = BudgetLine.objects.get(label="Kapacitet anlæg")
        response = self.submit(staff_client, line, stated_total="1.500")
        assert response.status_code == 302
        line.refresh_from_db()
        assert line.stated_total == Decimal(1500)

    @pytest.mark.parametrize(
        ("typed", "message"),
        [
            ("seks", "Skriv et beløb i mio. kr. med tal, fx 0,6."),
            ("0.7", "Brug komma som decimaltegn, fx 0,6 eller 115,1."),
            ("-1", "Beløbet kan ikke være negativt."),
            ("0,75", "Beløbet må højst have én decimal."),
        ],
    )
    def test_a_bad_amount_gets_a_danish_message_and_nothing_is_saved(
        self, staff_client, line, typed, message
    ):
        amount, _year = self.amount_field(staff_client, line, 2017)
        response = self.submit(staff_client, line, **{amount: typed, "label": "Ændret tekst"})
        assert response.status_code == 200
        assert message in response.content.decode()
        line.refresh_from_db()
        assert line.label.startswith("Heraf identificering")
        assert BudgetAmount.objects.get(line=line, year=2017).amount == Decimal("0.6")

    def test_a_year_outside_the_plan_period_is_refused(self, staff_client, line):
        _amount, year = self.amount_field(staff_client, line, 2020)
        response = self.submit(staff_client, line, **{year: "2021"})
        assert "2021 ligger uden for planperioden 2017–2020." in response.content.decode()
        assert sorted(line.amounts.values_list("year", flat=True)) == [2017, 2018, 2019, 2020]

    def test_a_duplicate_year_is_refused(self, staff_client, line):
        _amount, year = self.amount_field(staff_client, line, 2020)
        response = self.submit(staff_client, line, **{year: "2019"})
        assert response.status_code == 200
        assert "Linjen har allerede et beløb for dette år." in response.content.decode()
        assert sorted(line.amounts.values_list("year", flat=True)) == [2017, 2018, 2019, 2020]

    def test_a_new_line_with_a_year_outside_the_period_saves_nothing(self, staff_client, kp4):
        url = reverse("admin:budget_budgetline_add")
        data = form_data(staff_client.get(url), "budgetline_form")
        data.update(
            {
                "plan": str(kp4.pk),
                "position": "99",
                "label": "Ny linje",
                "recipient": "unstated",
                "amounts-TOTAL_FORMS": "1",
                "amounts-0-year": "2016",
                "amounts-0-amount": "3",
            }
        )
        response = staff_client.post(url, data)
        assert "2016 ligger uden for planperioden 2017–2020." in response.content.decode()
        assert not BudgetLine.objects.filter(label="Ny linje").exists()

    def test_every_edit_is_kept_in_the_history_with_who_made_it(self, staff_client, ministry, line):
        self.submit(staff_client, line, note="Rettet efter gennemgang")
        record = line.history.order_by("-history_date").first()
        assert record.history_user == ministry and record.note == "Rettet efter gennemgang"


class TestStatusEditing:
    def test_a_status_year_outside_the_plan_period_is_refused(self, client, ministry):
        client.force_login(ministry)
        measure = Measure.objects.get(title="Kræftpatientoverblik (KPO)")
        url = reverse("admin:initiatives_measure_change", args=[measure.pk])
        data = form_data(client.get(url), "measure_form")
        data["statuses-0-year"] = "2024"
        response = client.post(url, data)
        assert (
            "2024 ligger uden for planens opfølgningsperiode 2017–2020."
            in response.content.decode()
        )
        assert list(
            MeasureStatus.objects.filter(measure=measure).values_list("year", flat=True)
        ) == [2020]

    def test_initiatives_can_be_searched_and_filtered(self, client, ministry, kp4):
        client.force_login(ministry)
        page = client.get(
            reverse("admin:initiatives_initiative_changelist"),
            {"q": "rygestop", "plan__id__exact": kp4.pk},
        ).content.decode()
        titles = re.findall(r'class="field-title"><a [^>]*>(.*?)</a>', page)
        assert titles == ["Hjælp til rygestop til særlige grupper og kræftpatienter"]


class TestTwoStaffEditingOneRecord:
    """The second of two staff members saving the same record gets a conflict, not a silent
    overwrite of the first one's save."""

    @pytest.mark.parametrize(
        ("model", "field", "first", "second"),
        [
            ("budget.budgetline", "note", "Første medarbejder", "Anden medarbejder"),
            ("initiatives.plan", "summary", "Første resumé", "Andet resumé"),
            ("targets.nationaltarget", "monitoring", "Første tekst", "Anden tekst"),
        ],
    )
    def test_the_second_save_is_refused(self, client, ministry, model, field, first, second):
        from django.apps import apps

        from tests.conftest import make_user

        other = make_user("anden-medarbejder", staff=True)
        other.is_superuser = True
        other.save()
        obj = apps.get_model(model).objects.order_by("pk").first()
        app_label, model_name = model.split(".")
        url = reverse(f"admin:{app_label}_{model_name}_change", args=[obj.pk])
        client.force_login(ministry)
        mine = form_data(client.get(url), f"{model_name}_form")
        from django.test import Client

        theirs_client = Client()
        theirs_client.force_login(other)
        theirs = form_data(theirs_client.get(url), f"{model_name}_form")
        assert mine["seen_version"] and mine["seen_version"] == theirs["seen_version"]
        assert theirs_client.post(url, {**theirs, field: first}).status_code == 302
        page = client.post(url, {**mine, field: second}).content.decode()
        assert "Nogen anden har gemt" in page
        obj.refresh_from_db()
        assert getattr(obj, field) == first
        # Opened again, the form saves.
        again = form_data(client.get(url), f"{model_name}_form")
        assert client.post(url, {**again, field: second}).status_code == 302
