"""HEAD is answered like GET on every public page, download, API address and crawler file: the
same status and headers, no body; whether the page is in the store yet or not."""

import pytest
from django.core.cache import caches

from tests.conftest import render_published_pdfs
from tests.test_headers import public_urls

pytestmark = pytest.mark.django_db


def comparable(response):
    return response.status_code, dict(response.headers)


def test_a_head_request_gets_what_a_get_gets_without_the_body(client):
    render_published_pdfs()
    for url in public_urls():
        # HEAD first: the page is not stored yet (each pair starts with an empty store).
        caches["default"].clear()
        head = client.head(url)
        get = client.get(url)
        assert comparable(head) == comparable(get), url
        assert head.status_code in (200, 400, 404), url
        assert b"".join(head) == b"" and b"".join(get) != b"", url
        # And again, now that the GET (or the HEAD) stored it.
        assert comparable(client.head(url)) == comparable(client.get(url)), url


def test_a_head_request_stores_the_page_for_the_next_get(client, django_assert_num_queries):
    head = client.head("/rapporter/")
    assert head.status_code == 200 and "ETag" in head.headers
    # 1 the public data version; the page comes from the store.
    with django_assert_num_queries(1):
        get = client.get("/rapporter/")
    assert get.headers["ETag"] == head.headers["ETag"]
    assert get.headers["Content-Length"] == head.headers["Content-Length"] == str(len(get.content))


@pytest.mark.parametrize("url", ["/rapporter/", "/rapporter/kraeftplan-iv/2020/", "/robots.txt"])
def test_other_methods_than_get_and_head_are_refused(client, url):
    response = client.put(url)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
