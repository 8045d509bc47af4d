"""The sitemaps (django.contrib.sitemaps), gathered from the apps as the admin gathers admin.py.

Each app lists its own public pages in a module `sitemaps.py`: PAGES, the URL names of its pages
with a fixed address (a list page), and SITEMAPS, {section: Sitemap class} for its pages of one
object each. Every page is listed in Danish and in English (under /en/), each with the other
language and x-default (the Danish) as hreflang alternates. A section holds at most
Sitemap.limit addresses a page and the index (/sitemap.xml) lists every page of every section;
each page of a section costs one query however many objects it lists.
"""

from functools import cache
from importlib import import_module
from typing import Any

from django.apps import apps
from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from django.utils.module_loading import module_has_submodule

# The section of the pages with a fixed address.
PAGES_SECTION = "sider"
# This app's own pages (kraeftplan.pages).
PAGES = ["pages:about_data", "pages:accessibility"]


class PortalSitemap[T](Sitemap[T]):
    """Both languages of each page, with hreflang alternates (see the module's docstring)."""

    i18n = True
    alternates = True
    x_default = True


class PagesSitemap(PortalSitemap[str]):
    """Pages with a fixed address, by URL name (every app's PAGES)."""

    def items(self) -> list[str]:
        return list(sitemaps()[0])

    def location(self, item: str) -> str:
        return reverse(item)


@cache
def sitemaps() -> tuple[tuple[str, ...], dict[str, type[Sitemap[Any]]]]:
    """(every app's PAGES, every app's SITEMAPS), in the order of INSTALLED_APPS."""
    pages: list[str] = []
    sections: dict[str, type[Sitemap[Any]]] = {}
    for config in apps.get_app_configs():
        if module_has_submodule(config.module, "sitemaps"):
            module = import_module(f"{config.name}.sitemaps")
            pages.extend(getattr(module, "PAGES", []))
            sections.update(getattr(module, "SITEMAPS", {}))
    return tuple(pages), sections


def sections() -> dict[str, type[Sitemap[Any]] | Sitemap[Any]]:
    """{section: Sitemap class}: the fixed pages first, then the apps' sections (a class each,
    so that each request has its own instance: the views keep state on it)."""
    return {PAGES_SECTION: PagesSitemap, **sitemaps()[1]}
