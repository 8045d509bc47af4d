"""Shared test set-up: the seeds loaded once per session, a fixed cast of users, builders.

Cast (see accounts.roles): ``ministry`` (staff), ``editor_rh`` (editor at Region Hovedstaden),
``editor_kl`` (editor at KL), ``reader`` (read-only member at Region Hovedstaden) and
``outsider`` (a logged-in user with no organisation).
"""

import os
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from accounts.choices import MembershipRole
from accounts.models import Membership, Organisation
from accounts.roles import ensure_ministry_group
from fixtures.loader import SeedLoader
from initiatives.models import Case, Initiative, Measure, MeasureStatus, Plan, PublicYear
from tests.builders import set_report

# The source documents the fixtures are checked against. They live outside the repository, in
# ../shared/seeds beside it; KP_SEEDS_DIR points elsewhere (or at a missing directory, to see how
# a clone without them behaves).
SEEDS_DIR = Path(
    os.environ.get("KP_SEEDS_DIR")
    or Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"
)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the seed fixtures once; tests run inside transactions that roll back to this."""
    with django_db_blocker.unblock():
        SeedLoader().load()
        # Tests start with an empty queue: what loading the seeds queued is not theirs to run.
        DBTaskResult.objects.all().delete()


def run_tasks():
    """Run what is queued, as the worker does (its own command, against the real backend).

    The worker recycles database connections between tasks, as a request does; inside a test's
    transaction that would close the connection (PostgreSQL), so it is left out here, as
    Django's test client leaves it out of its requests."""
    recycle = db_worker.close_old_connections
    db_worker.close_old_connections = lambda: None
    try:
        call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", verbosity=0)
    finally:
        db_worker.close_old_connections = recycle


def render_published_pdfs():
    """The report PDFs are files the worker renders when a version is published."""
    from reports.models import ReportVersion

    for version in ReportVersion.objects.all():
        version.queue_pdf()
    run_tasks()


def queued(task):
    """How many runs of task wait in the queue."""
    return DBTaskResult.objects.filter(task_path=task.module_path, status="READY").count()


@pytest.fixture
def seed_text():
    """The text of a seed document, read from SEEDS_DIR (../shared/seeds unless KP_SEEDS_DIR).

    Skips the test when the directory is not there (a clone without ../shared beside it); when
    it is there, a missing or ambiguous document fails the test.
    """
    if not SEEDS_DIR.is_dir():
        if os.environ.get("KP_REQUIRE_SEEDS"):  # CI has the documents: their absence is an error
            pytest.fail(f"KP_REQUIRE_SEEDS is set, but {SEEDS_DIR} is not there")
        pytest.skip(
            f"the source documents in {SEEDS_DIR} are not here; CI has them "
            "(set KP_SEEDS_DIR to point elsewhere)"
        )

    def read(prefix: str) -> str:
        paths = sorted(SEEDS_DIR.glob(f"{prefix}_*.txt"))
        assert len(paths) == 1, f"expected one {prefix}_*.txt in {SEEDS_DIR}, found {paths}"
        return paths[0].read_text(encoding="utf-8")

    return read


def make_user(username, *, organisation=None, role=MembershipRole.EDITOR, staff=False):
    user = get_user_model().objects.create_user(username=username, password="pw-" + username)
    if staff:
        user.is_staff = True
        user.save()
        user.groups.add(ensure_ministry_group())
    if organisation:
        Membership.objects.create(
            user=user, organisation=Organisation.objects.get(slug=organisation), role=role
        )
    return user


@pytest.fixture
def ministry(db):
    return make_user("minister", organisation="sundhedsministeriet", staff=True)


@pytest.fixture
def editor_rh(db):
    return make_user("editor-rh", organisation="region-hovedstaden")


@pytest.fixture
def editor_kl(db):
    return make_user("editor-kl", organisation="kl")


@pytest.fixture
def reader(db):
    return make_user("reader", organisation="region-hovedstaden", role=MembershipRole.READER)


@pytest.fixture
def outsider(db):
    return make_user("outsider")


@pytest.fixture
def kp4(db):
    return Plan.objects.get(slug="kraeftplan-iv")


def make_plan(slug="testplan", start_year=2030, end_year=2033, **fields):
    return Plan.objects.create(
        slug=slug,
        name=fields.pop("name", slug.title()),
        short_name=slug,
        state="running",
        start_year=start_year,
        end_year=end_year,
        **fields,
    )


def make_line(plan, label, amounts=None, parent=None, total=None, permanent=None, position=None):
    from budget.models import BudgetAmount, BudgetLine

    line = BudgetLine.objects.create(
        plan=plan,
        parent=parent,
        label=label,
        position=position or (BudgetLine.objects.filter(plan=plan).count() + 1),
        stated_total=None if total is None else Decimal(total),
        permanent_amount=None if permanent is None else Decimal(permanent),
        permanent_from_year=None if permanent is None else (plan.end_year or plan.start_year) + 1,
    )
    for year, amount in (amounts or {}).items():
        BudgetAmount.objects.create(line=line, year=year, amount=Decimal(amount))
    return line


@pytest.fixture(autouse=True)
def _no_stored_pages():
    """Every test renders its pages afresh: tests roll back to the seeds' public data version, so
    a page stored by an earlier test would otherwise be served (kraeftplan.pagecache)."""
    caches["default"].clear()


@pytest.fixture(autouse=True)
def _danish(settings):
    settings.LANGUAGE_CODE = "da"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Each test builds its files (data zip, report PDFs) in a directory of its own."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def round_(kp4, ministry):
    """The Kræftplan IV 2020 reporting round, opened for the responsible organisations.

    2020 is published, so the round belongs to a correction of the year: what it consolidates
    becomes public when the correction is published."""
    from datetime import date

    from contributions.models import ReportingRound

    PublicYear.objects.get(plan=kp4, year=2020).open_correction(ministry)
    return ReportingRound.open(kp4, 2020, date(2021, 1, 15), user=ministry)


@pytest.fixture
def rh(round_):
    """Region Hovedstaden's contribution to round_."""
    return round_.contributions.get(organisation__slug="region-hovedstaden")


DRAFT_MARKER = "HEMMELIG-UDKAST-7f3a"


@pytest.fixture
def drafts(kp4):
    """A draft 2019 report and an embargoed 2018 report, with marked statuses for both."""
    set_report(kp4, 2019, state="draft", published_at=None)
    set_report(kp4, 2018, published_at=timezone.now() + timedelta(days=7))
    for year in (2018, 2019):
        for measure in Measure.objects.filter(initiative__plan=kp4):
            MeasureStatus.objects.create(
                measure=measure,
                year=year,
                category="delayed",
                wording=f"{DRAFT_MARKER} ordlyd {year}",
                narrative=f"{DRAFT_MARKER} tekst {year}",
            )
        for n, initiative in enumerate(Initiative.objects.filter(plan=kp4), start=90):
            Case.objects.create(
                initiative=initiative,
                year=year,
                label=f"Case {n}",
                number=n,
                title=f"{DRAFT_MARKER} case {year}",
                text=f"{DRAFT_MARKER} casetekst {year}",
            )
