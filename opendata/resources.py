"""The public data, described once: the JSON API, its OpenAPI schema, the CSV files of the zip
download and their data dictionary are all generated from the resources below.

Only published material is in them: statuses and cases of years whose report is published (see
PublishedStatus.objects.public() and PublishedCase.objects.public()); drafts never are.
"""

import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from accounts.choices import OrganisationKind
from accounts.models import Organisation
from budget.checks import findings_of_plans
from budget.models import BudgetAmount, BudgetLine
from initiatives.choices import (
    FindingTopic,
    GovernmentLevel,
    InitiativeKind,
    PlanState,
    ResponsibilityRole,
    StatusCategory,
)
from initiatives.models import (
    Initiative,
    InitiativeQuerySet,
    MainElement,
    Measure,
    Plan,
    PublishedCase,
    PublishedStatus,
    PublishedStatusText,
    Responsibility,
    public_status_years,
)
from kraeftplan.formatting import plain_decimal
from targets.models import Indicator, Measurement, NationalTarget


class BadParameter(ValueError):
    """A query parameter the API cannot use; the message is shown to the caller."""


# A filter's work: (queryset, raw value) -> queryset; raises BadParameter.
type Apply = Callable[[QuerySet[Any], str], QuerySet[Any]]


# An exact number as the API writes it (kraeftplan.formatting.plain_decimal): 2.5, 0, -1.25.
DECIMAL = r"^-?\d+(\.\d+)?$"


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # string, integer, boolean, decimal (an exact number written as a string), array
    description: StrOrPromise
    get: Callable[[Any], object]
    nullable: bool = False
    enum: tuple[str, ...] | None = None
    items: dict[str, Any] | None = None  # JSON schema of array items
    in_csv: bool = True

    def schema(self) -> dict[str, Any]:
        schema: dict[str, Any]
        if self.type == "decimal":
            schema = {"type": "string", "format": "decimal", "pattern": DECIMAL}
        elif self.type == "array":
            schema = {"type": "array", "items": self.items}
        else:
            schema = {"type": self.type}
        if self.enum:
            schema["enum"] = list(self.enum)
        if self.nullable:
            schema["type"] = [schema["type"], "null"]
        schema["description"] = str(self.description)
        return schema


@dataclass(frozen=True)
class Filter:
    description: StrOrPromise
    apply: Callable[..., QuerySet[Any]]  # (queryset, raw value[, all parameters]): see Apply
    # The parameter's JSON schema in the OpenAPI description, exactly what apply accepts: read
    # each time the description is built, so lists of known values (plans, years) follow the data.
    schema: Callable[[], dict[str, Any]]
    reads_other_parameters: bool = False


@dataclass(frozen=True)
class Resource:
    name: str  # URL segment and file name, e.g. "initiativer"
    title: StrOrPromise
    queryset: Callable[[], QuerySet[Any]]
    fields: list[Field]
    filters: dict[str, Filter] = field(default_factory=dict)

    def row(self, obj: Any) -> dict[str, object]:
        return {f.name: _jsonable(f.get(obj)) for f in self.fields}

    def csv_fields(self) -> list[Field]:
        return [f for f in self.fields if f.in_csv]

    def schema(self) -> dict[str, Any]:
        return {
            "type": "object",
            "description": str(self.title),
            "properties": {f.name: f.schema() for f in self.fields},
            "required": [f.name for f in self.fields],
            "additionalProperties": False,
        }

    def filtered(self, params: Mapping[str, str]) -> QuerySet[Any]:
        queryset = self.queryset()
        for name, value in params.items():
            if any(ord(c) < 32 or ord(c) == 127 for c in value):
                # A NUL byte cannot go into a PostgreSQL query; no control character is text.
                raise BadParameter(
                    _("%(name)s holds a control character; send plain text.") % {"name": name}
                )
            if name not in self.filters:
                raise BadParameter(
                    _("Unknown parameter %(name)s. Known: %(known)s.")
                    % {"name": name, "known": ", ".join(sorted(self.filters)) or "–"}
                )
            if value.strip():
                chosen = self.filters[name]
                if chosen.reads_other_parameters:
                    queryset = chosen.apply(queryset, value.strip(), params)
                else:
                    queryset = chosen.apply(queryset, value.strip())
        return queryset


class RowList(list[Any]):
    """A computed list (not a queryset) that the API counts, pages and filters like one: the
    findings are partly computed from the budget lines, partly recorded."""

    def count(self, *args: Any) -> int:
        return len(self)

    def filter(self, **lookups: object) -> "RowList":
        return RowList(row for row in self if all(getattr(row, k) == v for k, v in lookups.items()))


def all_findings() -> RowList:
    """Every finding of every plan, in the plans' order (see budget.checks.plan_findings)."""
    return RowList(findings_of_plans(Plan.objects.order_by("start_year")))


def _jsonable(value: object) -> object:
    if isinstance(value, Decimal):
        return plain_decimal(value)
    return value


def _slug_filter(
    description: StrOrPromise,
    model: type[Plan] | type[Organisation],
    lookup: str,
    label: StrOrPromise,
) -> Filter:
    def apply(queryset: QuerySet[Any], value: str) -> QuerySet[Any]:
        if not model.objects.filter(slug=value).exists():
            raise BadParameter(
                _("Unknown %(label)s: %(value)s.") % {"label": label, "value": value}
            )
        return queryset.filter(**{lookup: value})

    return Filter(description, apply, _known_slugs(model))


@cache  # one function per model, so the description reads each model's slugs once
def _known_slugs(model: type[Plan] | type[Organisation]) -> Callable[[], dict[str, Any]]:
    def schema() -> dict[str, Any]:
        # Only the slugs that exist are accepted (an unknown one is a 400 that names it), so the
        # description lists them: a reader sees which plans or organisations there are.
        slugs = list(model.objects.order_by("slug").values_list("slug", flat=True))
        return {"type": "string", "enum": slugs}

    return schema


# The largest whole number a parameter may hold: beyond it no row exists (ids, years, offsets),
# and the database's integers would overflow.
MAX_WHOLE = 2_000_000_000


def whole_number(value: str) -> int | None:
    """A parameter's value as a whole number written with the digits 0-9, or None: "²⁰²⁰" and
    "١٢" are digits to Python but not numbers here, and a number past MAX_WHOLE matches nothing.
    "10.0" is the whole number 10, as the description's JSON schema ("integer") has it."""
    match = WHOLE.fullmatch(value)
    if match is None or int(match[1]) > MAX_WHOLE:
        return None
    return int(match[1])


WHOLE = re.compile(r"([0-9]{1,10})(?:\.0+)?", re.ASCII)


def whole_number_schema() -> dict[str, Any]:
    """The JSON schema of a parameter read with whole_number."""
    return {"type": "integer", "minimum": 0, "maximum": MAX_WHOLE}


def _int_filter(description: StrOrPromise, lookup: str, label: StrOrPromise) -> Filter:
    def apply(queryset: QuerySet[Any], value: str) -> QuerySet[Any]:
        number = whole_number(value)
        if number is None:
            raise BadParameter(
                _("%(label)s must be a whole number, not %(value)s.")
                % {"label": capfirst(label), "value": value}
            )
        return queryset.filter(**{lookup: number})

    return Filter(description, apply, whole_number_schema)


def _choice_schema(choices: Collection[str]) -> Callable[[], dict[str, Any]]:
    return lambda: {"type": "string", "enum": list(choices)}


def _choice_filter(
    description: StrOrPromise, lookup: str, choices: Collection[str], label: StrOrPromise
) -> Filter:
    def apply(queryset: QuerySet[Any], value: str) -> QuerySet[Any]:
        if value not in choices:
            raise BadParameter(
                _("Unknown %(label)s: %(value)s. Use one of: %(choices)s.")
                % {"label": label, "value": value, "choices": ", ".join(choices)}
            )
        return queryset.filter(**{lookup: value})

    return Filter(description, apply, _choice_schema(choices))


def _free_text() -> dict[str, Any]:
    # Any text but control characters, which Resource.filtered refuses.
    return {"type": "string", "pattern": "^[^\\u0000-\\u001f\\u007f]*$"}


def _published_years() -> dict[str, Any]:
    # _year_only accepts only a year whose statuses are published: the description lists them.
    return {"type": "integer", "enum": sorted(public_status_years())}


def _search(queryset: InitiativeQuerySet, value: str) -> InitiativeQuerySet:
    try:
        return queryset.search(value)
    except ValidationError as error:  # a text longer than a search
        raise BadParameter(" ".join(error.messages)) from None


def _year_only(queryset: QuerySet[Any], value: str) -> QuerySet[Any]:
    # The year is read by the status filter; on its own it only has to be a year with statuses.
    year = whole_number(value)
    if year is None or not PublishedStatus.objects.public().filter(year=year).exists():
        raise BadParameter(_("No published statuses for the year %(value)s.") % {"value": value})
    return queryset


def _status_in_year(
    queryset: QuerySet[Initiative], value: str, params: Mapping[str, str]
) -> QuerySet[Initiative]:
    """Initiatives with a measure of the given status in ``aar`` (default: the latest year)."""
    if value not in StatusCategory.values:
        raise BadParameter(
            _("Unknown %(label)s: %(value)s. Use one of: %(choices)s.")
            % {"label": _("status"), "value": value, "choices": ", ".join(StatusCategory.values)}
        )
    public = PublishedStatus.objects.public()
    year = whole_number(params.get("aar", "").strip()) or (
        public.order_by("-year").values_list("year", flat=True).first()
    )
    # year is None only when no year is published, and then no status is public.
    statuses = public.filter(year=cast(int, year), category=value)
    return queryset.filter(measures__published_statuses__in=statuses).distinct()


PLAN_FILTER = _slug_filter(_("Plan slug, e.g. kraeftplan-iv."), Plan, "plan__slug", _("plan"))


def _responsible(initiative: Initiative) -> list[dict[str, str]]:
    return [
        {"organisation": r.organisation.slug, "role": r.role}
        for r in initiative.responsibilities.all()
    ]


def _statuses(measure: Any) -> list[dict[str, object]]:
    """The public statuses of a measure fetched with them (as public_statuses)."""
    return [
        {
            "year": s.year,
            "category": s.category,
            "category_label": str(s.get_category_display()),
            "wording": s.wording,
        }
        for s in measure.public_statuses
    ]


STATUS_ITEM = {
    "type": "object",
    "properties": {
        "year": {"type": "integer"},
        "category": {"type": "string", "enum": list(StatusCategory.values)},
        "category_label": {"type": "string"},
        "wording": {"type": "string"},
    },
    "required": ["year", "category", "category_label", "wording"],
    "additionalProperties": False,
}

# The filters of a year's rows of an initiative (cases, status texts): plan, year, initiative.
YEAR_ROW_FILTERS = {
    "plan": _slug_filter(_("Plan slug."), Plan, "initiative__plan__slug", _("plan")),
    "aar": _int_filter(_("Status year."), "year", _("year")),
    "initiative": _int_filter(_("Initiative id."), "initiative_id", _("initiative")),
}

RESOURCES = [
    Resource(
        "planer",
        _("The national cancer plans."),
        lambda: Plan.objects.select_related("predecessor").order_by("start_year"),
        [
            Field("slug", "string", _("Identifier used in addresses."), lambda p: p.slug),
            Field("name", "string", _("Name as published."), lambda p: p.name),
            Field("short_name", "string", _("Short name."), lambda p: p.short_name),
            Field(
                "state",
                "string",
                _("Stage of the plan."),
                lambda p: p.state,
                enum=tuple(PlanState.values),
            ),
            Field("start_year", "integer", _("First year."), lambda p: p.start_year),
            Field(
                "end_year",
                "integer",
                _("Last year; empty while open."),
                lambda p: p.end_year,
                nullable=True,
            ),
            Field(
                "permanent_from_year",
                "integer",
                _("First year of permanent funding after the period."),
                lambda p: p.permanent_from_year,
                nullable=True,
            ),
            Field(
                "predecessor",
                "string",
                _("Slug of the plan before it."),
                lambda p: p.predecessor.slug if p.predecessor else None,
                nullable=True,
            ),
            Field(
                "adoption",
                "string",
                _("How the plan was agreed, as published."),
                lambda p: p.adoption,
            ),
            Field("funding", "string", _("Funding as published."), lambda p: p.funding),
            Field("vision", "string", _("Vision as published."), lambda p: p.vision),
            Field("summary", "string", _("Summary (markdown)."), lambda p: p.summary),
            Field(
                "budget_source",
                "string",
                _("Where the budget table is published."),
                lambda p: p.budget_source,
            ),
        ],
        {
            "state": _choice_filter(
                _("Stage: preparation, running or concluded."),
                "state",
                PlanState.values,
                _("stage"),
            )
        },
    ),
    Resource(
        "hovedelementer",
        _("Main elements of the plans."),
        lambda: MainElement.objects.select_related("plan").order_by("plan__start_year", "position"),
        [
            Field("id", "integer", _("Identifier."), lambda e: e.pk),
            Field("plan", "string", _("Plan slug."), lambda e: e.plan.slug),
            Field("position", "integer", _("Order within the plan."), lambda e: e.position),
            Field(
                "title",
                "string",
                _("Title as published, or given by the portal."),
                lambda e: e.title,
            ),
            Field(
                "named_by_portal",
                "boolean",
                _(
                    "True where the source lists the element without a title and the portal "
                    "named it."
                ),
                lambda e: e.named_by_portal,
            ),
            Field("start", "string", _("Start as published, if any."), lambda e: e.start),
        ],
        {"plan": PLAN_FILTER},
    ),
    Resource(
        "organisationer",
        _("Organisations responsible for or reporting on the plans."),
        lambda: Organisation.objects.order_by("name"),
        [
            Field("slug", "string", _("Identifier."), lambda o: o.slug),
            Field("name", "string", _("Name."), lambda o: o.name),
            Field("short_name", "string", _("Short name, if any."), lambda o: o.short_name),
            Field(
                "kind",
                "string",
                _("Kind of organisation."),
                lambda o: o.kind,
                enum=tuple(OrganisationKind.values),
            ),
        ],
    ),
    Resource(
        "initiativer",
        _("Initiatives, draft recommendations and regional initiatives."),
        lambda: (
            Initiative.objects.select_related("plan")
            .prefetch_related(
                Prefetch(
                    "responsibilities",
                    queryset=Responsibility.objects.select_related("organisation"),
                )
            )
            .order_by("plan__start_year", "kind", "position")
        ),
        [
            Field("id", "integer", _("Identifier."), lambda i: i.pk),
            Field("plan", "string", _("Plan slug."), lambda i: i.plan.slug),
            Field(
                "code",
                "string",
                _("Code used in addresses, unique within the plan."),
                lambda i: i.code,
            ),
            Field("number", "string", _("Number as published."), lambda i: i.number),
            Field(
                "kind", "string", _("Kind."), lambda i: i.kind, enum=tuple(InitiativeKind.values)
            ),
            Field("title", "string", _("Title as published."), lambda i: i.title),
            Field("purpose", "string", _("Purpose (summary)."), lambda i: i.purpose),
            Field(
                "main_element",
                "integer",
                _("Main element id."),
                lambda i: i.main_element_id,
                nullable=True,
            ),
            Field(
                "level",
                "string",
                _("Level of government; empty where not stated."),
                lambda i: i.level,
                enum=("", *GovernmentLevel.values),
            ),
            Field(
                "continues_after_plan",
                "boolean",
                _("Continues after the plan period."),
                lambda i: i.continues_after_plan,
            ),
            Field(
                "responsible",
                "array",
                _("Responsible organisations and their roles."),
                _responsible,
                items={
                    "type": "object",
                    "properties": {
                        "organisation": {"type": "string"},
                        "role": {"type": "string", "enum": list(ResponsibilityRole.values)},
                    },
                    "required": ["organisation", "role"],
                    "additionalProperties": False,
                },
                in_csv=False,
            ),
        ],
        {
            "plan": PLAN_FILTER,
            "type": _choice_filter(
                _("Kind of initiative."), "kind", InitiativeKind.values, _("kind")
            ),
            "organisation": _slug_filter(
                _("Slug of a responsible organisation."),
                Organisation,
                "organisations__slug",
                _("organisation"),
            ),
            "hovedelement": _int_filter(
                _("Main element id."), "main_element_id", _("main element")
            ),
            "aar": Filter(
                _("Status year used by the status filter; default the latest published."),
                _year_only,
                _published_years,
            ),
            "status": Filter(
                _("Initiatives with a measure of this status in the year."),
                _status_in_year,
                _choice_schema(StatusCategory.values),
                reads_other_parameters=True,
            ),
            "q": Filter(_("Free text search in titles and purposes."), _search, _free_text),
        },
    ),
    Resource(
        "indsatser",
        _("Measures: the rows of each initiative's table, with their public yearly statuses."),
        lambda: (
            Measure.objects.select_related("initiative__plan")
            .prefetch_related(
                Prefetch(
                    "published_statuses",
                    queryset=PublishedStatus.objects.public().order_by("year"),
                    to_attr="public_statuses",
                )
            )
            .order_by(
                "initiative__plan__start_year",
                "initiative__kind",
                "initiative__position",
                "position",
            )
        ),
        [
            Field("id", "integer", _("Identifier."), lambda m: m.pk),
            Field("plan", "string", _("Plan slug."), lambda m: m.initiative.plan.slug),
            Field("initiative", "integer", _("Initiative id."), lambda m: m.initiative_id),
            Field("position", "integer", _("Order within the initiative."), lambda m: m.position),
            Field("number", "string", _("Number as published, if any."), lambda m: m.number),
            Field("title", "string", _("Title as published."), lambda m: m.title),
            Field("economy", "string", _("Economy as published."), lambda m: m.economy),
            Field("indicator", "string", _("Indicator as published."), lambda m: m.indicator),
            Field(
                "statuses",
                "array",
                _("Public statuses by year."),
                _statuses,
                items=STATUS_ITEM,
                in_csv=False,
            ),
        ],
        {
            "plan": _slug_filter(_("Plan slug."), Plan, "initiative__plan__slug", _("plan")),
            "initiative": _int_filter(_("Initiative id."), "initiative_id", _("initiative")),
        },
    ),
    Resource(
        "status",
        _("Public yearly statuses of the measures."),
        lambda: (
            PublishedStatus.objects.public()
            .select_related("measure__initiative__plan")
            .order_by(
                "measure__initiative__plan__start_year",
                "year",
                "measure__initiative__position",
                "measure__position",
            )
        ),
        [
            Field("id", "integer", _("Identifier."), lambda s: s.pk),
            Field("plan", "string", _("Plan slug."), lambda s: s.measure.initiative.plan.slug),
            Field("initiative", "integer", _("Initiative id."), lambda s: s.measure.initiative_id),
            Field("measure", "integer", _("Measure id."), lambda s: s.measure_id),
            Field("year", "integer", _("Status year."), lambda s: s.year),
            Field(
                "category",
                "string",
                _("Status category."),
                lambda s: s.category,
                enum=tuple(StatusCategory.values),
            ),
            Field(
                "category_label",
                "string",
                _("Status category in Danish."),
                lambda s: str(s.get_category_display()),
            ),
            Field("wording", "string", _("Status as published."), lambda s: s.wording),
            Field("narrative", "string", _("Narrative (markdown)."), lambda s: s.narrative),
        ],
        {
            "plan": _slug_filter(
                _("Plan slug."), Plan, "measure__initiative__plan__slug", _("plan")
            ),
            "aar": _int_filter(_("Status year."), "year", _("year")),
            "status": _choice_filter(
                _("Status category."), "category", StatusCategory.values, _("status")
            ),
        },
    ),
    Resource(
        "cases",
        _("Case stories printed beside the initiatives in the published status reports."),
        lambda: (
            PublishedCase.objects.public()
            .select_related("initiative__plan", "organisation")
            .order_by("initiative__plan__start_year", "year", "number", "label")
        ),
        [
            Field("id", "integer", _("Identifier."), lambda c: c.pk),
            Field("plan", "string", _("Plan slug."), lambda c: c.initiative.plan.slug),
            Field("initiative", "integer", _("Initiative id."), lambda c: c.initiative_id),
            Field("year", "integer", _("Year of the status report."), lambda c: c.year),
            Field("label", "string", _("Label as published, e.g. Case 4."), lambda c: c.label),
            Field("number", "integer", _("Case number."), lambda c: c.number, nullable=True),
            Field("title", "string", _("Title as published."), lambda c: c.title),
            Field(
                "organisation",
                "string",
                _("Slug of the organisation behind the case, if stated."),
                lambda c: c.organisation.slug if c.organisation else None,
                nullable=True,
            ),
            Field("text", "string", _("Text (markdown)."), lambda c: c.text),
        ],
        YEAR_ROW_FILTERS,
    ),
    Resource(
        "statustekster",
        _(
            "Status texts of a year for a whole initiative, where the published status tells "
            "the year for the initiative rather than measure by measure. A line [[Case 12]] or "
            "[[Tabel 4]] marks where the published document prints that case or table."
        ),
        lambda: (
            PublishedStatusText.objects.public()
            .select_related("initiative__plan")
            .order_by(
                "initiative__plan__start_year", "year", "initiative__kind", "initiative__position"
            )
        ),
        [
            Field("id", "integer", _("Identifier."), lambda t: t.pk),
            Field("plan", "string", _("Plan slug."), lambda t: t.initiative.plan.slug),
            Field("initiative", "integer", _("Initiative id."), lambda t: t.initiative_id),
            Field("year", "integer", _("Status year."), lambda t: t.year),
            Field("text", "string", _("Text (markdown)."), lambda t: t.text),
        ],
        YEAR_ROW_FILTERS,
    ),
    Resource(
        "budgetlinjer",
        _("Budget lines in mio. kr.; sub-lines (Heraf) have a parent."),
        lambda: (
            BudgetLine.objects.select_related("plan", "section")
            .prefetch_related(Prefetch("amounts", queryset=BudgetAmount.objects.order_by("year")))
            .order_by("plan__start_year", "position")
        ),
        [
            Field("id", "integer", _("Identifier."), lambda b: b.pk),
            Field("plan", "string", _("Plan slug."), lambda b: b.plan.slug),
            Field("position", "integer", _("Order within the plan."), lambda b: b.position),
            Field(
                "section",
                "string",
                _("Section (main element) as published."),
                lambda b: b.section.title if b.section else None,
                nullable=True,
            ),
            Field(
                "parent",
                "integer",
                _("Id of the line this is a sub-line of."),
                lambda b: b.parent_id,
                nullable=True,
            ),
            Field("label", "string", _("Text as published."), lambda b: b.label),
            Field(
                "initiative",
                "integer",
                _("Initiative id."),
                lambda b: b.initiative_id,
                nullable=True,
            ),
            Field(
                "recipient",
                "string",
                _("Recipient where the text states it."),
                lambda b: b.recipient,
            ),
            Field(
                "stated_total",
                "decimal",
                _("Total (I alt) as published, mio. kr."),
                lambda b: b.stated_total,
                nullable=True,
            ),
            Field(
                "permanent_amount",
                "decimal",
                _("Permanent yearly amount, mio. kr."),
                lambda b: b.permanent_amount,
                nullable=True,
            ),
            Field(
                "permanent_from_year",
                "integer",
                _("Year the permanent amount applies from."),
                lambda b: b.permanent_from_year,
                nullable=True,
            ),
            Field(
                "amounts",
                "array",
                _("Amount per year, mio. kr."),
                lambda b: [
                    {"year": a.year, "amount": plain_decimal(a.amount)} for a in b.amounts.all()
                ],
                items={
                    "type": "object",
                    "properties": {
                        "year": {"type": "integer"},
                        "amount": {"type": "string", "format": "decimal", "pattern": DECIMAL},
                    },
                    "required": ["year", "amount"],
                    "additionalProperties": False,
                },
                in_csv=False,
            ),
        ],
        {"plan": PLAN_FILTER},
    ),
    Resource(
        "budgetbeloeb",
        _("The amount of each budget line in each year, mio. kr."),
        lambda: BudgetAmount.objects.select_related("line__plan").order_by(
            "line__plan__start_year", "line__position", "year"
        ),
        [
            Field("line", "integer", _("Budget line id."), lambda a: a.line_id),
            Field("plan", "string", _("Plan slug."), lambda a: a.line.plan.slug),
            Field("year", "integer", _("Year."), lambda a: a.year),
            Field("amount", "decimal", _("Amount, mio. kr."), lambda a: a.amount),
        ],
        {
            "plan": _slug_filter(_("Plan slug."), Plan, "line__plan__slug", _("plan")),
            "aar": _int_filter(_("Year."), "year", _("year")),
        },
    ),
    Resource(
        "maal",
        _("National targets."),
        lambda: NationalTarget.objects.select_related("plan").order_by(
            "plan__start_year", "number"
        ),
        [
            Field("id", "integer", _("Identifier."), lambda t: t.pk),
            Field("plan", "string", _("Plan slug."), lambda t: t.plan.slug),
            Field("number", "integer", _("Number."), lambda t: t.number),
            Field("title", "string", _("Title."), lambda t: t.title),
            Field("description", "string", _("Target as published."), lambda t: t.description),
            Field(
                "target_year", "integer", _("Target year."), lambda t: t.target_year, nullable=True
            ),
            Field(
                "target_value",
                "decimal",
                _("Target value."),
                lambda t: t.target_value,
                nullable=True,
            ),
            Field("target_unit", "string", _("Unit of the target value."), lambda t: t.target_unit),
        ],
        {"plan": PLAN_FILTER},
    ),
    Resource(
        "indikatorer",
        _("Indicators: what is measured, in which unit, from which source, with which caveats."),
        lambda: Indicator.objects.select_related("plan").order_by("plan__start_year", "position"),
        [
            Field("id", "integer", _("Identifier."), lambda i: i.pk),
            Field("plan", "string", _("Plan slug."), lambda i: i.plan.slug),
            Field(
                "target", "integer", _("National target id."), lambda i: i.target_id, nullable=True
            ),
            Field(
                "initiative",
                "integer",
                _("Initiative id."),
                lambda i: i.initiative_id,
                nullable=True,
            ),
            Field("name", "string", _("Name."), lambda i: i.name),
            Field(
                "table_label",
                "string",
                _("Table as published, e.g. Tabel 2."),
                lambda i: i.table_label,
            ),
            Field("unit", "string", _("Unit."), lambda i: i.unit),
            Field("source", "string", _("Source."), lambda i: i.source),
            Field("caveats", "string", _("Caveats."), lambda i: i.caveats),
        ],
        {
            "plan": PLAN_FILTER,
            "maal": _int_filter(_("National target id."), "target_id", _("target")),
        },
    ),
    Resource(
        "maalinger",
        _("Measurements: one published figure each, with period and breakdown."),
        lambda: Measurement.objects.select_related("indicator__plan").order_by(
            "indicator__plan__start_year", "indicator__position", "position", "period_start", "pk"
        ),
        [
            Field("id", "integer", _("Identifier."), lambda m: m.pk),
            Field("plan", "string", _("Plan slug."), lambda m: m.indicator.plan.slug),
            Field("indicator", "integer", _("Indicator id."), lambda m: m.indicator_id),
            Field(
                "period",
                "string",
                _("Period as published: a year or a span like 2016-2018."),
                lambda m: m.period,
            ),
            Field(
                "period_start", "integer", _("First year of the period."), lambda m: m.period_start
            ),
            Field("period_end", "integer", _("Last year of the period."), lambda m: m.period_end),
            Field("group", "string", _("Group, if any."), lambda m: m.group),
            Field("breakdown", "string", _("Breakdown, e.g. Mænd."), lambda m: m.breakdown),
            Field(
                "category",
                "string",
                _("Category, e.g. a column of the table."),
                lambda m: m.category,
            ),
            Field("value", "decimal", _("Value in the indicator's unit."), lambda m: m.value),
            Field(
                "share",
                "decimal",
                _("Share in per cent, where published with a count."),
                lambda m: m.share,
                nullable=True,
            ),
            Field("note", "string", _("Note."), lambda m: m.note),
        ],
        {
            "plan": _slug_filter(_("Plan slug."), Plan, "indicator__plan__slug", _("plan")),
            "indikator": _int_filter(_("Indicator id."), "indicator_id", _("indicator")),
        },
    ),
]

RESOURCES.append(
    Resource(
        "findings",
        _(
            "Where the published sources disagree with themselves or each other: both figures or "
            "wordings as published and where each stands, and what the portal computed. The "
            "portal's notes are its own words, not the sources'."
        ),
        all_findings,  # type: ignore[arg-type]  # a RowList, paged and filtered like a queryset
        [
            Field("id", "string", _("Stable identifier of the finding."), lambda f: f.code),
            Field("plan", "string", _("Plan slug."), lambda f: f.plan),
            Field(
                "topic",
                "string",
                _("Where a reader would look: plan, budget, target or initiative."),
                lambda f: f.topic,
                enum=tuple(FindingTopic.values),
            ),
            Field("kind", "string", _("Kind of disagreement."), lambda f: f.kind),
            Field("subject", "string", _("What the finding concerns."), lambda f: f.subject),
            Field("stated", "string", _("The figure or wording as published."), lambda f: f.stated),
            Field("stated_at", "string", _("Where it is published."), lambda f: f.stated_at),
            Field(
                "other",
                "string",
                _("The other figure or wording as published, if any."),
                lambda f: f.other,
            ),
            Field("other_at", "string", _("Where the other is published."), lambda f: f.other_at),
            Field(
                "computed",
                "string",
                _("What the portal computed from the published figures, if anything."),
                lambda f: f.computed,
            ),
            Field("note", "string", _("The portal's own note."), lambda f: f.note),
            Field(
                "initiative",
                "integer",
                _("Initiative id, if it concerns one."),
                lambda f: f.initiative_id,
                nullable=True,
            ),
            Field(
                "budget_line",
                "integer",
                _("Budget line id, if it concerns one."),
                lambda f: f.line_id,
                nullable=True,
            ),
            Field(
                "table",
                "string",
                _("The published table it concerns, if any."),
                lambda f: f.table_label,
            ),
        ],
        {"plan": _slug_filter(_("Plan slug."), Plan, "plan", _("plan"))},
    )
)

BY_NAME = {resource.name: resource for resource in RESOURCES}
