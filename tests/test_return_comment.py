"""A contribution returned for changes shows staff's comment at the top, not only in its
history."""

import pytest

pytestmark = pytest.mark.django_db


def returned(rh, editor, staff, *comments):
    rh.items.update(category="on_track", wording="Følger tidsplanen")
    for comment in comments:
        rh.submit(editor)
        rh.return_for_changes(staff, comment)


def top(client, rh):
    """The page above the history, the part the writer reads first."""
    page = client.get(f"/bidrag/{rh.pk}/").content.decode()
    return page.split('id="historik-overskrift"')[0]


def test_the_latest_return_comment_is_at_the_top(client, editor_rh, ministry, rh):
    returned(rh, editor_rh, ministry, "Første runde", "Uddyb initiativ 14.\nOg tjek tallene.")
    client.force_login(editor_rh)
    page = top(client, rh)
    box = page.split('aria-labelledby="returneret-overskrift"')[1].split("</div>\n</div>")[0]
    assert "Sendt retur til rettelse" in box
    assert "minister sendte bidraget retur den" in box
    assert "<p>Uddyb initiativ 14.<br>Og tjek tallene.</p>" in box
    assert "Første runde" not in page
    assert page.index("returneret-overskrift") < page.index('<form method="post">')


def test_no_comment_is_shown_once_it_is_resubmitted(client, editor_rh, ministry, rh):
    returned(rh, editor_rh, ministry, "Uddyb initiativ 14")
    rh.submit(editor_rh)
    client.force_login(editor_rh)
    assert "returneret-overskrift" not in top(client, rh)


def test_a_comment_by_a_deleted_user_is_shown_too(client, editor_rh, ministry, rh):
    returned(rh, editor_rh, ministry, "Uddyb initiativ 14")
    rh.events.update(actor=None)
    client.force_login(editor_rh)
    page = top(client, rh)
    assert "Bidraget blev sendt retur den" in page and "Uddyb initiativ 14" in page
