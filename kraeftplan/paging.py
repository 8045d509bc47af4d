"""Paging of the public lists that are not django-tables2 tables (the budget's lines, the
targets, the reports): every item stays reachable, and a page says how many there are in all."""

from typing import Any, cast

from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest

from kraeftplan.views import MAX_PAGE, whole_number

PAGE_PARAMETER = "page"


class ListPage(Page[Any]):
    """A page that knows its items' positions (offset, end: 0-based, for slicing the list) and
    the addresses of its neighbours (None at either end)."""

    offset: int
    end: int
    previous_url: str | None
    next_url: str | None


class ListPaginator(Paginator[Any]):
    def _get_page(self, *args: Any, **kwargs: Any) -> ListPage:
        return ListPage(*args, **kwargs)


def page_of(
    request: HttpRequest, count: int, per_page: int, parameter: str = PAGE_PARAMETER
) -> ListPage:
    """The requested page of `count` items (?page=N, or the given parameter; default 1),
    without reading the items: the caller reads the rows list[page.offset : page.end]
    itself. The page carries previous_url and next_url (None at either end) for
    inc/pager.html. 404 for a page number that is not a plain whole number or beyond the last
    page."""
    raw = request.GET.get(parameter, "").strip() or "1"
    number = whole_number(raw, 1, MAX_PAGE)
    paginator = ListPaginator(range(count), per_page, allow_empty_first_page=True)
    if number is None or number > paginator.num_pages:
        raise Http404
    page = cast(ListPage, paginator.page(number))

    def url(to: int) -> str:
        query = request.GET.copy()
        query[parameter] = str(to)
        return f"?{query.urlencode()}"

    page.offset = max(page.start_index() - 1, 0)
    page.end = page.end_index()
    page.previous_url = url(page.previous_page_number()) if page.has_previous() else None
    page.next_url = url(page.next_page_number()) if page.has_next() else None
    return page
