"""On the contribution page, each measure shows its status as last published before the round's
year: year, category and wording as the public saw them, or that there is none."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from initiatives.models import MeasureStatus, PublicYear
from tests.builders import set_report
from tests.conftest import DRAFT_MARKER

pytestmark = pytest.mark.django_db


def page(client, rh):
    return " ".join(client.get(f"/bidrag/{rh.pk}/").content.decode().split())


def test_without_an_earlier_published_year_each_measure_says_so(client, editor_rh, rh, drafts):
    """2020, the round's own year, is published; 2019 is a draft and 2018 is embargoed."""
    client.force_login(editor_rh)
    html = page(client, rh)
    assert html.count("Ingen offentliggjort status før 2020") == rh.items.count()
    assert DRAFT_MARKER not in html


def test_each_measure_shows_the_status_as_published_the_year_before(
    client, editor_rh, ministry, reader, rh, drafts, kp4
):
    set_report(kp4, 2019, state="published", published_at=timezone.now() - timedelta(days=1))
    # Changed after publication, in a correction: the public still sees the published wording.
    PublicYear.objects.get(plan=kp4, year=2019).open_correction(ministry)
    MeasureStatus.objects.filter(measure__initiative__plan=kp4, year=2019).update(
        category="completed", wording="Rettet, ikke offentliggjort"
    )
    for user in (editor_rh, reader, ministry):  # the form, and the read-only page
        client.force_login(user)
        html = page(client, rh)
        shown = html.count(
            "<strong>Offentliggjort status 2019:</strong> Tidsplanen er skubbet</p>"
            f' <blockquote class="kp-published-wording">{DRAFT_MARKER} ordlyd 2019</blockquote>'
        )
        assert shown == rh.items.count(), user
        assert "Rettet, ikke offentliggjort" not in html and "ordlyd 2018" not in html


def test_the_latest_published_year_is_shown(client, editor_rh, rh, drafts, kp4):
    past = timezone.now() - timedelta(days=1)
    # Published again, without an embargo this time (copies are made as the year is published).
    set_report(kp4, 2018, state="draft", published_at=None)
    set_report(kp4, 2018, state="published", published_at=past)
    client.force_login(editor_rh)
    assert f"{DRAFT_MARKER} ordlyd 2018" in page(client, rh)
    set_report(kp4, 2019, state="published", published_at=past)
    html = page(client, rh)
    assert f"{DRAFT_MARKER} ordlyd 2019" in html and "ordlyd 2018" not in html


def test_the_statuses_come_with_the_items_in_the_same_query(client, editor_rh, rh, drafts, kp4):
    client.force_login(editor_rh)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/bidrag/{rh.pk}/").status_code == 200
        return len(captured)

    before = queries()
    set_report(kp4, 2019, state="published", published_at=timezone.now())
    assert queries() == before == 7  # as pinned in tests/test_proposed_cases.py
