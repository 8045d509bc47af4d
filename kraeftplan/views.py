"""Shared view classes: the filtered, sortable, exportable table page, and plain content pages."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.middleware.csp import get_nonce
from django.template import loader
from django.utils.csp import CONTEXT_KEY as CSP_CONTEXT_KEY
from django.views.generic import TemplateView
from django_stubs_ext import StrOrPromise
from django_tables2 import RequestConfig

from kraeftplan.downloads import DOWNLOAD_PARAMETER, FORMATS, download, unknown_format_message


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
        rows = self.filterset.qs if valid else self.filterset.queryset.none()
        self.table = self.table_class(self.prepare(rows), request=request, **self.table_kwargs())
        if valid and fmt in FORMATS:
            values = list(self.table.as_values())
            return download(fmt, str(self.title), values[0], values[1:])
        RequestConfig(request, paginate={"per_page": self.paginate_by}).configure(self.table)
        context = self.get_context_data(
            filterset=self.filterset,
            table=self.table,
            title=self.title,
            intro=self.intro,
            format_error=format_error,
            **kwargs,
        )
        return self.render_to_response(context, status=200 if valid else 400)

    def table_kwargs(self) -> dict[str, Any]:
        return {}

    def prepare(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        """Hook for work on the filtered rows (e.g. prefetching) before the table sees them."""
        return rows


def crumbs(*trail: tuple[StrOrPromise, str | None]) -> list[tuple[StrOrPromise, str | None]]:
    """Breadcrumbs from the front page: crumbs(("Planer", url), (plan.short_name, None))."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    return [(_("Overview"), reverse("dashboard:home")), *trail]


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page, as Django's own handler shows it, with the request's CSP nonce for its
    inline style: the page must not depend on static files, nor break the policy."""
    html = loader.render_to_string("500.html", {CSP_CONTEXT_KEY: get_nonce(request)})
    return HttpResponseServerError(html)
