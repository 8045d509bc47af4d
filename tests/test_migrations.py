"""The move of organisations and the contribution workflow into apps of their own keeps every row.

Each test takes the database back to the last migrations before the move (initiatives 0007,
reports 0002, budget 0002, targets 0001), fills it through the models as they were then, migrates
to the latest migrations and reads everything back with today's models. A fixture migrates the
database forward again whatever happens, so the rest of the suite finds it as it left it.
"""

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.apps import apps as current_apps
from django.conf import settings
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from accounts.models import Membership, Organisation
from contributions.models import (
    Contribution,
    ContributionEvent,
    ContributionItem,
    Notification,
    ProposedCase,
    ReportingRound,
)
from initiatives.models import (
    Case,
    Initiative,
    Measure,
    MeasureStatus,
    Plan,
    PublicYear,
    PublishedStatus,
)
from reports.models import AnnualReport, ReportVersion

pytestmark = pytest.mark.django_db(transaction=True)

# The leaf migrations of the project's apps before the move; Django's own apps stay at theirs.
BEFORE_THE_MOVE = [
    ("initiatives", "0007_proposed_cases"),
    ("reports", "0002_report_versions"),
    ("budget", "0002_initial"),
    ("targets", "0001_initial"),
]
NEW_APPS = ("accounts", "contributions")

MOVED = {
    "accounts": [
        "organisation",
        "historicalorganisation",
        "membership",
        "historicalmembership",
    ],
    "contributions": [
        "reportinground",
        "historicalreportinground",
        "contribution",
        "historicalcontribution",
        "contributionitem",
        "historicalcontributionitem",
        "proposedcase",
        "historicalproposedcase",
        "contributionevent",
        "notification",
    ],
}
# Old model label → today's label, for every model whose label changed.
NEW_LABEL = {
    f"initiatives.{model}": f"{app}.{model}" for app, names in MOVED.items() for model in names
}
# The status↔contribution link changed sides: MeasureStatus.contributions became
# Contribution.statuses, with the same two columns.
NEW_LABEL["initiatives.measurestatus_contributions"] = "contributions.contribution_statuses"
# Models that moved and were dropped later: failed logins are django-axes' since accounts 0003.
DROPPED_LATER = {"initiatives.loginfailure"}
# Columns that are gone on purpose: a status no longer points at its report.
DROPPED_COLUMNS = {
    "initiatives.measurestatus": {"report_id"},
    "initiatives.historicalmeasurestatus": {"report_id"},
}
# Rows compared one by one before and after (content types change on purpose: checked apart).
COMPARED_APPS = {"auth", "admin", "sessions", "initiatives", "reports", "budget", "targets"}

PUBLISHED_AT = datetime(2021, 3, 15, 9, 30, 12, 345678, tzinfo=UTC)


def migrate_to(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    ContentType.objects.clear_cache()


def old_state_nodes(graph):
    """The migration nodes of the state before the move; apps that are not the project's own
    (Django's, axes, the task queue) stay at their leaves."""
    others = [node for node in graph.leaf_nodes() if not is_project_app(node[0])]
    return BEFORE_THE_MOVE + others


def is_project_app(label):
    path = Path(current_apps.get_app_config(label).path)
    return path.parent == settings.BASE_DIR


def migrate_to_the_old_state():
    """Migrate back to before the move; the models of that state.

    Apps that did not exist then (accounts, contributions) lose all their migrations."""
    graph = MigrationExecutor(connection).loader.graph
    nodes = old_state_nodes(graph)
    later_apps = sorted({app for app, _ in graph.leaf_nodes()} - {app for app, _ in nodes})
    assert set(NEW_APPS) <= set(later_apps)
    migrate_to(nodes + [(app, None) for app in later_apps])
    executor = MigrationExecutor(connection)
    applied = set(executor.loader.applied_migrations)
    assert not {node for node in applied if node[0] in later_apps}
    assert ("initiatives", "0008_organisations_and_rounds_move_out") not in applied
    return executor.loader.project_state(nodes).apps


def migrate_to_the_latest_state():
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    migrate_to(executor.loader.graph.leaf_nodes())


def record_history(apps, obj, user, when):
    """A simple_history row for obj, as HistoricalRecords would have written it then."""
    historical = apps.get_model(obj._meta.app_label, "Historical" + obj._meta.object_name)
    values = {field.attname: getattr(obj, field.attname) for field in obj._meta.concrete_fields}
    return historical._base_manager.create(
        **values,
        history_date=when,
        history_type="+",
        history_user_id=user.pk,
        history_change_reason="migration test",
    )


def fill_the_old_database(apps):
    """Rows of every kind the move touches, written through the models as they were."""

    def model(label):
        return apps.get_model(label)

    now = timezone.now()
    made = SimpleNamespace()

    User = model("auth.User")
    staff = User.objects.create(
        username="mig-staff", email="mig-staff@example.org", is_staff=True, password="!"
    )
    editor = User.objects.create(
        username="mig-editor", email="mig-editor@example.org", password="!"
    )
    made.staff, made.editor = staff.pk, editor.pk

    Organisation_ = model("initiatives.Organisation")
    region = Organisation_.objects.create(
        name="Migrationstest Region", slug="migrationstest-region", kind="region"
    )
    hospital = Organisation_.objects.create(
        name="Migrationstest Hospital",
        short_name="MTH",
        slug="migrationstest-hospital",
        kind="hospital",
        parent=region,
        description="Et hospital i regionen.",
    )
    municipality = Organisation_.objects.create(
        name="Migrationstest Kommune", slug="migrationstest-kommune", kind="municipality"
    )
    made.region, made.hospital, made.municipality = region.pk, hospital.pk, municipality.pk
    membership = model("initiatives.Membership").objects.create(
        user=editor, organisation=hospital, role="editor"
    )
    made.membership = membership.pk
    made.login_failure = model("initiatives.LoginFailure").objects.create(username="mig-editor").pk

    plan = model("initiatives.Plan").objects.create(
        name="Migrationstestplan",
        short_name="Migrationstest",
        slug="migrationstestplan",
        state="running",
        start_year=2019,
        end_year=2021,
        permanent_from_year=2022,
    )
    plan.parties.add(region, municipality)
    made.plan = plan.pk
    element = model("initiatives.MainElement").objects.create(
        plan=plan, position=1, title="Hovedelement om tidlig opsporing"
    )
    initiative = model("initiatives.Initiative").objects.create(
        plan=plan,
        main_element=element,
        number="1",
        code="mt-1",
        position=1,
        title="Hurtigere udredning",
        level="regional",
    )
    made.initiative = initiative.pk
    Responsibility = model("initiatives.Responsibility")
    lead = Responsibility.objects.create(initiative=initiative, organisation=hospital, role="lead")
    Responsibility.objects.create(initiative=initiative, organisation=municipality, role="shared")
    Measure_ = model("initiatives.Measure")
    first = Measure_.objects.create(initiative=initiative, position=1, number="1.1", title="A")
    second = Measure_.objects.create(initiative=initiative, position=2, number="1.2", title="B")
    made.first_measure, made.second_measure = first.pk, second.pk

    AnnualReport_ = model("reports.AnnualReport")
    published = AnnualReport_.objects.create(
        plan=plan,
        year=2020,
        title="Status på Migrationstestplan - 2020",
        state="published",
        published_at=PUBLISHED_AT,
    )
    draft = AnnualReport_.objects.create(
        plan=plan, year=2021, title="Status på Migrationstestplan - 2021"
    )
    made.published_report, made.draft_report = published.pk, draft.pk
    made.version = (
        model("reports.ReportVersion")
        .objects.create(
            report=published,
            number=1,
            published_at=PUBLISHED_AT,
            published_by=staff,
            created_at=now,
            web_html="<h1>Status</h1>",
            print_html="<h1>Status</h1>",
            pdf=b"%PDF-1.7 migrationstest",
            data={"statuses": 2, "year": 2020},
        )
        .pk
    )

    MeasureStatus_ = model("initiatives.MeasureStatus")
    statuses = {
        "published": MeasureStatus_.objects.create(
            measure=first,
            year=2020,
            category="on_track",
            wording="Forløber planmæssigt",
            narrative="Udredningen er **hurtigere**.",
            source="Status 2020",
            report=published,
        ),
        "published_second": MeasureStatus_.objects.create(
            measure=second, year=2020, category="delayed", wording="Forsinket", report=published
        ),
        "draft": MeasureStatus_.objects.create(
            measure=first, year=2021, category="completed", wording="Afsluttet", report=draft
        ),
        "unreported": MeasureStatus_.objects.create(
            measure=first, year=2019, category="not_started", wording="Ikke startet"
        ),
    }
    made.statuses = {name: status.pk for name, status in statuses.items()}

    case = model("initiatives.Case").objects.create(
        initiative=initiative,
        label="Case 1",
        number=1,
        title="Kortere ventetid i Nordsjælland",
        organisation=hospital,
        year=2020,
        text="Ventetiden faldt.",
    )
    made.case = case.pk

    round_ = model("initiatives.ReportingRound").objects.create(
        plan=plan, year=2020, deadline=date(2021, 1, 31), opened_by=staff
    )
    made.round = round_.pk
    Contribution_ = model("initiatives.Contribution")
    approved = Contribution_.objects.create(
        round=round_,
        organisation=hospital,
        state="approved",
        general_comment="Alt i alt godt på vej.",
        revision=3,
    )
    drafted = Contribution_.objects.create(round=round_, organisation=municipality)
    made.approved, made.drafted = approved.pk, drafted.pk
    Item = model("initiatives.ContributionItem")
    first_item = Item.objects.create(
        contribution=approved,
        measure=first,
        category="on_track",
        wording="Planmæssigt",
        narrative="Som planlagt.",
    )
    second_item = Item.objects.create(
        contribution=approved, measure=second, category="delayed", wording="Forsinket"
    )
    draft_item = Item.objects.create(contribution=drafted, measure=first)
    made.items = [first_item.pk, second_item.pk, draft_item.pk]
    ProposedCase_ = model("initiatives.ProposedCase")
    adopted = ProposedCase_.objects.create(
        item=first_item, title=case.title, text=case.text, adopted_as=case
    )
    waiting = ProposedCase_.objects.create(
        item=second_item, title="Et andet forløb", text="Endnu ikke brugt."
    )
    made.adopted, made.waiting = adopted.pk, waiting.pk
    Event = model("initiatives.ContributionEvent")
    made.events = [
        Event.objects.create(contribution=approved, action="opened", actor=staff).pk,
        Event.objects.create(contribution=approved, action="submitted", actor=editor).pk,
        Event.objects.create(
            contribution=approved, action="approved", actor=staff, comment="Tak!"
        ).pk,
        Event.objects.create(contribution=drafted, action="opened", actor=staff).pk,
    ]
    made.notification = (
        model("initiatives.Notification")
        .objects.create(contribution=approved, key="approved", recipients="mig-editor@example.org")
        .pk
    )
    statuses["published"].contributions.add(approved)

    BudgetLine = model("budget.BudgetLine")
    line = BudgetLine.objects.create(
        plan=plan,
        section=element,
        position=1,
        label="Hurtigere udredning",
        recipient="regions",
        stated_total=Decimal("10.0"),
        permanent_amount=Decimal("2.5"),
        permanent_from_year=2022,
        initiative=initiative,
        measure=first,
    )
    sub_line = BudgetLine.objects.create(
        plan=plan, parent=line, position=2, label="Heraf udstyr", initiative=initiative
    )
    made.budget_lines = [line.pk, sub_line.pk]
    made.amount = (
        model("budget.BudgetAmount").objects.create(line=line, year=2020, amount=Decimal("4.5")).pk
    )
    target = model("targets.NationalTarget").objects.create(
        plan=plan,
        number=1,
        title="Flere overlever",
        target_year=2030,
        target_value=Decimal("75.0"),
        target_unit="pct.",
    )
    target.initiatives.add(initiative)
    indicator = model("targets.Indicator").objects.create(
        plan=plan, position=1, name="Femårsoverlevelse", target=target, initiative=initiative
    )
    made.target, made.indicator = target.pk, indicator.pk
    made.measurement = (
        model("targets.Measurement")
        .objects.create(
            indicator=indicator,
            period="2020",
            period_start=2020,
            period_end=2020,
            value=Decimal("63.2"),
            share=Decimal("63.2"),
        )
        .pk
    )

    made.history = {
        "organisation": record_history(apps, hospital, staff, now).pk,
        "membership": record_history(apps, membership, staff, now).pk,
        "reportinground": record_history(apps, round_, staff, now).pk,
        "contribution": record_history(apps, approved, editor, now).pk,
        "contributionitem": record_history(apps, first_item, editor, now).pk,
        "proposedcase": record_history(apps, adopted, editor, now).pk,
        "measurestatus": record_history(apps, statuses["published"], staff, now).pk,
        "case": record_history(apps, case, staff, now).pk,
    }
    record_history(apps, region, staff, now)
    record_history(apps, lead, staff, now)

    # The admin's bookkeeping about the moved models: content types, permissions, log entries.
    ContentType_ = model("contenttypes.ContentType")
    made.content_types = {
        name: ContentType_.objects.get_or_create(app_label="initiatives", model=name)[0].pk
        for names in MOVED.values()
        for name in names
    }
    Permission_ = model("auth.Permission")
    change_organisation, _ = Permission_.objects.get_or_create(
        content_type_id=made.content_types["organisation"],
        codename="change_organisation",
        defaults={"name": "Can change organisation"},
    )
    view_contribution, _ = Permission_.objects.get_or_create(
        content_type_id=made.content_types["contribution"],
        codename="view_contribution",
        defaults={"name": "Can view contribution"},
    )
    made.permissions = [change_organisation.pk, view_contribution.pk]
    editor.user_permissions.add(change_organisation)
    group = model("auth.Group").objects.create(name="Migrationstest læsere af bidrag")
    group.permissions.add(view_contribution)
    editor.groups.add(group)
    LogEntry_ = model("admin.LogEntry")
    made.log_entries = {
        name: LogEntry_.objects.create(
            user=staff,
            content_type_id=made.content_types[name],
            object_id=str(pk),
            object_repr=repr_,
            action_flag=flag,
            change_message="[]",
        ).pk
        for name, pk, repr_, flag in [
            ("organisation", hospital.pk, hospital.name, CHANGE),
            ("reportinground", round_.pk, "Migrationstest 2020", ADDITION),
            ("contribution", approved.pk, "Migrationstest Hospital", CHANGE),
        ]
    }
    return made


def snapshot(apps):
    """Every row of every model (and many-to-many table) of the compared apps, by label."""
    return {
        model._meta.label_lower: list(model._base_manager.order_by("pk").values())
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in COMPARED_APPS
    }


@pytest.fixture
def old_apps(transactional_db):
    """The database at the migrations before the move; the models of that state.

    Whatever the test does, the database ends at the latest migrations again."""
    ContentType.objects.clear_cache()
    try:
        yield migrate_to_the_old_state()
    finally:
        migrate_to_the_latest_state()


@pytest.fixture
def moved(old_apps):
    """The old database filled and migrated to the latest state: what was made, and every row
    as it was before."""
    made = fill_the_old_database(old_apps)
    made.rows_before = snapshot(old_apps)
    migrate_to_the_latest_state()
    return made


def check_every_old_row_is_found_again_with_its_values(moved):
    for label in NEW_LABEL:
        assert moved.rows_before[label], f"the test wrote no {label} row"
    current_labels = {
        model._meta.label_lower for model in current_apps.get_models(include_auto_created=True)
    }
    kept = set(moved.rows_before) - DROPPED_LATER
    assert {NEW_LABEL.get(label, label) for label in kept} <= current_labels
    for app, names in MOVED.items():
        assert {f"{app}.{name}" for name in names} <= current_labels

    # A later migration (reports 0003) keeps Kræftplan IV's 2017-2019 reports, which the sources
    # hold by their dates only, as published outside the portal.
    kp4 = current_apps.get_model("initiatives", "Plan").objects.filter(slug="kraeftplan-iv")
    invented = {(plan.pk, year) for plan in kp4 for year in (2017, 2018, 2019)}

    def as_migrated(label, row):
        if label == "reports.annualreport" and (row["plan_id"], row["year"]) in invented:
            return {**row, "state": "external", "published_at": None, "overall_status": ""}
        return row

    for old_label, rows in moved.rows_before.items():
        if old_label in DROPPED_LATER:
            continue
        model = current_apps.get_model(NEW_LABEL.get(old_label, old_label))
        dropped = DROPPED_COLUMNS.get(old_label, set())
        expected = [
            as_migrated(old_label, {k: v for k, v in row.items() if k not in dropped})
            for row in rows
        ]
        # Only the columns of before the move: later migrations may add columns of their own.
        columns = list(expected[0]) if expected else ["pk"]
        found = list(model._base_manager.order_by("pk").values(*columns))
        assert found == expected, old_label


def check_the_moved_models_have_tables_of_their_own():
    tables = set(connection.introspection.table_names())
    for app, names in MOVED.items():
        for name in names:
            model = current_apps.get_model(app, name)
            assert model._meta.db_table == f"{app}_{name}"
            assert model._meta.db_table in tables
            assert f"initiatives_{name}" not in tables
    assert "contributions_contribution_statuses" in tables
    assert "initiatives_measurestatus_contributions" not in tables
    assert "report_id" not in {
        column.name
        for column in connection.introspection.get_table_description(
            connection.cursor(), "initiatives_measurestatus"
        )
    }


def check_the_moved_rows_keep_their_relations(moved):
    region = Organisation.objects.get(pk=moved.region)
    hospital = Organisation.objects.get(pk=moved.hospital)
    municipality = Organisation.objects.get(pk=moved.municipality)
    assert (hospital.name, hospital.short_name, hospital.kind) == (
        "Migrationstest Hospital",
        "MTH",
        "hospital",
    )
    assert hospital.parent == region
    assert list(region.children.all()) == [hospital]

    editor = get_user_model().objects.get(pk=moved.editor)
    membership = Membership.objects.get(pk=moved.membership)
    assert (membership.user, membership.organisation, membership.role) == (
        editor,
        hospital,
        "editor",
    )
    assert editor.membership.can_edit

    plan = Plan.objects.get(pk=moved.plan)
    assert set(plan.parties.all()) == {region, municipality}
    assert set(region.plans.all()) == {plan}
    initiative = Initiative.objects.get(pk=moved.initiative)
    assert set(initiative.organisations.all()) == {hospital, municipality}
    assert initiative.responsibilities.get(organisation=hospital).role == "lead"
    assert [r.initiative for r in municipality.responsibilities.all()] == [initiative]

    case = Case.objects.get(pk=moved.case)
    assert case.organisation == hospital
    assert list(hospital.cases.all()) == [case]

    round_ = ReportingRound.objects.get(pk=moved.round)
    assert (round_.plan, round_.year, round_.deadline) == (plan, 2020, date(2021, 1, 31))
    assert round_.opened_by_id == moved.staff
    assert list(plan.rounds.all()) == [round_]

    approved = Contribution.objects.get(pk=moved.approved)
    drafted = Contribution.objects.get(pk=moved.drafted)
    assert (approved.round, approved.organisation, approved.state, approved.revision) == (
        round_,
        hospital,
        "approved",
        3,
    )
    assert approved.general_comment == "Alt i alt godt på vej."
    assert (drafted.round, drafted.organisation, drafted.state) == (round_, municipality, "draft")
    assert set(round_.contributions.all()) == {approved, drafted}

    published_status = MeasureStatus.objects.get(pk=moved.statuses["published"])
    assert list(approved.statuses.all()) == [published_status]
    assert list(published_status.contributions.all()) == [approved]
    assert not drafted.statuses.exists()
    for name in ("published_second", "draft", "unreported"):
        assert not MeasureStatus.objects.get(pk=moved.statuses[name]).contributions.exists()
    assert published_status.measure_id == moved.first_measure
    assert (published_status.category, published_status.wording) == (
        "on_track",
        "Forløber planmæssigt",
    )

    first_item, second_item, draft_item = (
        ContributionItem.objects.get(pk=pk) for pk in moved.items
    )
    assert [item.pk for item in approved.items.order_by("pk")] == moved.items[:2]
    assert (first_item.measure, first_item.category, first_item.narrative) == (
        Measure.objects.get(pk=moved.first_measure),
        "on_track",
        "Som planlagt.",
    )
    assert second_item.measure_id == moved.second_measure
    assert (draft_item.contribution, draft_item.measure_id) == (drafted, moved.first_measure)

    adopted = ProposedCase.objects.get(pk=moved.adopted)
    waiting = ProposedCase.objects.get(pk=moved.waiting)
    assert (adopted.item, adopted.adopted_as) == (first_item, case)
    assert case.proposal == adopted
    assert (waiting.item, waiting.adopted_as) == (second_item, None)

    events = ContributionEvent.objects.filter(pk__in=moved.events).order_by("pk")
    assert [(e.contribution_id, e.action, e.actor_id, e.comment) for e in events] == [
        (approved.pk, "opened", moved.staff, ""),
        (approved.pk, "submitted", moved.editor, ""),
        (approved.pk, "approved", moved.staff, "Tak!"),
        (drafted.pk, "opened", moved.staff, ""),
    ]
    notification = Notification.objects.get(pk=moved.notification)
    assert (notification.contribution, notification.key, notification.recipients) == (
        approved,
        "approved",
        "mig-editor@example.org",
    )

    published = AnnualReport.objects.get(pk=moved.published_report)
    assert (published.plan, published.year, published.state) == (plan, 2020, "published")
    assert published.published_at == PUBLISHED_AT
    version = ReportVersion.objects.get(pk=moved.version)
    assert (version.report, version.number, version.data) == (
        published,
        1,
        {"statuses": 2, "year": 2020},
    )
    assert bytes(version.pdf) == b"%PDF-1.7 migrationstest"
    assert AnnualReport.objects.get(pk=moved.draft_report).state == "draft"

    line, sub_line = (plan.budget_lines.get(pk=pk) for pk in moved.budget_lines)
    assert (line.initiative, line.measure_id, line.stated_total) == (
        initiative,
        moved.first_measure,
        Decimal("10.0"),
    )
    assert sub_line.parent == line
    assert line.amounts.get(pk=moved.amount).amount == Decimal("4.5")
    target = plan.targets.get(pk=moved.target)
    assert list(target.initiatives.all()) == [initiative]
    indicator = target.indicators.get(pk=moved.indicator)
    assert indicator.measurements.get(pk=moved.measurement).value == Decimal("63.2")


def check_a_published_report_made_its_plan_year_public_and_a_draft_did_not(moved):
    assert list(
        PublicYear.objects.filter(plan_id=moved.plan).values_list("year", "public_from")
    ) == [(2020, PUBLISHED_AT)]
    # The same holds for every report in the database (the seeds' too, when they are loaded).
    assert set(PublicYear.objects.values_list("plan_id", "year", "public_from")) == set(
        AnnualReport.objects.filter(state="published").values_list(
            "plan_id", "year", "published_at"
        )
    )
    assert PublicYear.objects.count() == AnnualReport.objects.filter(state="published").count()
    assert not PublishedStatus.objects.filter(pk=moved.statuses["draft"]).public().exists()
    assert PublishedStatus.objects.filter(pk=moved.statuses["published"]).public().exists()


def check_permissions_and_admin_log_entries_follow_the_moved_content_types(moved):
    for app, names in MOVED.items():
        for name in names:
            content_type = ContentType.objects.get(pk=moved.content_types[name])
            assert (content_type.app_label, content_type.model) == (app, name)
            assert content_type.model_class() is current_apps.get_model(app, name)
    assert not ContentType.objects.filter(
        app_label="initiatives", model__in=[n for names in MOVED.values() for n in names]
    ).exists()
    assert ContentType.objects.get_for_model(Organisation).pk == moved.content_types["organisation"]

    change_organisation, view_contribution = (
        Permission.objects.get(pk=pk) for pk in moved.permissions
    )
    assert change_organisation.content_type.app_label == "accounts"
    assert view_contribution.content_type.app_label == "contributions"
    editor = get_user_model().objects.get(pk=moved.editor)
    assert editor.has_perm("accounts.change_organisation")
    assert editor.has_perm("contributions.view_contribution")
    assert not editor.has_perm("contributions.change_contribution")

    expected = {
        "organisation": Organisation.objects.get(pk=moved.hospital),
        "reportinground": ReportingRound.objects.get(pk=moved.round),
        "contribution": Contribution.objects.get(pk=moved.approved),
    }
    for name, obj in expected.items():
        entry = LogEntry.objects.get(pk=moved.log_entries[name])
        assert entry.content_type_id == moved.content_types[name]
        assert entry.get_edited_object() == obj
        assert entry.get_admin_url().endswith(f"/{obj._meta.app_label}/{name}/{obj.pk}/change/")


def check_the_history_of_the_moved_models_survives(moved):
    staff, editor = moved.staff, moved.editor
    hospital = Organisation.objects.get(pk=moved.hospital)
    record = hospital.history.get()
    assert (record.history_id, record.name, record.parent_id) == (
        moved.history["organisation"],
        "Migrationstest Hospital",
        moved.region,
    )
    assert (record.history_type, record.history_user_id) == ("+", staff)
    assert record.instance == hospital
    assert Organisation.history.filter(id=moved.region).count() == 1

    membership = Membership.objects.get(pk=moved.membership).history.get()
    assert (membership.history_id, membership.organisation_id, membership.user_id) == (
        moved.history["membership"],
        moved.hospital,
        editor,
    )
    round_ = ReportingRound.objects.get(pk=moved.round).history.get()
    assert (round_.history_id, round_.plan_id, round_.opened_by_id) == (
        moved.history["reportinground"],
        moved.plan,
        staff,
    )
    contribution = Contribution.objects.get(pk=moved.approved).history.get()
    assert (contribution.history_id, contribution.state, contribution.history_user_id) == (
        moved.history["contribution"],
        "approved",
        editor,
    )
    item = ContributionItem.objects.get(pk=moved.items[0]).history.get()
    assert (item.history_id, item.measure_id) == (
        moved.history["contributionitem"],
        moved.first_measure,
    )
    proposal = ProposedCase.objects.get(pk=moved.adopted).history.get()
    assert (proposal.history_id, proposal.adopted_as_id) == (
        moved.history["proposedcase"],
        moved.case,
    )
    status = MeasureStatus.objects.get(pk=moved.statuses["published"]).history.get()
    assert (status.history_id, status.wording) == (
        moved.history["measurestatus"],
        "Forløber planmæssigt",
    )
    case = Case.objects.get(pk=moved.case).history.get()
    assert (case.history_id, case.organisation_id) == (moved.history["case"], moved.hospital)
    assert case.organisation == hospital


def test_every_row_survives_the_move_to_the_new_apps(moved):
    """One test for the whole move: each migration round trip takes seconds."""
    check_every_old_row_is_found_again_with_its_values(moved)
    check_the_moved_models_have_tables_of_their_own()
    check_the_moved_rows_keep_their_relations(moved)
    check_a_published_report_made_its_plan_year_public_and_a_draft_did_not(moved)
    check_permissions_and_admin_log_entries_follow_the_moved_content_types(moved)
    check_the_history_of_the_moved_models_survives(moved)


def test_migrating_back_gives_every_status_its_report_again(moved):
    old = migrate_to_the_old_state()

    MeasureStatus_ = old.get_model("initiatives", "MeasureStatus")
    reports = {
        name: MeasureStatus_.objects.get(pk=pk).report_id for name, pk in moved.statuses.items()
    }
    assert reports == {
        "published": moved.published_report,
        "published_second": moved.published_report,
        "draft": moved.draft_report,
        "unreported": None,
    }
    assert list(
        MeasureStatus_.objects.get(pk=moved.statuses["published"]).contributions.values_list(
            "pk", flat=True
        )
    ) == [moved.approved]
    hospital = old.get_model("initiatives", "Organisation").objects.get(pk=moved.hospital)
    assert hospital.parent_id == moved.region
    contribution = old.get_model("initiatives", "Contribution").objects.get(pk=moved.approved)
    assert (contribution.organisation_id, contribution.round_id) == (moved.hospital, moved.round)
    proposal = old.get_model("initiatives", "ProposedCase").objects.get(pk=moved.adopted)
    assert proposal.adopted_as_id == moved.case

    # Every row is back as it was, but the history of statuses: it no longer knows the report.
    forgotten = "initiatives.historicalmeasurestatus"
    rows_after = snapshot(old)
    assert rows_after.keys() == moved.rows_before.keys()
    for label, rows in moved.rows_before.items():
        if label in DROPPED_LATER:
            assert rows_after[label] == [], label
            continue
        if label == forgotten:
            rows = [{**row, "report_id": None} for row in rows]
        assert rows_after[label] == rows, label

    ContentType_ = old.get_model("contenttypes", "ContentType")
    for names in MOVED.values():
        for name in names:
            assert ContentType_.objects.get(pk=moved.content_types[name]).app_label == (
                "initiatives"
            )
    tables = set(connection.introspection.table_names())
    assert "initiatives_organisation" in tables
    assert "initiatives_measurestatus_contributions" in tables
    assert "accounts_organisation" not in tables
    assert "initiatives_publicyear" not in tables

    # And forward again: the round trip loses nothing and makes no plan-year public twice.
    migrate_to_the_latest_state()
    check_every_old_row_is_found_again_with_its_values(moved)
    check_the_moved_models_have_tables_of_their_own()
    check_a_published_report_made_its_plan_year_public_and_a_draft_did_not(moved)
    check_permissions_and_admin_log_entries_follow_the_moved_content_types(moved)
