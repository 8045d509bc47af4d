"""Opening a reporting round on /bidrag/runder/ny/: who reports on which measures."""

import re
from datetime import date, timedelta

import pytest

from accounts.models import Organisation
from contributions.models import ReportingRound
from initiatives.models import Measure
from tests.builders import correcting, open_round
from tests.forms import form_data

pytestmark = pytest.mark.django_db

URL = "/bidrag/runder/ny/?plan=kraeftplan-iv"


def cell(organisation_slug, measure):
    return f"{Organisation.objects.get(slug=organisation_slug).pk}-{measure.pk}"


def future(days=30):
    return (date.today() + timedelta(days=days)).isoformat()


@pytest.fixture
def staff(client, ministry, kp4):
    # The page proposes 2020, which is published: rounds for it belong to a correction.
    correcting(kp4, 2020, ministry)
    client.force_login(ministry)
    return client


@pytest.fixture
def form(staff):
    return form_data(staff.get(URL), "aabn-runde")


def measures_of(kp4, *numbers):
    return list(Measure.objects.filter(initiative__plan=kp4, initiative__number__in=numbers))


def invited(round_):
    return {
        c.organisation.slug: sorted(
            f"{i.measure.initiative.number}:{i.measure.position}"
            for i in c.items.select_related("measure__initiative")
        )
        for c in round_.contributions.select_related("organisation")
    }


def test_the_admin_sends_staff_to_the_opening_page(staff):
    response = staff.get("/admin/contributions/reportinground/add/")
    assert response.status_code == 302
    assert response["Location"] == "/bidrag/runder/ny/"


def test_without_a_plan_the_page_asks_for_one(staff):
    body = staff.get("/bidrag/runder/ny/").content.decode()
    assert '<option value="kraeftplan-iv">' in body
    assert '<option value="jo-foer-jo-bedre">' not in body, "a plan without measures has no round"


def test_the_table_starts_with_the_responsible_organisations_ticked(form, kp4):
    ticked = set(form["tildel"])
    for measure in measures_of(kp4, "1", "3", "4", "14"):
        assert cell("region-hovedstaden", measure) in ticked
    for measure in measures_of(kp4, "2", "5"):
        assert cell("region-hovedstaden", measure) not in ticked
    assert form["year"] == "2020", "last year, held inside the plan period 2017–2020"


def test_the_year_is_typed_into_a_text_input_with_a_numeric_keyboard(staff):
    body = staff.get(URL).content.decode()
    (year,) = re.findall(r'<input[^>]*name="year"[^>]*>', body)
    assert 'type="text"' in year and 'inputmode="numeric"' in year


def test_organisations_without_an_editor_are_pointed_out(staff, editor_rh):
    body = " ".join(staff.get(URL).content.decode().split())
    warning = body.split("Ingen bruger kan endnu udfylde bidraget for:")[1].split("</p>")[0]
    assert "Region Sjælland" in warning and "Region Hovedstaden" not in warning
    # The column headings end with their "All"/"None" buttons.
    assert '<th scope="col">Region Hovedstaden <span class="kp-select">' in body
    sjaelland = '<th scope="col">Region Sjælland<br><span class="kp-muted">(ingen redaktør)</span>'
    assert sjaelland in body


def test_opening_with_the_defaults_invites_the_responsible_organisations(staff, form, kp4):
    form["deadline"] = future()
    response = staff.post(URL, form)
    round_ = ReportingRound.objects.get(plan=kp4, year=2020)
    assert response.status_code == 302
    assert response["Location"] == f"/bidrag/runder/{round_.pk}/"
    rh = round_.contributions.get(organisation__slug="region-hovedstaden")
    numbers = {i.measure.initiative.number for i in rh.items.select_related("measure__initiative")}
    assert numbers == {"1", "3", "4", "14"}
    assert rh.items.count() == len(measures_of(kp4, "1", "3", "4", "14"))
    assert rh.events.get().action == "opened"
    message = staff.get(response["Location"]).content.decode()
    assert f"{round_.contributions.count()} organisationer er bedt om at indberette" in message


def test_staff_choose_organisations_and_measures_cell_by_cell(staff, kp4):
    form = form_data(staff.get(URL + "&ogsaa=sikkerhedsstyrelsen"), "aabn-runde")
    (first, *_rest) = measures_of(kp4, "14")
    (other, *_rest) = measures_of(kp4, "2")
    form["tildel"] = [
        cell("kl", first),
        cell("sikkerhedsstyrelsen", first),
        cell("sikkerhedsstyrelsen", other),
    ]
    form["deadline"] = future()
    response = staff.post(URL + "&ogsaa=sikkerhedsstyrelsen", form)
    assert response.status_code == 302
    round_ = ReportingRound.objects.get(plan=kp4, year=2020)
    assert invited(round_) == {
        "kl": [f"14:{first.position}"],
        "sikkerhedsstyrelsen": sorted([f"14:{first.position}", f"2:{other.position}"]),
    }


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"year": "2024"}, "2024 ligger uden for planens opfølgningsperiode 2017–2020."),
        ({"year": "tyve"}, "Skriv årstallet med fire cifre, fx 2024."),
        ({"year": "2.020"}, "Skriv årstallet med fire cifre, fx 2024."),
        ({"year": "²⁰²⁰"}, "Skriv årstallet med fire cifre, fx 2024."),  # was a 500
        ({"deadline": "2020-01-01"}, "Fristen er overskredet. Vælg i dag eller en senere dag."),
        ({"deadline": "31-13-2026"}, "Indtast en gyldig dato."),
        ({"tildel": []}, "Vælg mindst én organisation og én indsats."),
        ({"tildel": ["1-999999"]}, "Ukendt valg i tabellen: 1-999999."),
        ({"tildel": ["<script>"]}, "Ukendt valg i tabellen: &lt;script&gt;."),
    ],
)
def test_bad_input_is_refused_in_danish_and_opens_nothing(staff, form, change, message):
    form["deadline"] = future()
    form.update(change)
    response = staff.post(URL, form)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ReportingRound.objects.exists()
    assert "<script>" not in response.content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"plan": "kraeftplan-iv\x00"}, "Ukendt plan: kraeftplan-iv"),
        ({"plan": "kraeftplan-iv", "ogsaa": ["kl", "k\x00l"]}, "Ukendt organisation: k"),
    ],
)
def test_a_nul_byte_in_the_address_is_an_unknown_plan_or_organisation(staff, query, message):
    # PostgreSQL refuses a NUL byte in a query (a 500 before).
    response = staff.get("/bidrag/runder/ny/", query)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_measure_of_another_plan_cannot_be_ticked(staff, form, kp4):
    kp5_measure = Measure.objects.filter(initiative__plan__slug="kraeftplan-v").first()
    form["tildel"] = [cell("kl", kp5_measure)]
    form["deadline"] = future()
    response = staff.post(URL, form)
    assert response.status_code == 400
    assert "Ukendt valg i tabellen" in response.content.decode()
    assert not ReportingRound.objects.exists()


def test_a_second_round_for_the_same_year_is_refused(staff, form, kp4, ministry):
    open_round(kp4, 2020, date(2021, 1, 15), user=ministry)
    form["deadline"] = future()
    response = staff.post(URL, form)
    assert response.status_code == 400
    assert "Kræftplan IV har allerede en indberetningsrunde for 2020." in response.content.decode()
    assert ReportingRound.objects.count() == 1


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/bidrag/runder/ny/?plan=ukendt", "Ukendt plan: ukendt."),
        ("/bidrag/runder/ny/?plan=jo-foer-jo-bedre", "Ukendt plan: jo-foer-jo-bedre."),
        (URL + "&ogsaa=ukendt", "Ukendt organisation: ukendt."),
    ],
)
def test_unknown_plans_and_organisations_in_the_address(staff, url, message):
    response = staff.get(url)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_the_page_counts_its_queries(staff, django_assert_num_queries):
    with django_assert_num_queries(11):
        assert staff.get(URL).status_code == 200


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200, url
    return len(queries)


def test_the_contributor_pages_query_the_same_on_a_plan_ten_times_the_seeds(staff, kp4, ministry):
    from tests.builders import approve_all, make_large_plan, open_round

    big = make_large_plan(scale=10)
    deadline = date.today() + timedelta(days=30)
    rounds = [open_round(kp4, 2020, deadline), open_round(big, 2033, deadline)]
    largest = [approve_all(round_, ministry) for round_ in rounds]
    assert largest[1].items.count() >= 2 * largest[0].items.count()
    pages = [
        lambda r, c: f"/bidrag/runder/ny/?plan={r.plan.slug}",
        lambda r, c: f"/bidrag/runder/{r.pk}/",
        lambda r, c: f"/bidrag/runder/{r.pk}/konsolider/",
        lambda r, c: f"/bidrag/{c.pk}/",
    ]
    for page in pages:
        small, large = (
            _queries(staff, page(round_, contribution))
            for round_, contribution in zip(rounds, largest, strict=True)
        )
        assert small == large, page(rounds[1], largest[1])


class TestSelectAll:
    """ "All" and "None" tick or clear a column (organisation) or row (measure): without
    JavaScript they send the form and the table comes back changed, nothing opened."""

    def org(self, slug):
        return Organisation.objects.get(slug=slug)

    def press(self, staff, form, button, line):
        form["deadline"] = form.get("deadline") or future()
        response = staff.post(URL, {**form, button: line})
        return response, form_data(response, "aabn-runde")

    def test_all_ticks_a_column_and_keeps_the_rest(self, staff, form, kp4):
        kl = self.org("kl")
        response, after = self.press(staff, form, "alle", f"o{kl.pk}")
        assert response.status_code == 200
        measures = Measure.objects.filter(initiative__plan=kp4)
        ticked = set(after["tildel"])
        assert {f"{kl.pk}-{m.pk}" for m in measures} <= ticked
        assert ticked - {f"{kl.pk}-{m.pk}" for m in measures} == {
            value for value in form["tildel"] if not value.startswith(f"{kl.pk}-")
        }
        assert (after["year"], after["deadline"]) == (form["year"], form["deadline"])
        assert "Feltet er påkrævet" not in response.content.decode()
        assert not ReportingRound.objects.exists()

    def test_none_clears_a_column(self, staff, form):
        rh = self.org("region-hovedstaden")
        assert any(value.startswith(f"{rh.pk}-") for value in form["tildel"])
        _response, after = self.press(staff, form, "ingen", f"o{rh.pk}")
        assert not [value for value in after["tildel"] if value.startswith(f"{rh.pk}-")]

    def test_all_and_none_tick_and_clear_a_row(self, staff, form, kp4):
        (measure, *_rest) = measures_of(kp4, "2")
        _response, after = self.press(staff, form, "alle", f"m{measure.pk}")
        row = {value for value in after["tildel"] if value.endswith(f"-{measure.pk}")}
        columns = re.findall(r'name="alle" value="o(\d+)"', staff.get(URL).content.decode())
        assert row == {f"{pk}-{measure.pk}" for pk in columns} and len(row) > 3
        _response, after = self.press(staff, after, "ingen", f"m{measure.pk}")
        assert not [value for value in after["tildel"] if value.endswith(f"-{measure.pk}")]

    def test_the_round_opens_with_what_was_ticked(self, staff, form, kp4):
        kl = self.org("kl")
        _response, after = self.press(staff, form, "ingen", f"o{kl.pk}")
        _response, after = self.press(staff, after, "alle", f"o{kl.pk}")
        assert staff.post(URL, after).status_code == 302
        round_ = ReportingRound.objects.get(plan=kp4, year=2020)
        kl_items = round_.contributions.get(organisation=kl).items
        assert kl_items.count() == Measure.objects.filter(initiative__plan=kp4).count()

    @pytest.mark.parametrize("line", ["o999999", "m999999", "x1", "o", "<script>"])
    def test_an_unknown_column_or_row_is_refused(self, staff, form, line):
        response, _after = self.press(staff, form, "alle", line)
        assert response.status_code == 400
        assert "Ukendt valg i tabellen" in response.content.decode()
        assert "<script>" not in response.content.decode()
        assert not ReportingRound.objects.exists()

    def test_the_buttons_say_what_they_do_and_come_back_to_where_they_were(self, staff):
        rh = self.org("region-hovedstaden")
        body = " ".join(staff.get(URL).content.decode().split())
        button = re.search(rf'<button [^>]*name="alle" value="o{rh.pk}"[^>]*>(.*?)</button>', body)
        assert f'formaction="{URL.replace("&", "&amp;")}#alle-o{rh.pk}"' in button.group(0)
        assert f'id="alle-o{rh.pk}"' in button.group(0)
        assert re.sub(r"<[^>]+>", "", button.group(1)) == "Alle indsatser for Region Hovedstaden"
        assert '<script src="/static/js/select-all.js" defer></script>' in body

    def test_enter_in_a_field_opens_the_round_rather_than_pressing_all(self, staff):
        body = staff.get(URL).content.decode()
        form = body.split('<form method="post" id="aabn-runde">')[1]
        first = re.search(r"<button [^>]*>", form).group(0)
        assert 'type="submit"' in first and "name=" not in first
