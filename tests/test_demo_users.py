"""The run command's demo cast: one user per role, development only."""

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from accounts.choices import MembershipRole
from accounts.models import Membership

pytestmark = pytest.mark.django_db


def log_in(username, password):
    # The lockout needs the request a login comes with.
    return authenticate(RequestFactory().post("/log-ind/"), username=username, password=password)


def test_it_creates_one_user_per_role_and_prints_their_credentials():
    out = StringIO()
    call_command("create_demo_users", stdout=out)
    text = out.getvalue()
    assert "demo-region-hovedstaden" in text and "Redaktør i KL" in text
    ministry = log_in("ministeriet", "demo-ministeriet")
    assert ministry.is_staff and ministry.has_perm("budget.change_budgetamount")
    assert not ministry.is_superuser
    roles = {
        m.user.username: (m.organisation.slug, m.role)
        for m in Membership.objects.select_related("user", "organisation")
    }
    assert roles["region-hovedstaden"] == ("region-hovedstaden", MembershipRole.EDITOR)
    assert roles["kl"] == ("kl", MembershipRole.EDITOR)
    assert roles["laeser"] == ("region-hovedstaden", MembershipRole.READER)
    assert not log_in("kl", "demo-kl").is_staff
    assert ministry.email == "ministeriet@example.org", "so that the console shows e-mails"


def test_running_it_twice_resets_rather_than_duplicates():
    call_command("create_demo_users", stdout=StringIO())
    call_command("create_demo_users", stdout=StringIO())
    assert Membership.objects.count() == 4


def test_it_refuses_outside_development(settings):
    settings.KRAEFTPLAN_DEMO_USERS = False
    with pytest.raises(CommandError, match="kun oprettes i udviklingsmiljøet"):
        call_command("create_demo_users", stdout=StringIO())
