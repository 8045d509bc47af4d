"""Paging of the public lists that are not django-tables2 tables (the budget's lines, the
targets, the reports): every item stays reachable, and a page says how many there are in all."""

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest

from kraeftplan.views import MAX_PAGE, whole_number

PAGE_PARAMETER = "page"


def page_of(request: HttpRequest, count: int, per_page: int) -> Page[Any]:
    """The requested page of `count` items (?page=N, default 1), without reading the items:
    the caller reads rows page.start_index() to page.end_index() itself. 404 for a page number
    that is not a plain whole number or beyond the last page."""
    raw = request.GET.get(PAGE_PARAMETER, "").strip() or "1"
    number = whole_number(raw, 1, MAX_PAGE)
    paginator = Paginator(range(count), per_page, allow_empty_first_page=True)
    if number is None or number > paginator.num_pages:
        raise Http404
    return paginator.page(number)
