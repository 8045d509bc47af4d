"""What the site search reads: every kind of public record, and how each is searched.

PostgreSQL searches with its full-text search in the Danish configuration: words are stemmed
("patienterne" finds "patienten"), each word is also a prefix (Danish joins words: "kræft" finds
"kræftpatienter"), records whose title matches come first, and ts_headline marks the matches.
Each kind's text vector has a GIN index (search/migrations), so a search reads the matching rows,
not every row. SQLite, the embedded database, looks for each word anywhere in the same texts with
GLOB, each letter in both cases (æ, ø and å too), and search.highlight marks them.

Only what the public may see is searched: statuses and cases of published years past any
embargo (.public()), and of each published report its latest public version as frozen.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    Expression,
    F,
    Func,
    OuterRef,
    QuerySet,
    TextField,
    Value,
    When,
    Window,
)
from django.db.models.functions import Concat, Greatest, Lower, StrIndex, Substr
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from initiatives.models import (
    PUBLISHED_ORDER,
    Initiative,
    MainElement,
    Measure,
    Plan,
    PublishedCase,
    PublishedStatus,
    StatusCategory,
)
from kraeftplan.templatetags.kp import da
from reports.models import AnnualReport, ReportVersion
from targets.models import Indicator, NationalTarget

from .highlight import START, STOP, WINDOW, excerpt, mark_words, marked, plain

CONFIG = "danish"
SEPARATOR = " · "


@dataclass(frozen=True)
class Hit:
    """One result: where it links, its title (marked), what it belongs to, and a snippet."""

    url: str
    title: SafeString
    context: SafeString  # Danish data in it marked lang="da" on a page in another language
    snippet: SafeString
    lead: str = ""  # a label before the quote, e.g. "Status 2020 (Følger tidsplanen):"
    quote: SafeString = field(default_factory=SafeString)  # the matched wording, marked


@dataclass(frozen=True)
class Kind:
    """A kind of record the search finds.

    title: the field (or expression) shown as the result's title, weighed most; body: the
    fields searched besides it, from which the snippet is cut."""

    key: str  # in the address: ?vis=<key>
    label: StrOrPromise
    rows: Callable[[], QuerySet[Any]]
    title: Callable[[], Expression | F]
    body: Sequence[str]
    ordering: Sequence[str]
    hit: Callable[[Any, SafeString, SafeString], Hit]
    body_is_html: bool = False
    # Where the title is in another table (a report's), the title and the text are matched
    # apart; the text's vector is then a column kept in the row (kraeftplan.fulltext), named
    # here.
    stored_vector: str = ""
    # Whether a matching title puts a record first. A status's title is its wording, where
    # nearly every match is, and ranking tens of thousands of yearly statuses by it costs more
    # than it tells: they keep the kind's order (newest year first).
    ranked: bool = True
    # More text the record is found by but that is not quoted: a status's category, in Danish.
    also: Callable[[], Expression] | None = None
    what: StrOrPromise = field(default="")  # what of it is searched, for the empty page

    def body_expression(self) -> Expression | F:
        if len(self.body) == 1:
            return F(self.body[0])
        pieces: list[Any] = []
        for name in self.body:
            pieces += [F(name), Value(SEPARATOR)]
        return Concat(*pieces[:-1], output_field=TextField())


def _category_in_danish() -> Case:
    """A status's category as the Danish pages name it ("Tidsplanen er skubbet"), so that a
    search for it finds every status of the category, also where the published wording says it
    in other words. Danish whatever the page's language: the texts searched are Danish."""
    with translation.override("da"):
        return Case(
            *(
                When(category=value, then=Value(str(label)))
                for value, label in StatusCategory.choices
            ),
            default=Value(""),
            output_field=TextField(),
        )


def _number_and_title(number: str, title: str) -> Concat:
    return Concat(F(number), Value(". "), F(title), output_field=TextField())


def _latest_public_versions() -> QuerySet[ReportVersion]:
    """Of each published report, its latest version the public can read (as the report page
    shows it): never a draft, an embargoed report or a version not yet public."""
    now = timezone.now()
    later = ReportVersion.objects.filter(
        report=OuterRef("report"), number__gt=OuterRef("number"), published_at__lte=now
    )
    return (
        ReportVersion.objects.filter(
            published_at__lte=now,
            report__in=AnnualReport.objects.published(),
        )
        .exclude(Exists(later))
        .select_related("report__plan")
        .defer("web_html", "print_html", "data", "pdf")
    )


def _context(template: str, **values: str | int) -> SafeString:
    """A translated %-template filled with values, each escaped unless it is marked safe (as
    Danish data marked by da() is)."""
    return mark_safe(
        conditional_escape(template) % {k: conditional_escape(str(v)) for k, v in values.items()}
    )


def _initiative_hit(row: Initiative, title: SafeString, snippet: SafeString) -> Hit:
    return Hit(
        url=row.get_absolute_url(),
        title=title,
        context=format_html("{} · {}", da(row.plan.short_name), row.get_kind_display()),
        snippet=snippet,
    )


def _measure_hit(row: Measure, title: SafeString, snippet: SafeString) -> Hit:
    initiative = row.initiative
    return Hit(
        url=initiative.get_absolute_url(),
        title=title,
        context=format_html(
            "{} · {}",
            da(initiative.plan.short_name),
            da(f"{initiative.number}. {initiative.title}"),
        ),
        snippet=snippet,
    )


def _status_hit(row: PublishedStatus, wording: SafeString, snippet: SafeString) -> Hit:
    # The result is the initiative, which the link leads to; the matched wording is quoted.
    initiative = row.measure.initiative
    return Hit(
        url=initiative.get_absolute_url(),
        title=escape(f"{initiative.number}. {initiative.title}"),
        context=format_html(
            "{} · {}: {}",
            da(initiative.plan.short_name),
            gettext("Measure"),
            da(row.measure.title),
        ),
        snippet=snippet,
        quote=wording,
        lead=gettext("Status %(year)s (%(category)s), as published:")
        % {"year": row.year, "category": row.get_category_display()},
    )


def _plan_hit(row: Plan, title: SafeString, snippet: SafeString) -> Hit:
    return Hit(
        url=row.get_absolute_url(),
        title=title,
        context=format_html("{} · {}", row.period_label, row.get_state_display()),
        snippet=snippet,
    )


def _element_hit(row: MainElement, title: SafeString, snippet: SafeString) -> Hit:
    return Hit(
        url=row.plan.get_absolute_url(),
        title=title,
        context=_context(
            gettext("%(plan)s · main element %(position)s"),
            plan=da(row.plan.short_name),
            position=row.position,
        ),
        snippet=snippet,
    )


def _target_hit(row: NationalTarget, title: SafeString, snippet: SafeString) -> Hit:
    return Hit(
        url=row.get_absolute_url(),
        title=title,
        context=_context(
            gettext("%(plan)s · national target %(number)s"),
            plan=da(row.plan.short_name),
            number=row.number,
        ),
        snippet=snippet,
    )


def _indicator_hit(row: Indicator, title: SafeString, snippet: SafeString) -> Hit:
    # An indicator is shown on its target's page, else its initiative's, else its plan's.
    if row.target is not None:
        url, where = row.target.get_absolute_url(), str(row.target)
    elif row.initiative is not None:
        url, where = row.initiative.get_absolute_url(), str(row.initiative)
    else:
        url, where = row.plan.get_absolute_url(), row.plan.short_name
    parts = [row.plan.short_name, row.table_label, where, row.unit]
    return Hit(
        url=url,
        title=title,
        # All of it the data's own words: the plan, the table, the target or initiative, the unit.
        context=da(" · ".join(dict.fromkeys(part for part in parts if part))),
        snippet=snippet,
    )


def _case_hit(row: PublishedCase, title: SafeString, snippet: SafeString) -> Hit:
    initiative = row.initiative
    return Hit(
        url=f"{initiative.get_absolute_url()}#case-{row.pk}",
        title=title,
        context=da(
            f"{initiative.plan.short_name} {row.year} · {initiative.number}. {initiative.title}"
        ),
        snippet=snippet,
    )


def _report_hit(row: ReportVersion, title: SafeString, snippet: SafeString) -> Hit:
    report = row.report
    return Hit(
        url=reverse("reports:report_detail", args=[report.plan.slug, report.year]),
        title=title,
        context=format_html("{} · {}", da(report.plan.short_name), report.year),
        snippet=snippet,
    )


KINDS: list[Kind] = [
    Kind(
        key="initiativer",
        label=_("Initiatives"),
        what=_("number, title, purpose and continuation"),
        rows=lambda: Initiative.objects.select_related("plan"),
        title=lambda: _number_and_title("number", "title"),
        body=["purpose", "continuation", "start"],
        ordering=["plan__start_year", "kind", "position", "pk"],
        hit=_initiative_hit,
    ),
    Kind(
        key="status",
        label=_("Published statuses"),
        what=_(
            "the status wording as published, its category and the year's account, of "
            "published years"
        ),
        rows=lambda: PublishedStatus.objects.public().select_related("measure__initiative__plan"),
        title=lambda: F("wording"),
        body=["narrative"],
        ordering=[
            "-year",
            "measure__initiative__plan__start_year",
            *(f"measure__{name}" for name in PUBLISHED_ORDER),
            "pk",
        ],
        hit=_status_hit,
        ranked=False,
        also=_category_in_danish,
    ),
    Kind(
        key="indsatser",
        label=_("Measures"),
        what=_("title, description, economy and indicator as published"),
        rows=lambda: Measure.objects.select_related("initiative__plan"),
        title=lambda: F("title"),
        body=["heading", "description", "economy", "indicator"],
        ordering=["initiative__plan__start_year", *PUBLISHED_ORDER, "pk"],
        hit=_measure_hit,
    ),
    Kind(
        key="planer",
        label=_("Plans"),
        what=_("name, vision, summary, agreement and funding"),
        rows=lambda: Plan.objects.all(),
        title=lambda: F("name"),
        body=["short_name", "vision", "summary", "adoption", "funding"],
        ordering=["start_year", "pk"],
        hit=_plan_hit,
    ),
    Kind(
        key="hovedelementer",
        label=_("Main elements"),
        what=_("title and description"),
        rows=lambda: MainElement.objects.select_related("plan"),
        title=lambda: F("title"),
        body=["description", "start"],
        ordering=["plan__start_year", "position", "pk"],
        hit=_element_hit,
    ),
    Kind(
        key="maal",
        label=_("National targets"),
        what=_("title, target as published, monitoring and latest follow-up"),
        rows=lambda: NationalTarget.objects.select_related("plan"),
        title=lambda: F("title"),
        body=["description", "monitoring", "status_text"],
        ordering=["plan__start_year", "number", "pk"],
        hit=_target_hit,
    ),
    Kind(
        key="indikatorer",
        label=_("Indicators"),
        what=_("name, table, description, unit, source and caveats"),
        rows=lambda: Indicator.objects.select_related("plan", "target", "initiative__plan").defer(
            "target__status_text", "initiative__purpose", "plan__summary"
        ),
        title=lambda: F("name"),
        body=["table_label", "description", "unit", "source", "caveats"],
        ordering=["plan__start_year", "position", "pk"],
        hit=_indicator_hit,
    ),
    Kind(
        key="cases",
        label=_("Cases"),
        what=_("title and text, of published years"),
        rows=lambda: PublishedCase.objects.public().select_related("initiative__plan"),
        title=lambda: _number_and_title("label", "title"),
        body=["text"],
        ordering=["-year", "plan__start_year", "initiative__kind", "initiative__position", "pk"],
        hit=_case_hit,
    ),
    Kind(
        key="rapporter",
        label=_("Annual status reports"),
        what=_("the whole text of each published report, as published"),
        rows=_latest_public_versions,
        title=lambda: F("title"),  # as published with the version
        body=["web_html"],
        ordering=["report__plan__start_year", "-report__year", "pk"],
        hit=_report_hit,
        body_is_html=True,
        stored_vector="search_vector",
        ranked=False,  # few, and kept newest first
    ),
]
KINDS_BY_KEY = {kind.key: kind for kind in KINDS}


def full_text() -> bool:
    """Whether the database has PostgreSQL's full-text search."""
    return connection.vendor == "postgresql"


def prefix_query(words: Sequence[str]) -> SearchQuery:
    """Every word, each also as the start of a longer word. The words are letters and digits
    only (search.forms.WORD), so nothing in them is tsquery syntax."""
    return SearchQuery(" & ".join(f"{word}:*" for word in words), search_type="raw", config=CONFIG)


def text_vector(kind: Kind) -> Expression | F:
    """The kind's text as PostgreSQL matches it: its title weighed A and its body B, or the
    vector stored in the row. search/migrations holds a GIN index on exactly this expression
    for each kind; tests/test_site_search.py checks that it is used."""
    if kind.stored_vector:
        return F(kind.stored_vector)
    body: list[Any] = [*kind.body, *([kind.also()] if kind.also else [])]
    return SearchVector(kind.title(), weight="A", config=CONFIG) + SearchVector(
        *body, weight="B", config=CONFIG
    )


def excerpt_source(kind: Kind, words: Sequence[str]) -> Expression | F:
    """The body a snippet is cut from. Of a long text (a report's whole page) only the
    search.highlight.WINDOW characters around the first occurrence of the first word (or its
    start) leave the database: not megabytes for each result."""
    body = kind.body_expression()
    if not kind.body_is_html:
        return body
    found = StrIndex(Lower(body), Value(words[0].lower()))
    return Substr(body, Greatest(found - WINDOW // 2, 1), WINDOW)


class Glob(Func):
    """SQLite's GLOB: a pattern match in C. (The LIKE of kraeftplan.sqlite folds every letter's
    case in Python, a function call a row: too slow for every yearly status at 100 times the
    data.)"""

    arg_joiner = " GLOB "
    template = "(%(expressions)s)"
    output_field = BooleanField()


def glob_pattern(word: str) -> str:
    """A GLOB pattern for the word anywhere in a text that SQLite's lower() has lowered: that
    folds A–Z only, so each other letter is given in both cases: "Øget" → "*[Øø]get*". The
    words are letters and digits only (search.forms.WORD), so none is GLOB syntax."""
    parts = []
    for char in word.lower():
        forms = {char} if char.isascii() else {char, char.upper()}
        forms = {form for form in forms if len(form) == 1}
        parts.append(f"[{''.join(sorted(forms))}]" if len(forms) > 1 else char)
    return f"*{''.join(parts)}*"


def matching(kind: Kind, words: Sequence[str]) -> QuerySet[Any]:
    """The kind's public rows that contain every word, best first, each with its title and
    body (_title, _body): on PostgreSQL marked by ts_headline, on SQLite as stored."""
    rows = kind.rows()
    title, body = kind.title(), kind.body_expression()
    if full_text():
        query = prefix_query(words)
        if kind.stored_vector:
            by_text = rows.alias(_vector=text_vector(kind)).filter(_vector=query)
            by_title = rows.alias(_vector=SearchVector(title, config=CONFIG)).filter(_vector=query)
            rows = rows.filter(pk__in=by_text.values("pk").union(by_title.values("pk")))
        else:
            rows = rows.alias(_vector=text_vector(kind)).filter(_vector=query)
        ordering = list(kind.ordering)
        if kind.ranked:
            # A title that matches puts its record first. The rank reads the title alone: the
            # whole text's vector is in the index for the match, and computing it again for
            # each of thousands of matches would double the search's time.
            rows = rows.alias(_rank=SearchRank(SearchVector(title, config=CONFIG), query))
            ordering = ["-_rank", *ordering]
        marks: dict[str, Any] = {"config": CONFIG, "start_sel": START, "stop_sel": STOP}
        found: QuerySet[Any] = rows.annotate(
            _title=SearchHeadline(title, query, highlight_all=True, **marks),
            _body=SearchHeadline(
                excerpt_source(kind, words),
                query,
                max_words=35,
                min_words=15,
                max_fragments=2,
                fragment_delimiter=" … ",
                **marks,
            ),
        ).order_by(*ordering)
        return found
    searched = [
        title,
        Value(SEPARATOR),
        body,
        *([Value(SEPARATOR), kind.also()] if kind.also else []),
    ]
    rows = rows.alias(_all=Concat(*searched, output_field=TextField()))
    for word in words:
        rows = rows.filter(Glob(Lower("_all"), Value(glob_pattern(word))))
    found = rows.annotate(_title=title, _body=excerpt_source(kind, words)).order_by(*kind.ordering)
    return found


def hits(kind: Kind, rows: Sequence[Any], words: Sequence[str]) -> list[Hit]:
    """The rows as results, their matches marked and everything else escaped."""
    result = []
    for row in rows:
        if full_text():
            title = marked(row._title)
            snippet = marked(plain(row._body or "", is_html=kind.body_is_html))
        else:
            title = marked(mark_words(row._title or "", words))
            body = plain(row._body or "", is_html=kind.body_is_html)
            snippet = marked(excerpt(body, words))
        result.append(kind.hit(row, title, snippet))
    return result


@dataclass
class Group:
    """The first results of one kind, and how many there are in all."""

    kind: Kind
    hits: list[Hit]
    total: int


# The overview shows at most this many results of each kind; "see all" pages through the rest.
PER_GROUP = 10


def overview(words: Sequence[str], per_group: int = PER_GROUP) -> list[Group]:
    """The first results of every kind with their count: one query a kind."""
    groups = []
    for kind in KINDS:
        rows = list(matching(kind, words).annotate(_total=Window(Count("pk")))[:per_group])
        total = rows[0]._total if rows else 0
        groups.append(Group(kind=kind, hits=hits(kind, rows, words), total=total))
    return groups
