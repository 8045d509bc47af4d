from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from kraeftplan.paging import page_of
from kraeftplan.views import crumbs

from .forms import SearchForm
from .queries import KINDS, KINDS_BY_KEY, hits, matching, overview

# Results per page when one kind is seen in full (?vis=).
PER_PAGE = 50
# A page of results is the same for every anonymous visitor, but there are as many pages as
# searches: the page store (kraeftplan.pagecache) keeps them out, so that a run of searches
# cannot push the site's own pages out of it. "private" is what the store leaves alone.
RESULTS_CACHE_CONTROL = "private, no-cache"


class SearchView(View):
    """The site search over everything public, grouped by kind (search.queries). Without words
    it shows the form and what can be searched; a bad search is a 400 with the form's Danish
    message."""

    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest) -> HttpResponse:
        form = SearchForm(request.GET or None)
        context: dict[str, Any] = {
            "form": form,
            "kinds": KINDS,
            "crumbs": crumbs((_("Search"), None)),
        }
        status = 200
        if form.is_bound and not form.is_valid():
            status = 400
        elif words := form.words:
            context["words"] = words
            kind = KINDS_BY_KEY.get(form.cleaned_data["vis"])
            if kind is None:
                groups = overview(words)
                context["groups"] = groups
                context["total"] = sum(group.total for group in groups)
            else:
                rows = matching(kind, words)
                page = page_of(request, rows.count(), PER_PAGE)
                context["kind"] = kind
                context["page"] = page
                context["hits"] = hits(kind, list(rows[page.offset : page.end]), words)
        elif form.is_bound and form.cleaned_data["q"].strip():
            context["no_words"] = True
        response = render(request, "search/search.html", context, status=status)
        if request.GET.get("q"):
            response.headers["Cache-Control"] = RESULTS_CACHE_CONTROL
        return response
