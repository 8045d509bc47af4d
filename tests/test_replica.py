"""The public side reads from a read replica (kraeftplan.dbrouter), everything else from the
primary, and a publication is seen at once even while the replica lags behind.

The replica here is the test settings' mirror of the test database: the same database through a
connection of its own, in a transaction of its own. It does not see what a test writes in the
test's transaction (rolled back at the end), which makes it a replica that lags behind.

That needs PostgreSQL: SQLite's test database is one in-memory database in shared-cache mode, and
Django's TestCase opens a write transaction (BEGIN IMMEDIATE here) on the mirror too, which SQLite
refuses beside the primary's ("database table is locked"). Those tests skip on SQLite; the
router's rules and the settings are tested on both.
"""

import importlib
import sys

import pytest
from django.contrib.auth import get_user_model
from django.db import DEFAULT_DB_ALIAS, connections, router
from django.test.utils import CaptureQueriesContext

from initiatives.models import MeasureStatus, Plan
from kraeftplan.dbrouter import PublicReadRouter, public_reads, replica_caught_up
from kraeftplan.models import PublicDataVersion
from tests.builders import correcting
from tests.conftest import make_user

with_replica = [
    pytest.mark.skipif(
        connections[DEFAULT_DB_ALIAS].vendor != "postgresql",
        reason="a mirror of SQLite's in-memory test database cannot hold a transaction beside it",
    ),
    pytest.mark.django_db(databases=[DEFAULT_DB_ALIAS, "replica"]),
]


def on_postgresql(test):
    for mark in with_replica:
        test = mark(test)
    return test


PAGE = "/planer/kraeftplan-iv/"
VERSION_TABLE = PublicDataVersion._meta.db_table


@pytest.fixture(autouse=True, scope="module")
def _close_the_replica():
    """The mirror's connection is closed before the test database is dropped."""
    yield
    connections["replica"].close()


@pytest.fixture(autouse=True)
def _replica(settings):
    # settings.KRAEFTPLAN_READ_REPLICA is "" in the test settings, so no other test reads it.
    settings.KRAEFTPLAN_READ_REPLICA = "replica"


def queries(path, client):
    """The response to path and the SQL it sent to the primary and to the replica."""
    with (
        CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as primary,
        CaptureQueriesContext(connections["replica"]) as replica,
    ):
        response = client.get(path)
    assert response.status_code == 200
    return response, [q["sql"] for q in primary], [q["sql"] for q in replica]


@on_postgresql
def test_a_public_page_reads_its_data_from_the_replica(client):
    response, primary, replica = queries(PAGE, client)
    assert "Kræftplan IV" in response.content.decode()
    # The primary: the page store's version token and the check that the replica has caught up.
    assert len(primary) == 2 and all(VERSION_TABLE in sql for sql in primary)
    # The replica: the same token, then every query of the page.
    assert VERSION_TABLE in replica[0]
    assert len(replica) > 2
    assert any(Plan._meta.db_table in sql for sql in replica[1:])


@on_postgresql
def test_a_stored_page_costs_the_replica_nothing(client):
    queries(PAGE, client)
    response, primary, replica = queries(PAGE, client)
    assert response.has_header("ETag")
    assert len(primary) == 1 and replica == []


@on_postgresql
def test_the_admin_and_contributors_read_the_primary(client, ministry):
    client.force_login(ministry)
    for path in ("/admin/initiatives/initiative/", PAGE, "/bidrag/"):
        _response, primary, replica = queries(path, client)
        assert replica == [], path
        assert primary


@on_postgresql
def test_a_publication_is_seen_at_once_while_the_replica_lags(client, ministry):
    before, _primary, _replica = queries(PAGE, client)
    status = MeasureStatus.objects.filter(
        year=2020, measure__initiative__plan__slug="kraeftplan-iv"
    ).first()
    correcting(status.measure.initiative.plan, 2020, ministry)
    status.wording = "Ny ordlyd, offentliggjort lige nu"
    status.save()
    report = status.measure.initiative.plan.reports.get(year=2020)
    report.publish(user=ministry, note="Ny ordlyd")
    assert not replica_caught_up("replica")  # the replica has not seen the publication

    url = f"/initiativer/kraeftplan-iv/{status.measure.initiative.number}/"
    response, primary, replica = queries(url, client)
    assert "Ny ordlyd, offentliggjort lige nu" in response.content.decode()
    assert "Ny ordlyd, offentliggjort lige nu" not in before.content.decode()
    # The replica was asked for its version only; the page came from the primary.
    assert len(replica) == 1 and VERSION_TABLE in replica[0]
    assert len(primary) > 2


@on_postgresql
def test_writes_go_to_the_primary_even_for_an_object_read_from_the_replica():
    with public_reads("replica"):
        assert router.db_for_read(Plan) == "replica"
        assert router.db_for_read(PublicDataVersion) == DEFAULT_DB_ALIAS  # not public data
        plan = Plan.objects.get(slug="kraeftplan-iv")
        assert plan._state.db == "replica"
        assert router.db_for_write(Plan, instance=plan) == DEFAULT_DB_ALIAS
        with CaptureQueriesContext(connections["replica"]) as replica:
            plan.save()
        assert [sql for sql in (q["sql"] for q in replica) if "UPDATE" in sql] == []
    assert router.db_for_read(Plan) == DEFAULT_DB_ALIAS  # outside a public request


def test_the_router_s_rules():
    ours = PublicReadRouter()
    assert ours.allow_migrate(DEFAULT_DB_ALIAS, "initiatives") is True
    assert ours.allow_migrate("replica", "initiatives") is False
    assert ours.db_for_read(Plan) is None  # outside a public request: default
    with public_reads("replica"):
        assert ours.db_for_read(Plan) == "replica"
        assert ours.db_for_read(MeasureStatus) == "replica"
        assert ours.db_for_read(PublicDataVersion) is None  # read where the writes are
        assert ours.db_for_read(get_user_model()) is None
        assert ours.db_for_write(Plan) == DEFAULT_DB_ALIAS
    assert ours.db_for_read(Plan) is None


@on_postgresql
def test_relations_span_the_primary_and_the_replica():
    ours = PublicReadRouter()
    from_replica = Plan.objects.using("replica").get(slug="kraeftplan-iv")
    from_primary = make_user("relation-check")
    assert ours.allow_relation(from_replica, from_primary) is True


@on_postgresql
def test_without_a_replica_everything_reads_the_primary(client, settings):
    settings.KRAEFTPLAN_READ_REPLICA = ""
    _response, primary, replica = queries(PAGE, client)
    assert replica == [] and len(primary) > 2


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["", "postgres://kraeftplan:pw@replica.internal:5432/kraeftplan"])
def test_database_replica_url_adds_the_replica_alias(monkeypatch, url):
    monkeypatch.setenv("DATABASE_REPLICA_URL", url)
    sys.modules.pop("kraeftplan.settings.base", None)
    try:
        base = importlib.import_module("kraeftplan.settings.base")
    finally:
        sys.modules.pop("kraeftplan.settings.base", None)
    if url:
        assert base.DATABASES["replica"]["HOST"] == "replica.internal"
        assert base.KRAEFTPLAN_READ_REPLICA == "replica"
    else:
        assert "replica" not in base.DATABASES and base.KRAEFTPLAN_READ_REPLICA == ""
    assert base.DATABASE_ROUTERS == ["kraeftplan.dbrouter.PublicReadRouter"]
