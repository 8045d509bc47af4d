"""Builders for generated data: a plan shaped like Kræftplan IV, as large as you like."""

import io
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import openpyxl

from accounts.models import Organisation
from budget.models import BudgetAmount, BudgetLine
from contributions.excel import CASE_HEADERS, CASE_SHEET, HEADERS
from contributions.models import ProposedCase
from initiatives.models import Initiative, MainElement, Measure, MeasureStatus, Plan, Responsibility
from reports.models import AnnualReport
from targets.models import Indicator, Measurement, NationalTarget

CATEGORIES = ["on_track", "partly_on_track", "delayed", "completed", "discontinued"]


def make_large_plan(scale: int = 10, slug: str = "stor-plan", start_year: int = 2030) -> Plan:
    """A plan with scale × the Kræftplan IV seeds: 16·scale initiatives, ~25·scale measures with
    a published status each, 32·scale budget lines over four years, 3·scale targets."""
    years = range(start_year, start_year + 4)
    plan = Plan.objects.create(
        name=f"Stor plan {slug}",
        short_name=slug,
        slug=slug,
        state="running",
        start_year=start_year,
        end_year=start_year + 3,
        permanent_from_year=start_year + 4,
    )
    report = AnnualReport.objects.create(
        plan=plan,
        year=start_year + 3,
        title=f"Status {slug}",
        state="published",
        published_at=datetime(2024, 1, 1, tzinfo=ZoneInfo("Europe/Copenhagen")),
    )
    elements = [
        MainElement.objects.create(plan=plan, position=n, title=f"Hovedelement {n}")
        for n in range(1, 5)
    ]
    organisations = list(Organisation.objects.order_by("pk")[:5])
    initiatives = Initiative.objects.bulk_create(
        Initiative(
            plan=plan,
            main_element=elements[n % 4],
            number=str(n),
            code=str(n),
            position=n,
            title=f"Initiativ {n} om kræft",
            purpose="Formål",
            level="regional",
        )
        for n in range(1, 16 * scale + 1)
    )
    Responsibility.objects.bulk_create(
        Responsibility(initiative=i, organisation=organisations[n % 5], role="lead")
        for n, i in enumerate(initiatives)
    )
    measures = Measure.objects.bulk_create(
        Measure(initiative=i, position=p, title=f"Indsats {i.number}.{p}", economy="1 mio. kr.")
        for i in initiatives
        for p in (1, 2)[: 1 + (int(i.number) % 2)]
    )
    MeasureStatus.objects.bulk_create(
        MeasureStatus(
            measure=m,
            year=report.year,
            category=CATEGORIES[n % 5],
            wording="Som offentliggjort",
            narrative="Tekst",
        )
        for n, m in enumerate(measures)
    )
    parent = None
    for n in range(32 * scale):
        # Like Bilag 2: a line, then two "Heraf" lines under it.
        parent = None if n % 3 == 0 else parent
        line = BudgetLine.objects.create(
            plan=plan,
            section=elements[n % 4],
            position=n + 1,
            label=f"Linje {n}",
            parent=parent,
            initiative=initiatives[n % len(initiatives)],
            stated_total=Decimal(40),
        )
        BudgetAmount.objects.bulk_create(
            BudgetAmount(line=line, year=year, amount=Decimal(10)) for year in years
        )
        if n % 3 == 0:
            parent = line
    for n, initiative in enumerate(initiatives, start=1):
        indicator = Indicator.objects.create(
            plan=plan, initiative=initiative, position=1000 + n, name=f"Tal {n}", unit="antal"
        )
        Measurement.objects.create(indicator=indicator, period=str(start_year), value=Decimal(n))
    for n in range(1, 3 * scale + 1):
        target = NationalTarget.objects.create(
            plan=plan, number=n, title=f"Mål {n}", description="Mål"
        )
        target.initiatives.set(initiatives[:5])
        indicator = Indicator.objects.create(
            plan=plan, target=target, position=n, name=f"Indikator {n}", unit="pct."
        )
        Measurement.objects.bulk_create(
            Measurement(
                indicator=indicator,
                period=str(year),
                period_start=year,
                period_end=year,
                breakdown=sex,
                value=Decimal(50 + k),
            )
            for k, year in enumerate(years)
            for sex in ("Mænd", "Kvinder")
        )
    return plan


def approve_all(round_, user):
    """Fill in every contribution of the round, with a proposed case on every measure, submit
    and approve it; returns the contribution with the most measures."""
    for contribution in round_.contributions.all():
        contribution.items.update(category="on_track", wording="Følger tidsplanen")
        ProposedCase.objects.bulk_create(
            ProposedCase(item=item, title="Case", text="En fortælling fra praksis.")
            for item in contribution.items.all()
        )
        contribution.submit(user)
        contribution.approve(user)
    return max(round_.contributions.all(), key=lambda c: c.items.count())


def set_report(plan, year, **fields):
    """Change a report's state or publication time through save(), as the admin would, so that
    which plan-years are public follows (a queryset update() would bypass it).

    A published report never goes back to draft in the portal (AnnualReport.unpublish_message);
    tests that need a year as it was before publication set it up here, outside that rule."""
    report = AnnualReport.objects.get(plan=plan, year=year)
    unpublishing = report.state == AnnualReport.State.PUBLISHED and any(
        name in fields and fields[name] != getattr(report, name)
        for name in ("state", "published_at")
    )
    if unpublishing:
        AnnualReport.objects.filter(pk=report.pk).update(**fields)
        report.refresh_from_db()
        report._sync_public_year()
        return report
    for name, value in fields.items():
        setattr(report, name, value)
    report.save()
    return report


def correcting(plan, year, user=None):
    """Open a correction of a published plan-year (nothing to do for one that is not): rounds,
    consolidation and cases may then write the year, and the public sees the published version
    until the correction is published."""
    from initiatives.models import PublicYear

    public = PublicYear.objects.filter(plan=plan, year=year).first()
    if public and not public.correction_is_open:
        public.open_correction(user)


def open_round(plan, year, deadline, **kwargs):
    """A reporting round for the year, inside a correction when the year is published."""
    from contributions.models import ReportingRound

    correcting(plan, year, kwargs.get("user"))
    return ReportingRound.open(plan, year, deadline, **kwargs)


def workbook(rows, headers=HEADERS, cases=None) -> bytes:
    """A contribution workbook with the status rows and, when cases is a list, a Cases sheet."""
    book = openpyxl.Workbook()
    book.active.append(headers)
    for row in rows:
        book.active.append(row)
    if cases is not None:
        sheet = book.create_sheet(CASE_SHEET)
        sheet.append(CASE_HEADERS)
        for row in cases:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
