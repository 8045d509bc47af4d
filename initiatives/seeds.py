"""Load the seed documents (fixtures/*.toml) into the database in one transaction.

The TOML files are the reviewed, human-readable record of what the source documents publish; this
module only maps them onto the models. It validates every object with the models' own rules, so a
fixture that breaks a rule (a year outside the plan, a sub-line in another plan) fails loudly.
"""

import tomllib
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction

from budget.models import BudgetAmount, BudgetLine, StatedFigure
from kraeftplan.formatting import parse_decimal
from reports.models import AnnualReport, ReportVersion
from targets.models import Indicator, Measurement, NationalTarget

from .choices import InitiativeKind
from .models import (
    Case,
    Initiative,
    InitiativeComment,
    MainElement,
    Measure,
    MeasureStatus,
    Organisation,
    Plan,
    PlanMilestone,
    Responsibility,
)

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"
ORGANISATIONS_FILE = "organisations.toml"
PLAN_FILES = ["jo-foer-jo-bedre.toml", "kraeftplan-iv.toml", "kraeftplan-v.toml"]
PUBLISHED_AT_TIME = time(12, 0)

# Section in a plan file → (kind, code prefix for addresses).
INITIATIVE_SECTIONS = {
    "initiative": (InitiativeKind.INITIATIVE, ""),
    "recommendation": (InitiativeKind.RECOMMENDATION, "anbefaling-"),
    "regional_initiative": (InitiativeKind.REGIONAL, "regional-"),
}


def _save(obj):
    """Validate with the model's own rules (constraints are left to the database) and save."""
    obj.full_clean(validate_unique=False, validate_constraints=False)
    obj.save()
    return obj


def _date(value):
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def _amount(value):
    return None if value is None else parse_decimal(value, ",")


def read(name: str, directory: Path = FIXTURES_DIR) -> dict:
    with open(directory / name, "rb") as handle:
        return tomllib.load(handle)


class SeedLoader:
    """Creates the organisations and each plan file's objects; skips plans that already exist."""

    def __init__(self, directory: Path = FIXTURES_DIR):
        self.directory = directory
        self.organisations: dict[str, Organisation] = {}

    def load(self, replace: bool = False) -> list[str]:
        with transaction.atomic():
            if replace:
                self.delete_plans()
            self._load_organisations()
            return [self._load_plan(read(name, self.directory)) for name in PLAN_FILES]

    def delete_plans(self):
        # Deepest first: statuses point at reports, reports and successors protect their plan.
        MeasureStatus.objects.all().delete()
        ReportVersion.objects.all().delete()
        AnnualReport.objects.all().delete()
        BudgetLine.objects.filter(parent__isnull=False).delete()
        BudgetLine.objects.all().delete()
        Initiative.objects.all().delete()
        for plan in Plan.objects.order_by("-start_year"):
            plan.delete()

    def _load_organisations(self):
        for row in read(ORGANISATIONS_FILE, self.directory)["organisation"]:
            parent = self.organisations.get(row.get("parent"))
            org, _created = Organisation.objects.get_or_create(
                slug=row["slug"],
                defaults={
                    "name": row["name"],
                    "short_name": row.get("short_name", ""),
                    "kind": row["kind"],
                    "description": row.get("description", ""),
                    "parent": parent,
                },
            )
            self.organisations[org.slug] = org

    def _load_plan(self, data: dict) -> str:
        fields = dict(data["plan"])
        if Plan.objects.filter(slug=fields["slug"]).exists():
            return f"{fields['name']}: already loaded, left as it is"
        parties = [self.organisations[slug] for slug in fields.pop("parties", [])]
        predecessor = fields.pop("predecessor", None)
        fields["adopted_on"] = _date(fields.get("adopted_on"))
        fields["predecessor"] = Plan.objects.get(slug=predecessor) if predecessor else None
        plan = _save(Plan(**fields))
        plan.parties.set(parties)

        elements = [
            _save(
                MainElement(
                    plan=plan,
                    position=position,
                    title=row["title"],
                    description=row.get("description", ""),
                    start=row.get("start", ""),
                    starts_on=_date(row.get("starts_on")),
                )
            )
            for position, row in enumerate(data.get("main_element", []), start=1)
        ]
        for row in data.get("milestone", []):
            _save(
                PlanMilestone(
                    plan=plan,
                    date=_date(row["date"]),
                    title=row["title"],
                    description=row.get("description", ""),
                )
            )
        reports = {row["year"]: self._report(plan, row) for row in data.get("report", [])}

        initiatives: dict[str, Initiative] = {}
        target_links: dict[int, list[Initiative]] = {}
        for section, (kind, prefix) in INITIATIVE_SECTIONS.items():
            for position, row in enumerate(data.get(section, []), start=1):
                initiative = self._initiative(
                    plan, kind, prefix, position, row, elements, reports, data.get("comment_source")
                )
                initiatives[initiative.code] = initiative
                for number in row.get("targets", []):
                    target_links.setdefault(number, []).append(initiative)

        self._targets(plan, data.get("target", []), target_links, initiatives)
        for position, row in enumerate(data.get("indicator", []), start=100):
            initiative = initiatives[row.pop("initiative")] if "initiative" in row else None
            self._indicator(plan, None, initiative, position, row)
        for position, row in enumerate(data.get("stated_figure", []), start=1):
            _save(
                StatedFigure(
                    plan=plan,
                    position=position,
                    text=row["text"],
                    amount=_amount(row["amount"]),
                    scope=row["scope"],
                    year=row.get("year"),
                    recipient=row.get("recipient", "unstated"),
                    checked=row.get("checked", False),
                    source=row.get("source", ""),
                )
            )
        self._budget(plan, data.get("budget_line", []), elements, initiatives)
        for row in data.get("report", []):
            if row.get("state") == AnnualReport.State.PUBLISHED:
                # Freeze the published reports as they stand in the source, from its own date.
                report = reports[row["year"]]
                report.publish(embargo_until=report.published_at)
        return f"{plan.name}: loaded"

    def _report(self, plan, row):
        dated = _date(row.get("dated"))
        report = _save(
            AnnualReport(
                plan=plan,
                year=row["year"],
                title=row["title"],
                dated=dated,
                overall_status=row.get("overall_status", "").strip(),
            )
        )
        # Published reports are published (and frozen) once the plan's data is loaded, from
        # their own date; keep that date on the draft until then.
        if row.get("state") == AnnualReport.State.PUBLISHED:
            report.published_at = datetime.combine(
                dated, PUBLISHED_AT_TIME, ZoneInfo(settings.TIME_ZONE)
            )
        return report

    def _initiative(self, plan, kind, prefix, position, row, elements, reports, comment_source):
        element = row.get("main_element")
        initiative = _save(
            Initiative(
                plan=plan,
                main_element=elements[element - 1] if element else None,
                kind=kind,
                number=row["number"],
                code=f"{prefix}{row['number']}",
                position=position,
                title=row["title"],
                purpose=row.get("purpose", "").strip(),
                level=row.get("level", ""),
                start=row.get("start", ""),
                starts_on=_date(row.get("starts_on")),
                continues_after_plan=row.get("continues_after_plan", False),
                continuation=row.get("continuation", ""),
            )
        )
        for link in row.get("responsible", []):
            Responsibility.objects.create(
                initiative=initiative,
                organisation=self.organisations[link["organisation"]],
                role=link["role"],
            )
        # An initiative without a published measure table is one measure of its own.
        measures = row.get("measure") or [
            {"title": row["title"], "economy": row.get("economy", "")}
        ]
        years = []
        for measure_position, measure_row in enumerate(measures, start=1):
            measure = _save(
                Measure(
                    initiative=initiative,
                    position=measure_position,
                    number=measure_row.get("number", ""),
                    heading=measure_row.get("heading", ""),
                    title=measure_row["title"],
                    description=measure_row.get("description", ""),
                    economy=measure_row.get("economy", ""),
                    indicator=measure_row.get("indicator", ""),
                )
            )
            if "status" in measure_row:
                status = measure_row["status"]
                report = reports.get(status["year"])
                years.append(status["year"])
                _save(
                    MeasureStatus(
                        measure=measure,
                        year=status["year"],
                        category=status["category"],
                        wording=status["wording"],
                        narrative=measure_row.get("narrative", "").strip(),
                        report=report,
                        source=report.title if report else plan.source,
                    )
                )
        for case in row.get("case", []):
            _save(
                Case(
                    initiative=initiative,
                    label=case["label"],
                    number=case.get("number"),
                    title=case["title"],
                    organisation=self.organisations.get(case.get("organisation")),
                    year=case.get("year", max(years, default=plan.start_year)),
                    text=case["text"].strip(),
                )
            )
        for comment_position, text in enumerate(row.get("comments", []), start=1):
            _save(
                InitiativeComment(
                    initiative=initiative,
                    position=comment_position,
                    made_on=_date(comment_source["date"]),
                    made_by=comment_source["by"],
                    text=text,
                )
            )
        return initiative

    def _targets(self, plan, rows, target_links, initiatives):
        for row in rows:
            target = _save(
                NationalTarget(
                    plan=plan,
                    number=row["number"],
                    title=row["title"],
                    description=row["description"],
                    target_year=row.get("target_year"),
                    target_value=_amount(row.get("target_value")),
                    target_unit=row.get("target_unit", ""),
                    monitoring=row.get("monitoring", ""),
                    status_text=row.get("status_text", "").strip(),
                )
            )
            target.initiatives.set(target_links.get(row["number"], []))
            for position, indicator in enumerate(row.get("indicator", []), start=1):
                self._indicator(plan, target, None, row["number"] * 10 + position, indicator)

    def _indicator(self, plan, target, initiative, position, row):
        indicator = _save(
            Indicator(
                plan=plan,
                target=target,
                initiative=initiative,
                position=position,
                name=row["name"],
                table_label=row.get("table_label", ""),
                description=row.get("description", ""),
                unit=row["unit"],
                source=row.get("source", ""),
                caveats=row.get("caveats", ""),
            )
        )
        for measurement in row.get("measurements", []):
            _save(
                Measurement(
                    indicator=indicator,
                    period=measurement["period"],
                    group=measurement.get("group", ""),
                    breakdown=measurement.get("breakdown", ""),
                    category=measurement.get("category", ""),
                    value=_amount(measurement["value"]),
                    share=_amount(measurement.get("share")),
                    position=measurement.get("position", 0),
                    source=measurement.get("source", ""),
                    note=measurement.get("note", ""),
                )
            )

    def _budget(self, plan, rows, elements, initiatives):
        position = 0

        def add(row, parent=None):
            nonlocal position
            position += 1
            section = (
                parent.section
                if parent
                else (elements[row["section"] - 1] if row.get("section") else None)
            )
            initiative = parent.initiative if parent else initiatives.get(row.get("initiative"))
            measure = None
            if row.get("measure"):
                measure = initiative.measures.get(position=row["measure"])
            permanent = _amount(row.get("permanent"))
            line = _save(
                BudgetLine(
                    plan=plan,
                    section=section,
                    parent=parent,
                    position=position,
                    label=row["label"],
                    initiative=initiative,
                    measure=measure,
                    recipient=row.get("recipient", "unstated"),
                    stated_total=_amount(row.get("total")),
                    permanent_amount=permanent,
                    permanent_from_year=plan.permanent_from_year if permanent is not None else None,
                    note=row.get("note", ""),
                )
            )
            for year, amount in row.get("amounts", {}).items():
                _save(BudgetAmount(line=line, year=int(year), amount=_amount(amount)))
            for child in row.get("children", []):
                add(child, parent=line)

        for row in rows:
            add(row)
