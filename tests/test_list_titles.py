"""A filtered list or a later page of it is another page than the whole list: its <title> says
so (WCAG 2.4.2), and its download links carry its filters and nothing else."""

import re

import pytest

pytestmark = pytest.mark.django_db


def title(response):
    return re.search(r"<title>(.*?)</title>", response.content.decode())[1]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/initiativer/", "Initiativer – Kræftplan-portalen"),
        ("/initiativer/?page=2", "Initiativer, side 2 – Kræftplan-portalen"),
        ("/initiativer/?plan=kraeftplan-iv", "Initiativer (filtreret) – Kræftplan-portalen"),
        # A form sent with every filter empty is the whole list.
        ("/initiativer/?q=&plan=&status=", "Initiativer – Kræftplan-portalen"),
        ("/en/initiativer/?page=2", "Initiatives, page 2 – Kræftplan-portalen"),
        ("/en/initiativer/?plan=kraeftplan-iv", "Initiatives (filtered) – Kræftplan-portalen"),
    ],
)
def test_the_title_says_whether_the_list_is_filtered_and_which_page_it_is(client, url, expected):
    assert title(client.get(url)) == expected


def test_the_downloads_carry_the_filters_not_the_page(client):
    page = client.get("/initiativer/?plan=kraeftplan-iv&page=1").content.decode()
    assert 'href="?plan=kraeftplan-iv&amp;hent=csv"' in page
    assert 'href="?hent=csv"' in client.get("/initiativer/").content.decode()


@pytest.mark.parametrize(
    ("url", "caption"),
    [
        ("/initiativer/", "Initiativer"),
        ("/initiativer/?plan=kraeftplan-iv", "Initiativer, der passer til de valgte filtre"),
        ("/en/initiativer/?plan=kraeftplan-iv", "Initiatives matching the chosen filters"),
    ],
)
def test_the_table_has_a_caption_that_names_it_and_its_scroll_region(client, url, caption):
    page = client.get(url).content.decode()
    table = re.search(r"<table [^>]*>\s*<caption>(.*?)</caption>", page)
    assert table is not None and table[1] == caption
    assert "aria-label" not in table[0]  # named by its caption alone
    assert f'role="region" tabindex="0" aria-label="{caption}"><table ' in page
