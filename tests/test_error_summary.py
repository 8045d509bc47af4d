"""A contribution that could not be saved shows a DKFDS error summary at the top: every error,
each linking to its field, and the summary takes the focus."""

import re

import pytest

from tests.forms import form_data

pytestmark = pytest.mark.django_db


def post(client, rh, changes, submit=False):
    data = form_data(client.get(f"/bidrag/{rh.pk}/"))
    data.update(changes)
    data["indsend" if submit else "gem"] = "1"
    return client.post(f"/bidrag/{rh.pk}/", data)


def summary(response):
    """The error summary's heading, and its entries as (link target or None, text)."""
    page = response.content.decode()
    found = re.search(r'<div class="alert alert-error kp-error-summary"(.*?)</ul>', page, re.S)
    assert found, "no error summary"
    html = found.group(1)
    heading = re.search(r"<h2[^>]*>(.*?)</h2>", html, re.S).group(1)
    entries = []
    for entry in re.findall(r"<li>(.*?)</li>", html, re.S):
        link = re.fullmatch(r'<a href="#([^"]+)">(.*)</a>', entry, re.S)
        entries.append((link.group(1), link.group(2)) if link else (None, entry))
    return html, heading, entries


def test_every_field_error_is_listed_with_a_link_to_its_field(client, editor_rh, rh):
    client.force_login(editor_rh)
    item = rh.items.select_related("measure__initiative").get(
        pk=form_data(client.get(f"/bidrag/{rh.pk}/"))["indsats-0-id"]
    )
    response = post(
        client,
        rh,
        {
            "indsats-0-wording": "o" * 501,
            f"sag-{item.pk}-0-title": "En case uden tekst",
            "bidrag-general_comment": "k" * 5_001,
        },
    )
    assert response.status_code == 400
    html, heading, entries = summary(response)
    assert 'role="alert"' in html and 'tabindex="-1"' in html and "autofocus" in html
    assert 'aria-labelledby="fejlopsummering-overskrift"' in html
    assert heading == "Intet er gemt: der er 3 fejl i formularen"
    assert entries == [
        (
            "id_indsats-0-wording",
            f"{item.measure} – Ordlyd: Højst 500 tegn – du har skrevet 501.",
        ),
        (f"id_sag-{item.pk}-0-text", f"{item.measure} – Casens tekst: Dette felt er påkrævet."),
        (
            "id_bidrag-general_comment",
            "Generel kommentar: Højst 5.000 tegn – du har skrevet 5.001.",
        ),
    ]
    page = response.content.decode()
    for target, _text in entries:
        assert len(re.findall(f'<(?:input|textarea|select)[^>]* id="{target}"', page)) == 1


def test_errors_of_the_whole_form_are_listed_without_a_link(client, editor_rh, rh):
    client.force_login(editor_rh)
    response = post(client, rh, {}, submit=True)
    assert response.status_code == 400
    _html, heading, entries = summary(response)
    assert heading == "Intet er gemt: der er 1 fejl i formularen"
    ((target, text),) = entries
    assert target is None and text.startswith("Giv alle indsatser en status og en ordlyd")


def test_a_conflict_is_in_the_summary(client, editor_rh, rh):
    client.force_login(editor_rh)
    data = form_data(client.get(f"/bidrag/{rh.pk}/"))
    assert client.post(f"/bidrag/{rh.pk}/", data | {"gem": "1"}).status_code == 302
    response = client.post(f"/bidrag/{rh.pk}/", data | {"gem": "1"})
    assert response.status_code == 409
    ((target, text),) = summary(response)[2]
    assert target is None and text.startswith("En anden har gemt bidraget")


def test_a_page_without_errors_has_no_summary(client, editor_rh, rh):
    client.force_login(editor_rh)
    assert "kp-error-summary" not in client.get(f"/bidrag/{rh.pk}/").content.decode()
