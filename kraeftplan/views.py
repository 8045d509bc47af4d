"""Shared view classes: the filtered, sortable, exportable table page, and plain content pages."""

import sys
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.middleware.csp import get_nonce
from django.template import loader
from django.urls import reverse
from django.utils.csp import CONTEXT_KEY as CSP_CONTEXT_KEY
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from django_stubs_ext import StrOrPromise
from django_tables2 import RequestConfig

from kraeftplan.downloads import DOWNLOAD_PARAMETER, FORMATS, download, unknown_format_message
from kraeftplan.health import DATABASE_UNAVAILABLE, database_unavailable

MAX_PAGE = 1_000_000
MAX_PER_PAGE = 100


def whole_number(value: str, low: int, high: int) -> int | None:
    """The value as a whole number from low to high written with the digits 0-9, or None
    ("²", "٢" and "1e9" are not; Python's int() would take the first two)."""
    if not (value.isascii() and value.isdigit()) or len(value) > len(str(high)):
        return None
    number = int(value)
    return number if low <= number <= high else None


class FilteredTableView(TemplateView):
    """A FilterSet + Table page (see templates/generic/object_list.html).

    Subclasses set filterset_class, table_class, queryset() and title. Invalid filter values give
    a 400 with the form's Danish messages and no rows, rather than silently ignoring them.
    """

    template_name = "generic/object_list.html"
    filterset_class: Any = None  # a django_filters.FilterSet subclass
    table_class: Any = None  # a django_tables2.Table subclass
    title: StrOrPromise = ""
    intro: StrOrPromise = ""
    paginate_by = 25

    def queryset(self) -> QuerySet[Any]:
        raise NotImplementedError

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.filterset = self.filterset_class(
            request.GET or None, queryset=self.queryset(), request=request
        )
        valid = not self.filterset.is_bound or self.filterset.is_valid()
        fmt = request.GET.get(DOWNLOAD_PARAMETER)
        format_error = None
        if fmt is not None and fmt not in FORMATS:
            format_error, valid = unknown_format_message(fmt), False
        paging_error = self.paging_error(request)
        valid = valid and paging_error is None
        rows = self.filterset.qs if valid else self.filterset.queryset.none()
        # Given the request, the table reads its sorting and paging from it.
        self.table = self.table_class(
            self.prepare(rows),
            request=request if paging_error is None else None,
            **self.table_kwargs(),
        )
        if valid and fmt in FORMATS:
            values = list(self.table.as_values())
            return download(fmt, str(self.title), values[0], values[1:])
        if paging_error is None:
            RequestConfig(request, paginate={"per_page": self.paginate_by}).configure(self.table)
        else:  # the request's paging is what is wrong: the first (empty) page
            self.table.request = request
            self.table.paginate(per_page=self.paginate_by)
        # For the page's <title> and the table's caption: a filtered list is another page than
        # the whole list.
        filtered = (
            valid
            and self.filterset.is_bound
            and any(
                value not in (None, "", []) for value in self.filterset.form.cleaned_data.values()
            )
        )
        self.table.caption = self.caption(filtered)
        context = self.get_context_data(
            filterset=self.filterset,
            table=self.table,
            title=self.title,
            filtered=filtered,
            intro=self.intro,
            format_error=format_error,
            paging_error=paging_error,
            # What is wrong with the address beside the filters, shown with their errors.
            address_errors=[error for error in (format_error, paging_error) if error],
            crumbs=crumbs((self.title, None)),
            **kwargs,
        )
        return self.render_to_response(context, status=200 if valid else 400)

    def paging_error(self, request: HttpRequest) -> str | None:
        """A Danish message if the page number or the rows per page (django-tables2 reads both
        from the address) is not a plain whole number in range, else None."""
        meta = self.table_class._meta
        prefix = meta.prefix or ""
        # A blank value is no value, like a blank filter.
        page = request.GET.get(prefix + meta.page_field, "").strip()
        per_page = request.GET.get(prefix + meta.per_page_field, "").strip()
        if page and whole_number(page, 1, MAX_PAGE) is None:
            return _("The page number must be a whole number of 1 or more.")
        if per_page and whole_number(per_page, 1, MAX_PER_PAGE) is None:
            return _("Rows per page must be a whole number from 1 to %(max)s.") % {
                "max": MAX_PER_PAGE
            }
        return None

    def caption(self, filtered: bool) -> StrOrPromise:
        """The table's caption, which names it and its scroll region: the page's title, or the
        rows of it that match the filters."""
        if filtered:
            return _("%(title)s matching the chosen filters") % {"title": self.title}
        return self.title

    def table_kwargs(self) -> dict[str, Any]:
        return {}

    def prepare(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        """Hook for work on the filtered rows (e.g. prefetching) before the table sees them."""
        return rows


Crumb = tuple[StrOrPromise, str | None] | tuple[StrOrPromise, str | None, str | None]


def crumbs(*trail: Crumb) -> list[Crumb]:
    """Breadcrumbs from the front page, for a view's context ("crumbs", shown by base.html):
    crumbs((_("Plans"), url), (plan.short_name, None, "da")). A crumb is (label, address) or
    (label, address, language): "da" marks Danish data (a plan's name) for a page in another
    language. The last crumb is the page (address None). Each view says where its page is;
    a page without crumbs (the home page, an error page) shows none."""
    return [(_("Overview"), reverse("dashboard:home")), *trail]


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page, as Django's own handler shows it, with the request's CSP nonce for its
    inline style: the page must not depend on static files, nor break the policy. A database
    that cannot be reached (also from a middleware, such as the page cache) is the 503 page."""
    error = sys.exception()
    if isinstance(error, DATABASE_UNAVAILABLE):
        return database_unavailable(request, error)
    html = loader.render_to_string("500.html", {CSP_CONTEXT_KEY: get_nonce(request)})
    return HttpResponseServerError(html)
