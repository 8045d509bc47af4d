"""The ministry's overview of a round, and consolidation of the year's status."""

import csv
import io
import re
from datetime import date

import pytest
from django.test import Client

from contributions.models import Contribution
from initiatives.models import Measure, MeasureStatus, PublishedStatus
from tests.builders import open_round, set_report
from tests.conftest import make_user
from tests.forms import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_(kp4, ministry):
    return open_round(kp4, 2020, date(2020, 12, 1), user=ministry)


def approve(contribution, editor, ministry, category="completed", wording="Afsluttet i 2020"):
    contribution.items.update(
        category=category, wording=wording, narrative=f"Fra {contribution.organisation}"
    )
    contribution.submit(editor)
    contribution.approve(ministry)


def test_the_overview_shows_who_is_late_and_filters_and_exports(
    client, ministry, round_, editor_rh
):
    rh = round_.contributions.get(organisation__slug="region-hovedstaden")
    rh.items.update(category="on_track", wording="x")
    rh.submit(editor_rh)
    client.force_login(ministry)
    page = client.get(f"/bidrag/runder/{round_.pk}/").content.decode()
    assert (
        "Region Hovedstaden" in page and "for sent" not in page.split("Region Hovedstaden")[1][:200]
    )
    submitted = client.get(
        f"/bidrag/runder/{round_.pk}/", {"tilstand": "submitted"}
    ).content.decode()
    assert "Region Hovedstaden" in submitted and "KL</a>" not in submitted
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(f"/bidrag/runder/{round_.pk}/", {"hent": "csv"}).content.decode(
                    "utf-8-sig"
                )
            ),
            delimiter=";",
        )
    )
    late = {row[0]: row[3] for row in rows[1:]}  # organisation, state, started, late
    assert late["Region Hovedstaden"] == "nej" and late["KL"] == "ja"
    assert client.get(f"/bidrag/runder/{round_.pk}/", {"tilstand": "maybe"}).status_code == 400
    rh.return_for_changes(ministry, "Uddyb")
    rows = csv.reader(
        io.StringIO(
            client.get(f"/bidrag/runder/{round_.pk}/", {"hent": "csv"}).content.decode("utf-8-sig")
        ),
        delimiter=";",
    )
    late = {row[0]: row[3] for row in rows}
    assert late["Region Hovedstaden"] == "ja", "returned and past the deadline is late too"
    response = client.get(f"/bidrag/runder/{round_.pk}/", {"tilstand": "for-sent"})
    page = " ".join(response.content.decode().split())
    total = round_.contributions.count()
    assert (
        f"{total} bidrag: kladde {total - 1} · indsendt 0 · sendt retur med kommentarer 1" in page
    )
    assert f"{total} er for sent." in page
    assert page.count('<th scope="row">') == total, "every contribution is late now"
    response = client.get(f"/bidrag/runder/{round_.pk}/", {"hent": "pdf"})
    assert response.status_code == 400
    assert "Ukendt downloadformat: pdf. Vælg csv eller xlsx." in response.content.decode()


def test_only_staff_see_the_overview_and_consolidate(client, editor_rh, round_):
    client.force_login(editor_rh)
    assert client.get(f"/bidrag/runder/{round_.pk}/").status_code == 403
    assert client.get(f"/bidrag/runder/{round_.pk}/konsolider/").status_code == 403


def test_consolidation_shows_approved_contributions_side_by_side_and_prefills(
    client, ministry, round_, editor_rh, editor_kl
):
    measure = Measure.objects.get(title="Driftsmidler")
    rh = round_.contributions.get(organisation__slug="region-hovedstaden")
    approve(rh, editor_rh, ministry)
    dr = round_.contributions.get(organisation__slug="danske-regioner")
    dr.items.update(category="on_track", wording="UDKAST fra Danske Regioner")
    # Kræftplan IV's 2020 text of the initiative is the initiative's (StatusText); give the
    # measure a narrative of its own to see that the stored status prefills it.
    measure.statuses.filter(year=2020).update(narrative="Regionerne har løbende brugt midlerne.")
    client.force_login(ministry)
    response = client.get(f"/bidrag/runder/{round_.pk}/konsolider/")
    page = response.content.decode()
    section = page.split(f'id="indsats-{measure.pk}"')[1].split("</section>")[0]
    assert "Fra Region Hovedstaden" in section and "Afsluttet i 2020" in section
    # Only the approved contribution is shown: not Danske Regioner's draft, nor the others'.
    assert re.findall(r'<h3 class="h5">(.*?)</h3>', section) == ["Region Hovedstaden"]
    assert "UDKAST fra Danske Regioner" not in page
    assert "Generelle kommentarer i de godkendte bidrag" not in page
    contents = page.split('id="indhold-overskrift"')[1].split("</nav>")[0]
    first = measure.initiative.measures.order_by("position").first()
    entry = contents.split(f'<a href="#indsats-{first.pk}">')[1].split("</li>")[0]
    n = measure.initiative.measures.count()  # Region Hovedstaden answers for all of them
    assert entry.startswith(f"{measure.initiative.number}. {measure.initiative.title}</a>")
    assert entry.endswith(
        f"({n} {'indsats' if n == 1 else 'indsatser'} med godkendte bidrag)</span>"
    )
    # The existing 2020 status from the published report prefills the form, not the approved
    # contribution's "Afsluttet i 2020".
    prefilled = form_data(response, f"konsolider-{measure.pk}")
    assert prefilled[f"m{measure.pk}-category"] == "on_track"
    assert prefilled[f"m{measure.pk}-wording"] == "Følger tidsplanen"
    assert prefilled[f"m{measure.pk}-narrative"].startswith("Regionerne har løbende brugt")


def test_saving_the_consolidated_status_records_its_contributions(
    client, ministry, round_, editor_rh, kp4
):
    set_report(kp4, 2020, state="draft", published_at=None)
    measure = Measure.objects.get(title="Driftsmidler")
    rh = round_.contributions.get(organisation__slug="region-hovedstaden")
    approve(rh, editor_rh, ministry)
    client.force_login(ministry)
    url = f"/bidrag/runder/{round_.pk}/konsolider/"
    data = form_data(client.get(url), f"konsolider-{measure.pk}") | {
        f"m{measure.pk}-category": "completed",
        f"m{measure.pk}-wording": "Afsluttet i 2020",
        f"m{measure.pk}-narrative": "Samlet fra regionerne",
    }
    assert client.post(url, data).status_code == 302
    status = MeasureStatus.objects.get(measure=measure, year=2020)
    assert (status.category, status.wording) == ("completed", "Afsluttet i 2020")
    assert list(status.contributions.all()) == [rh]
    assert not PublishedStatus.objects.public().filter(pk=status.pk).exists()
    page = client.get(url).content.decode()
    section = page.split(f'id="indsats-{measure.pk}"')[1].split("</section>")[0]
    assert "Den gemte status bygger på bidragene fra Region Hovedstaden." in section
    assert "Afsluttet i 2020" not in client.get("/initiativer/kraeftplan-iv/14/").content.decode()


def test_a_consolidation_with_a_missing_wording_saves_nothing(client, ministry, round_):
    measure = Measure.objects.get(title="Driftsmidler")
    before = MeasureStatus.objects.get(measure=measure, year=2020).wording
    client.force_login(ministry)
    response = client.post(
        f"/bidrag/runder/{round_.pk}/konsolider/",
        {
            "indsats": str(measure.pk),
            f"m{measure.pk}-category": "completed",
            f"m{measure.pk}-wording": "",
        },
    )
    assert response.status_code == 400 and "Dette felt er påkrævet" in response.content.decode()
    assert MeasureStatus.objects.get(measure=measure, year=2020).wording == before
    assert Contribution.objects.count() == round_.contributions.count()


def test_two_staff_consolidating_the_same_measure_lose_nothing(client, ministry, round_):
    measure = Measure.objects.get(title="Driftsmidler")
    url = f"/bidrag/runder/{round_.pk}/konsolider/"
    colleague = Client()
    colleague.force_login(make_user("kollega", organisation="sundhedsministeriet", staff=True))
    client.force_login(ministry)
    form_id = f"konsolider-{measure.pk}"
    mine, theirs = form_data(client.get(url), form_id), form_data(colleague.get(url), form_id)
    prefix = f"m{measure.pk}"
    theirs[f"{prefix}-wording"] = "Kollegaens ordlyd"
    assert colleague.post(url, theirs).status_code == 302
    mine[f"{prefix}-wording"] = "Min ordlyd"
    response = client.post(url, mine)
    assert response.status_code == 409
    body = response.content.decode()
    assert "Nogen har gemt denne status, efter du åbnede siden" in body
    assert "“Kollegaens ordlyd”" in body and "Min ordlyd" in body
    assert MeasureStatus.objects.get(measure=measure, year=2020).wording == "Kollegaens ordlyd"
    again = form_data(response, form_id)
    assert again[f"{prefix}-wording"] == "Min ordlyd"
    assert client.post(url, again).status_code == 302, "a second, informed save replaces it"
    assert MeasureStatus.objects.get(measure=measure, year=2020).wording == "Min ordlyd"


def test_the_general_comments_of_approved_contributions_head_the_page(
    client, ministry, round_, editor_rh, editor_kl
):
    rh = round_.contributions.get(organisation__slug="region-hovedstaden")
    rh.general_comment = "Året var præget af **travlhed**."
    rh.save()
    approve(rh, editor_rh, ministry)
    kl = round_.contributions.get(organisation__slug="kl")
    kl.general_comment = "KL-UDKAST"
    kl.save()
    client.force_login(ministry)
    page = client.get(f"/bidrag/runder/{round_.pk}/konsolider/").content.decode()
    comments = page.split('id="kommentarer-overskrift"')[1].split("</section>")[0]
    assert "Region Hovedstaden" in comments and "<strong>travlhed</strong>" in comments
    assert "KL-UDKAST" not in page, "a draft's comment is not shown"
