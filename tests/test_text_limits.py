"""Typed texts have limits, and a text over its limit is refused with a Danish message that says
the limit and how much was typed (the Excel import's limits: tests/test_excel.py)."""

import re

import pytest

from contributions.forms import COMMENT_LIMIT, NARRATIVE_LIMIT, WORDING_LIMIT
from contributions.models import Contribution
from initiatives.models import Measure, MeasureStatus
from tests.forms import form_data

pytestmark = pytest.mark.django_db


def post(client, rh, changes):
    data = form_data(client.get(f"/bidrag/{rh.pk}/"))
    data.update(changes)
    data["gem"] = "1"
    return client.post(f"/bidrag/{rh.pk}/", data)


def test_the_limits_fit_what_was_ever_published():
    assert (WORDING_LIMIT, NARRATIVE_LIMIT, COMMENT_LIMIT) == (500, 10_000, 5_000)


def test_texts_over_their_limits_are_refused_with_the_limit_and_the_count(client, editor_rh, rh):
    client.force_login(editor_rh)
    item = rh.items.first()
    case_prefix = f"sag-{item.pk}-0"
    response = post(
        client,
        rh,
        {
            "indsats-0-wording": "o" * 501,
            "indsats-1-narrative": "b" * 10_001,
            "bidrag-general_comment": "k" * 5_001,
            f"{case_prefix}-title": "Case",
            f"{case_prefix}-text": "t" * 10_001,
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    for limit, typed in [("500", "501"), ("10.000", "10.001"), ("5.000", "5.001")]:
        assert f"Højst {limit} tegn – du har skrevet {typed}." in page
    # The narrative and the case text, each beside its field and in the summary at the top.
    assert page.count("du har skrevet 10.001.") == 2 * 2
    rh.refresh_from_db()
    assert rh.general_comment == "" and not rh.items.exclude(wording="").exists()


def test_texts_at_their_limits_are_saved_and_a_line_break_counts_once(client, editor_rh, rh):
    client.force_login(editor_rh)
    wording = "o" * 498 + "\r\n" + "o"  # 500 characters as the writer counts them
    response = post(
        client, rh, {"indsats-0-wording": wording, "bidrag-general_comment": "k" * 5_000}
    )
    assert response.status_code == 302
    assert rh.items.filter(wording=wording).exists()


def test_the_fields_say_their_limits(client, editor_rh, rh):
    client.force_login(editor_rh)
    page = client.get(f"/bidrag/{rh.pk}/").content.decode()
    assert 'id="id_indsats-0-wording_helptext">Højst 500 tegn.</div>' in page
    assert "[tekst](https://…). Højst 10.000 tegn.</div>" in page
    assert 'id="id_bidrag-general_comment_helptext">Højst 5.000 tegn.</div>' in page
    textareas = re.findall(r"<textarea[^>]*>", page)
    assert textareas and not [t for t in textareas if "maxlength" in t], (
        "a browser would cut a pasted text off without a word"
    )


def test_a_return_comment_over_its_limit_is_refused(client, ministry, rh):
    Contribution.objects.filter(pk=rh.pk).update(state="submitted")
    client.force_login(ministry)
    response = client.post(f"/bidrag/{rh.pk}/returner/", {"comment": "r" * 5_001}, follow=True)
    rh.refresh_from_db()
    assert rh.state == "submitted"
    assert "Sig, hvad der skal ændres." in response.content.decode()


def test_a_consolidated_wording_over_its_limit_is_refused(client, ministry, round_):
    measure = Measure.objects.get(title="Driftsmidler")
    before = MeasureStatus.objects.get(measure=measure, year=2020).wording
    client.force_login(ministry)
    response = client.post(
        f"/bidrag/runder/{round_.pk}/konsolider/",
        {
            "indsats": str(measure.pk),
            f"m{measure.pk}-seen": "0",
            f"m{measure.pk}-category": "completed",
            f"m{measure.pk}-wording": "o" * 501,
        },
    )
    assert response.status_code == 400
    assert "Højst 500 tegn – du har skrevet 501." in response.content.decode()
    assert MeasureStatus.objects.get(measure=measure, year=2020).wording == before
