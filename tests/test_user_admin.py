"""Ministry staff create contributors' users in the admin, and cannot raise anyone's rights."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail

from accounts.models import Membership, Organisation
from accounts.roles import MINISTRY_GROUP
from tests.conftest import make_user
from tests.forms import form_data

pytestmark = pytest.mark.django_db

ADD = "/admin/auth/user/add/"


@pytest.fixture
def staff(client, ministry):
    client.force_login(ministry)
    return client


def test_the_ministry_group_exists_after_migrate_with_the_user_permissions():
    group = Group.objects.get(name=MINISTRY_GROUP)
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"view_user", "add_user", "change_user", "change_contribution"} <= codenames
    assert "delete_user" not in codenames


def test_staff_create_a_contributor_with_organisation_and_role(staff):
    data = form_data(staff.get(ADD), "user_form")
    kl = Organisation.objects.get(slug="kl")
    data |= {
        "username": "kl-redaktoer",
        "usable_password": "false",
        "membership-0-organisation": str(kl.pk),
        "membership-0-role": "editor",
    }
    response = staff.post(ADD, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    user = get_user_model().objects.get(username="kl-redaktoer")
    assert not user.has_usable_password() and not user.is_staff
    assert (user.membership.organisation, user.membership.role) == (kl, "editor")
    listing = staff.get("/admin/auth/user/", {"q": "kl-redaktoer"}).content.decode()
    assert '<td class="field-organisation">KL</td><td class="field-role">Redaktør</td>' in listing


def test_staff_cannot_grant_privileges(staff):
    contributor = make_user("kl-redaktoer", organisation="kl")
    url = f"/admin/auth/user/{contributor.pk}/change/"
    data = form_data(staff.get(url), "user_form")
    data |= {"is_staff": "on", "is_superuser": "on", "email": "ny@kl.dk"}
    assert staff.post(url, data).status_code == 302
    contributor.refresh_from_db()
    assert contributor.email == "ny@kl.dk"
    assert not contributor.is_staff and not contributor.is_superuser


def test_staff_cannot_change_a_superuser_or_other_staff(staff):
    root = get_user_model().objects.create_superuser("root", "root@example.org", "pw-root")
    colleague = make_user("kollega", organisation="sundhedsministeriet", staff=True)
    for user in (root, colleague):
        page = staff.get(f"/admin/auth/user/{user.pk}/change/").content.decode()
        assert 'name="email"' not in page, "shown read-only"
        response = staff.post(f"/admin/auth/user/{user.pk}/change/", {"email": "x@example.org"})
        assert response.status_code == 403
        assert staff.get(f"/admin/auth/user/{user.pk}/password/").status_code == 403
        user.refresh_from_db()
        assert user.email != "x@example.org"


def test_the_action_sends_a_link_that_sets_the_first_password(client, staff):
    contributor = make_user("kl-redaktoer", organisation="kl")
    contributor.email = "redaktoer@kl.dk"
    contributor.set_unusable_password()
    contributor.save()
    no_mail = make_user("uden-mail", organisation="kl")
    response = staff.post(
        "/admin/auth/user/",
        {
            "action": "send_password_links",
            "_selected_action": [contributor.pk, no_mail.pk],
        },
        follow=True,
    )
    page = response.content.decode()
    assert "1 e-mail(s) sendt." in page
    assert "Ikke sendt til uden-mail" in page
    (message,) = mail.outbox
    assert message.to == ["redaktoer@kl.dk"]
    assert "Kræftplan-portalen for KL" in message.body and "kl-redaktoer" in message.body
    link = re.search(r"http://testserver(/adgangskode/ny/\S+/)", message.body).group(1)
    client.logout()
    form = client.get(link, follow=True)
    url = form.redirect_chain[-1][0]
    new = "Kræftplan-2026-første"
    assert client.post(url, {"new_password1": new, "new_password2": new}).status_code == 302
    assert (
        client.post("/log-ind/", {"username": "kl-redaktoer", "password": new}).status_code == 302
    )
    assert Membership.objects.get(user=contributor).organisation.slug == "kl"
