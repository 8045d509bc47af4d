"""Narratives that tell a year for a whole initiative and place cases and tables where the
published status prints them (initiatives.narratives, initiatives.models.StatusText)."""

import io
import zipfile
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from initiatives.models import Case, Initiative, MeasureStatus, PublicYear, StatusText
from initiatives.narratives import markers, parts, unplaced
from targets.models import Indicator
from tests.builders import correcting
from tests.forms import form_data

pytestmark = pytest.mark.django_db


def test_a_narrative_is_split_where_it_places_a_case_or_a_table():
    case, table = object(), object()
    text = (
        "Før.\n\n[[Case 12]]\n\nMidt.\n  [[Tabel 4]]  \nEfter [[Case 12]] i en linje.\n[[Case 99]]"
    )
    got = parts(text, {"Case 12": case}, {"Tabel 4": table})
    assert [(p.text, p.case, p.indicator) for p in got] == [
        ("Før.", None, None),
        ("", case, None),
        ("Midt.", None, None),
        ("", None, table),
        # A marker inside a line is text; one naming nothing stays as typed.
        ("Efter [[Case 12]] i en linje.\n[[Case 99]]", None, None),
    ]
    assert markers(text) == ["Case 12", "Tabel 4", "Case 99"]


def test_what_no_narrative_places_follows_the_text():
    class Item:
        def __init__(self, label):
            self.label = label

    items = [Item("Case 1"), Item("Case 2"), Item("")]
    assert [i.label for i in unplaced(items, lambda item: item.label, ["x\n[[Case 2]]\ny"])] == [
        "Case 1",
        "",
    ]


class TestTheRule:
    """A narrative may place only its initiative's own cases of the year and its tables."""

    @pytest.fixture
    def initiative(self, kp4, ministry):
        correcting(kp4, 2020, ministry)  # 2020 is published: changes need a correction
        return Initiative.objects.get(plan__slug="kraeftplan-iv", number="15")

    def test_the_model_refuses_a_marker_that_names_nothing_with_a_danish_message(self, initiative):
        text = StatusText(initiative=initiative, year=2020, text="Tekst\n\n[[Case 3]]")
        with pytest.raises(ValidationError) as refused:
            text.full_clean()
        assert refused.value.message_dict["text"] == [
            "Teksten placerer [[Case 3]], men initiativet har ingen case fra året eller "
            "tabel med den betegnelse."
        ]
        StatusText(initiative=initiative, year=2020, text="Tekst\n\n[[Case 12]]").clean()
        # A case of another year is not the year's.
        with pytest.raises(ValidationError):
            StatusText(initiative=initiative, year=2019, text="[[Case 12]]").full_clean()

    def test_a_year_outside_the_plan_is_refused(self, initiative):
        with pytest.raises(ValidationError) as refused:
            StatusText(initiative=initiative, year=2024, text="Tekst").full_clean()
        assert refused.value.messages[0].startswith(
            "2024 ligger uden for planens opfølgningsperiode 2017–2020."
        )

    def test_the_admin_meets_the_rule_on_a_measure_s_narrative(self, client, ministry, kp4):
        correcting(kp4, 2020, ministry)
        client.force_login(ministry)
        status = MeasureStatus.objects.get(
            measure__title="Danish Comprehensive Cancer Center (DCCC)", year=2020
        )
        url = reverse("admin:initiatives_measure_change", args=[status.measure_id])
        data = form_data(client.get(url), "measure_form")
        field = next(k for k, v in data.items() if k.endswith("-narrative"))
        before = status.narrative
        assert "[[Case 12]]" in before
        data[field] = before.replace("[[Case 12]]", "[[Case 13]]")
        page = client.post(url, data).content.decode()
        assert "Teksten placerer [[Case 13]]" in page
        status.refresh_from_db()
        assert status.narrative == before

    def test_the_admin_edits_an_initiative_s_status_text(self, client, ministry, kp4):
        correcting(kp4, 2020, ministry)
        client.force_login(ministry)
        initiative = Initiative.objects.get(plan__slug="kraeftplan-iv", number="14")
        url = reverse("admin:initiatives_initiative_change", args=[initiative.pk])
        data = form_data(client.get(url), "initiative_form")
        assert data["status_texts-0-text"].startswith("Finansloven for 2017 afsatte 500 mio. kr.")
        data["status_texts-0-text"] += "\n\n[[Tabel 9]]"
        assert "Teksten placerer [[Tabel 9]]" in client.post(url, data).content.decode()
        assert "Tabel 9" not in initiative.status_texts.get().text


class TestWhereItShows:
    def test_the_report_prints_the_case_and_the_table_inside_the_text(self, client):
        page = client.get("/rapporter/kraeftplan-iv/2020/").content.decode()
        dccc = page.split('id="initiativ-15"')[1].split("</article>")[0]
        assert dccc.index("10,4 mio. kr.") < dccc.index("Case 12.") < dccc.index("Trial Nation")
        rehab = page.split('id="initiativ-12"')[1].split("</article>")[0]
        assert rehab.index("offentliggjort ultimo 2017") < rehab.index("Tabel 4")
        assert rehab.index("Tabel 4") < rehab.index("REHPA konkluderer")
        assert "[[" not in page

    def test_the_initiative_page_shows_the_year_s_text_and_links_what_it_places(self, client):
        initiative = Initiative.objects.get(plan__slug="kraeftplan-iv", number="15")
        page = client.get(initiative.get_absolute_url()).content.decode()
        case = Case.objects.get(initiative=initiative, label="Case 12")
        assert f'href="#case-{case.pk}"' in page and f'id="case-{case.pk}"' in page
        assert "Den offentliggjorte status bringer Case 12" in page
        rehab = Initiative.objects.get(plan__slug="kraeftplan-iv", number="12")
        table = Indicator.objects.get(table_label="Tabel 4")
        page = client.get(rehab.get_absolute_url()).content.decode()
        assert f'href="#indikator-{table.pk}"' in page and f'id="indikator-{table.pk}"' in page
        smoking = Initiative.objects.get(plan__slug="kraeftplan-iv", number="7")
        page = client.get(smoking.get_absolute_url()).content.decode()
        assert "Status 2020 for initiativet" in page
        assert page.index("18. december 2019") < page.index("29 kommuner")

    def test_the_api_and_the_zip_hold_the_texts_of_public_years_only(self, client):
        initiative = Initiative.objects.get(plan__slug="kraeftplan-iv", number="14")
        rows = client.get("/api/v1/statustekster/", {"plan": "kraeftplan-iv"}).json()["results"]
        assert {r["initiative"] for r in rows} >= {initiative.pk}
        assert all(r["year"] == 2020 for r in rows)
        # A year that is not public yet (an embargo) is not shown anywhere.
        PublicYear.objects.filter(plan=initiative.plan, year=2020).update(
            public_from=timezone.now() + timedelta(days=1)
        )
        assert client.get("/api/v1/statustekster/").json()["count"] == 0
        archive = zipfile.ZipFile(io.BytesIO(client.get("/data/kraeftplan-data.zip").getvalue()))
        assert archive.read("statustekster.csv").decode().count("\n") == 1  # the header only
        assert (
            "Status 2020 for initiativet"
            not in client.get(initiative.get_absolute_url()).content.decode()
        )
