"""The open-data API keeps the contract it publishes at /api/v1/openapi.json: Schemathesis
generates requests from the description (valid and invalid ones, every other method) and checks
every answer against it with all its checks. Runs on SQLite and PostgreSQL."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections

# Deterministic and modest, so the run takes well under a minute per database: a fixed seed, no
# example database, and every phase: the description's examples, the coverage phase (boundary
# values, each parameter made invalid in turn, other methods) and random fuzzing.
CONFIG = schemathesis.Config.from_dict(
    {
        "seed": 13,
        "generation": {
            "mode": "all",  # positive and negative data
            "max-examples": 30,
            "deterministic": True,
            "database": "none",
        },
        "checks": {"enabled": True},
        "phases": {
            "examples": {"enabled": True},
            "coverage": {"enabled": True},
            "fuzzing": {"enabled": True},
        },
    }
)


@pytest.fixture
def api_schema(db):
    # As Django's test client does: a real WSGI handler closes the database connection at each
    # request's start and end, which would close the test's transaction on PostgreSQL.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        # Read from the app itself, with the test database's data: the description lists the
        # plans, organisations and published years that the API accepts.
        yield schemathesis.openapi.from_wsgi(
            "/api/v1/openapi.json", get_wsgi_application(), config=CONFIG
        )
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def _node_id_for_schemathesis(request):
    # Schemathesis 4.32 names each operation's subtest by rewriting the test item's private
    # _nodeid, which pytest 9.2 no longer has; give it one so the report names the operation.
    request.node._nodeid = request.node.nodeid


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
def test_the_api_keeps_its_published_contract(case):
    # Schemathesis's WSGI client asks for gzip (as requests does) but does not unpack it: ask
    # for the plain body. tests/test_page_cache.py covers the compressed answers.
    case.call_and_validate(headers={"Accept-Encoding": "identity"})
