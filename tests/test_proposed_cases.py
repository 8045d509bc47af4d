"""Cases that organisations propose with their contributions, and their way into the report."""

import pytest

from contributions.models import ProposedCase
from initiatives.models import Case
from reports.models import AnnualReport
from tests.builders import set_report
from tests.forms import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(rh):
    return rh.items.select_related("measure__initiative").get(measure__title="Driftsmidler")


def page_data(client, contribution):
    return form_data(client.get(f"/bidrag/{contribution.pk}/"))


def propose(client, contribution, item, title, text, index=0):
    data = page_data(client, contribution)
    data[f"sag-{item.pk}-{index}-title"] = title
    data[f"sag-{item.pk}-{index}-text"] = text
    return client.post(f"/bidrag/{contribution.pk}/", data)


def test_an_editor_proposes_a_case_with_a_measure(client, editor_rh, rh, item):
    client.force_login(editor_rh)
    response = propose(client, rh, item, "Hurtigere udredning", "Ventetiden faldt **20 %**.")
    assert response.status_code == 302
    case = ProposedCase.objects.get()
    assert (case.item, case.title, case.text) == (
        item,
        "Hurtigere udredning",
        "Ventetiden faldt **20 %**.",
    )
    page = client.get(f"/bidrag/{rh.pk}/").content.decode()
    assert 'value="Hurtigere udredning"' in page
    assert "Slet casen “Hurtigere udredning”" in page
    rh.refresh_from_db()
    assert rh.revision == 2, "a case is part of the contribution's revision"


def test_a_case_without_text_is_refused_and_nothing_is_saved(client, editor_rh, rh, item):
    client.force_login(editor_rh)
    data = page_data(client, rh)
    data["indsats-0-wording"] = "Ny formulering"
    data[f"sag-{item.pk}-0-title"] = "Kun en titel"
    response = client.post(f"/bidrag/{rh.pk}/", data)
    assert response.status_code == 400
    assert "Dette felt er påkrævet." in response.content.decode()
    assert not ProposedCase.objects.exists()
    assert not rh.items.filter(wording="Ny formulering").exists()


def test_an_editor_deletes_a_case(client, editor_rh, rh, item):
    ProposedCase.objects.create(item=item, title="Gammel", text="Tekst")
    client.force_login(editor_rh)
    data = page_data(client, rh)
    data[f"sag-{item.pk}-0-DELETE"] = "on"
    assert client.post(f"/bidrag/{rh.pk}/", data).status_code == 302
    assert not ProposedCase.objects.exists()


def test_at_most_five_cases_per_measure(client, editor_rh, rh, item):
    for n in range(5):
        ProposedCase.objects.create(item=item, title=f"Case {n}", text="Tekst")
    client.force_login(editor_rh)
    data = page_data(client, rh)
    assert f"sag-{item.pk}-5-title" not in data, "no empty form once the limit is reached"
    prefix = f"sag-{item.pk}"
    data[f"{prefix}-TOTAL_FORMS"] = "6"
    data[f"{prefix}-5-title"] = "En for mange"
    data[f"{prefix}-5-text"] = "Tekst"
    response = client.post(f"/bidrag/{rh.pk}/", data)
    assert response.status_code == 400
    assert "Højst 5 cases pr. indsats." in response.content.decode()
    assert ProposedCase.objects.count() == 5


def test_another_organisations_case_cannot_be_changed_through_the_form(
    client, editor_rh, rh, item, round_
):
    kl = round_.contributions.get(organisation__slug="kl")
    theirs = ProposedCase.objects.create(item=kl.items.first(), title="KL's case", text="KL")
    client.force_login(editor_rh)
    data = page_data(client, rh)
    prefix = f"sag-{item.pk}"
    data[f"{prefix}-INITIAL_FORMS"] = "1"
    data[f"{prefix}-0-id"] = str(theirs.pk)
    data[f"{prefix}-0-title"] = "Overtaget"
    data[f"{prefix}-0-text"] = "Overtaget"
    client.post(f"/bidrag/{rh.pk}/", data)
    theirs.refresh_from_db()
    assert (theirs.title, theirs.text, theirs.item.contribution) == ("KL's case", "KL", kl)
    assert not ProposedCase.objects.filter(title="Overtaget").exists()


def test_a_read_only_member_reads_the_cases_without_a_form(client, reader, rh, item):
    ProposedCase.objects.create(item=item, title="Læsbar case", text="Med *tekst*")
    client.force_login(reader)
    page = client.get(f"/bidrag/{rh.pk}/").content.decode()
    assert "Foreslået case: Læsbar case" in page and "<em>tekst</em>" in page
    assert 'name="sag-' not in page


class TestAdoption:
    @pytest.fixture
    def approved(self, rh, item, editor_rh, ministry, kp4):
        set_report(kp4, 2020, state="draft", published_at=None)
        proposal = ProposedCase.objects.create(
            item=item, title="Patientforløb i Herlev", text="Et forløb, der virkede."
        )
        rh.items.update(category="on_track", wording="Følger tidsplanen")
        rh.submit(editor_rh)
        rh.approve(ministry)
        return proposal

    def test_staff_adopt_a_case_numbered_after_the_year_s_cases(
        self, client, ministry, round_, approved, kp4
    ):
        last = Case.objects.filter(initiative__plan=kp4, year=2020).order_by("-number").first()
        client.force_login(ministry)
        url = f"/bidrag/runder/{round_.pk}/konsolider/"
        page = client.get(url).content.decode()
        assert "Foreslået case: Patientforløb i Herlev" in page
        assert client.post(url, {"sag": approved.pk}).status_code == 302
        approved.refresh_from_db()
        case = approved.adopted_as
        assert case.number == last.number + 1 and case.label == f"Case {last.number + 1}"
        assert (case.initiative, case.year, case.organisation.slug, case.text) == (
            approved.item.measure.initiative,
            2020,
            "region-hovedstaden",
            "Et forløb, der virkede.",
        )
        page = client.get(url).content.decode()
        assert f"Brugt som Case {case.number} i årets status." in page
        client.post(url, {"sag": approved.pk})
        assert Case.objects.filter(title="Patientforløb i Herlev").count() == 1, "never twice"

    def test_an_adopted_case_is_public_only_once_the_report_is_published(
        self, client, ministry, round_, approved, kp4
    ):
        round_.adopt_case(approved)
        initiative_url = approved.item.measure.initiative.get_absolute_url()
        assert "Patientforløb i Herlev" not in client.get(initiative_url).content.decode()
        report = AnnualReport.objects.get(plan=kp4, year=2020)
        report.publish(user=ministry, note="Med ny case")
        assert "Patientforløb i Herlev" in client.get(initiative_url).content.decode()

    def test_a_case_from_a_contribution_not_approved_cannot_be_adopted(
        self, client, ministry, round_, item
    ):
        proposal = ProposedCase.objects.create(item=item, title="Kladde", text="Tekst")
        client.force_login(ministry)
        url = f"/bidrag/runder/{round_.pk}/konsolider/"
        response = client.post(url, {"sag": proposal.pk}, follow=True)
        assert "Kun cases fra rundens godkendte bidrag kan bruges." in response.content.decode()
        for bad in ["999999", "x", "", "²", "9" * 30]:  # "²" was a 500: a digit to isdigit()
            response = client.post(url, {"sag": bad}, follow=True)
            assert "Ukendt case." in response.content.decode()
        assert not Case.objects.filter(title="Kladde").exists()


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_pages_query_the_same_however_many_cases(client, editor_rh, ministry, rh, round_):
    client.force_login(editor_rh)
    detail = f"/bidrag/{rh.pk}/"
    assert _queries(client, detail) == 7
    for item in rh.items.all():
        for n in range(3):
            ProposedCase.objects.create(item=item, title=f"Case {n}", text="Tekst")
    assert _queries(client, detail) == 7
    rh.items.update(category="on_track", wording="Følger tidsplanen")
    rh.submit(editor_rh)
    rh.approve(ministry)
    client.force_login(ministry)
    consolidate = f"/bidrag/runder/{round_.pk}/konsolider/"
    # session, user, round, approved items, their cases, statuses, the statuses' contributions,
    # measures, general comments, whether the year is published
    assert _queries(client, consolidate) == 10
