"""Yearly contributions: opening a round, the review workflow, access for each role, conflicts."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Organisation
from contributions.models import Contribution, ContributionItem, ReportingRound
from tests.forms import form_data

pytestmark = pytest.mark.django_db


def fill(contribution, category="on_track", wording="Følger tidsplanen"):
    contribution.items.update(category=category, wording=wording)


def test_opening_a_round_invites_the_responsible_organisations(round_):
    invited = set(round_.contributions.values_list("organisation__slug", flat=True))
    assert {"region-hovedstaden", "kl", "sundhedsstyrelsen", "danske-regioner"} <= invited
    rh = round_.contributions.get(organisation__slug="region-hovedstaden")
    numbers = sorted(
        {i.measure.initiative.number for i in rh.items.select_related("measure__initiative")},
        key=int,
    )
    assert numbers == ["1", "3", "4", "14"]
    assert rh.events.get().action == "opened"


def test_a_year_outside_the_plan_cannot_be_opened(kp4):
    with pytest.raises(ValidationError, match="2021 ligger uden for planens opfølgningsperiode"):
        ReportingRound.open(kp4, 2021, date(2022, 1, 1))


class TestWorkflow:
    def test_submit_return_resubmit_approve_with_history(self, rh, editor_rh, ministry):
        with pytest.raises(ValidationError, match="Giv alle indsatser en status"):
            rh.submit(editor_rh)
        fill(rh)
        rh.submit(editor_rh)
        with pytest.raises(ValidationError, match="Sig, hvad der skal ændres"):
            rh.return_for_changes(ministry, " ")
        rh.return_for_changes(ministry, "Uddyb initiativ 14")
        assert rh.state == "returned"
        rh.submit(editor_rh)
        rh.approve(ministry)
        actions = list(rh.events.values_list("action", "comment"))
        assert actions == [
            ("opened", ""),
            ("submitted", ""),
            ("returned", "Uddyb initiativ 14"),
            ("resubmitted", ""),
            ("approved", ""),
        ]
        with pytest.raises(
            ValidationError, match="har status godkendt, så dette trin ikke er muligt"
        ):
            rh.return_for_changes(ministry, "for sent")

    def test_a_draft_cannot_be_approved(self, rh, ministry):
        with pytest.raises(
            ValidationError, match="har status kladde, så dette trin ikke er muligt: godkendt"
        ):
            rh.approve(ministry)


class TestAccess:
    """Every contributor URL × anonymous, outsider, other organisation, reader, editor, staff."""

    CAST = ["anonymous", "outsider", "editor_kl", "reader", "editor_rh", "ministry"]
    EXPECTED = {
        "list": [302, 200, 200, 200, 200, 200],
        "detail": [302, 404, 404, 200, 200, 200],
        "save": [302, 404, 404, 403, 302, 403],
        "return": [302, 404, 404, 403, 403, 302],
        "approve": [302, 404, 404, 403, 403, 302],
    }

    @pytest.mark.parametrize("action", list(EXPECTED))
    def test_the_whole_matrix(self, client, request, rh, action, editor_rh):
        fill(rh)
        for who, expected in zip(self.CAST, self.EXPECTED[action], strict=True):
            if action in ("return", "approve"):
                Contribution.objects.filter(pk=rh.pk).update(state="submitted")
            client.logout()
            if who != "anonymous":
                client.force_login(request.getfixturevalue(who))
            base = f"/bidrag/{rh.pk}/"
            if action == "list":
                response = client.get("/bidrag/")
            elif action == "detail":
                response = client.get(base)
            elif action == "save":
                client.force_login(editor_rh)
                data = form_data(client.get(base), None)
                client.logout()
                if who != "anonymous":
                    client.force_login(request.getfixturevalue(who))
                data["gem"] = "1"
                response = client.post(base, data)
            elif action == "return":
                response = client.post(base + "returner/", {"comment": "Ret venligst"})
            else:
                response = client.post(base + "godkend/", {"bekraeft": "ja"})
            assert response.status_code == expected, (action, who, response.status_code)

    def test_a_read_only_member_sees_no_form(self, client, reader, rh):
        client.force_login(reader)
        page = client.get(f"/bidrag/{rh.pk}/").content.decode()
        assert '<form method="post">' not in page and "Gem kladde" not in page


class TestEditing:
    def post_form(self, client, rh, changes, submit=False):
        data = form_data(client.get(f"/bidrag/{rh.pk}/"))
        data.update(changes)
        data["indsend" if submit else "gem"] = "1"
        return client.post(f"/bidrag/{rh.pk}/", data)

    def test_the_editor_fills_in_and_submits(self, client, editor_rh, rh):
        client.force_login(editor_rh)
        data = form_data(client.get(f"/bidrag/{rh.pk}/"))
        for key in list(data):
            if key.endswith("-category"):
                data[key] = "on_track"
            if key.endswith("-wording"):
                data[key] = "Følger tidsplanen"
        data["indsend"] = "1"
        response = client.post(f"/bidrag/{rh.pk}/", data)
        assert response.status_code == 302
        rh.refresh_from_db()
        assert rh.state == "submitted"

    def test_submitting_with_gaps_saves_nothing_and_says_what_is_missing(
        self, client, editor_rh, rh
    ):
        client.force_login(editor_rh)
        response = self.post_form(
            client, rh, {"bidrag-general_comment": "Halvt udfyldt"}, submit=True
        )
        assert response.status_code == 400
        assert "Giv alle indsatser en status" in response.content.decode()
        rh.refresh_from_db()
        assert rh.state == "draft" and rh.general_comment == ""

    def test_the_second_of_two_editors_gets_a_conflict_and_loses_nothing(
        self, client, editor_rh, rh
    ):
        client.force_login(editor_rh)
        first = form_data(client.get(f"/bidrag/{rh.pk}/"))
        second = dict(first)
        first.update({"bidrag-general_comment": "Første redaktør", "gem": "1"})
        assert client.post(f"/bidrag/{rh.pk}/", first).status_code == 302
        second.update({"bidrag-general_comment": "Anden redaktør", "gem": "1"})
        response = client.post(f"/bidrag/{rh.pk}/", second)
        assert response.status_code == 409
        page = response.content.decode()
        assert "En anden har gemt bidraget" in page and "Anden redaktør" in page
        rh.refresh_from_db()
        assert rh.general_comment == "Første redaktør"

    def test_an_approved_contribution_is_locked(self, client, editor_rh, ministry, rh):
        fill(rh)
        rh.submit(editor_rh)
        rh.approve(ministry)
        client.force_login(editor_rh)
        data = form_data(client.get(f"/bidrag/{rh.pk}/"))
        data.update(
            {
                "bidrag-general_comment": "Efter godkendelse",
                "bidrag-revision": str(rh.revision),
                "gem": "1",
            }
        )
        response = client.post(f"/bidrag/{rh.pk}/", data, follow=True)
        assert "låst" in response.content.decode()
        rh.refresh_from_db()
        assert rh.general_comment == ""

    def test_contributions_never_appear_on_public_pages(self, client, rh):
        ContributionItem.objects.filter(contribution=rh).update(wording="BIDRAG-MARKOER")
        for url in [
            "/",
            "/initiativer/kraeftplan-iv/1/",
            "/api/v1/status/?limit=1000",
            "/rapporter/kraeftplan-iv/2020/",
        ]:
            assert "BIDRAG-MARKOER" not in client.get(url).content.decode()
        assert Organisation.objects.filter(slug="region-hovedstaden").exists()


class TestAccessToTheOtherContributorUrls:
    """The Excel and round URLs × the cast (the main matrix is in TestAccess)."""

    CAST = ["anonymous", "outsider", "editor_kl", "reader", "editor_rh", "ministry"]

    @pytest.mark.parametrize(
        ("path", "method", "expected"),
        [
            ("excel/", "get", [302, 404, 404, 200, 200, 200]),
            ("excel/indlaes/", "post", [302, 404, 404, 403, 400, 403]),
            ("excel/anvend/", "post", [302, 404, 404, 403, 302, 403]),
            ("ROUND", "get", [302, 403, 403, 403, 403, 200]),
            ("ROUND/konsolider/", "get", [302, 403, 403, 403, 403, 200]),
            ("/bidrag/runder/ny/", "get", [302, 403, 403, 403, 403, 200]),
            ("/bidrag/runder/ny/?plan=kraeftplan-iv", "post", [302, 403, 403, 403, 403, 400]),
        ],
    )
    def test_matrix(self, client, request, rh, path, method, expected):
        for who, status in zip(self.CAST, expected, strict=True):
            client.logout()
            if who != "anonymous":
                client.force_login(request.getfixturevalue(who))
            if path.startswith("/"):
                url = path
            elif path.startswith("ROUND"):
                url = f"/bidrag/runder/{rh.round_id}/" + path.removeprefix("ROUND").lstrip("/")
            else:
                url = f"/bidrag/{rh.pk}/{path}"
            response = getattr(client, method)(url)
            assert response.status_code == status, (path, who, response.status_code)


def test_staff_adjust_which_measures_a_draft_contribution_covers(client, ministry, rh):
    client.force_login(ministry)
    url = f"/admin/contributions/contribution/{rh.pk}/change/"
    data = form_data(client.get(url), "contribution_form")
    data["items-0-DELETE"] = "on"
    response = client.post(url, data)
    assert response.status_code == 302
    assert rh.items.count() == 4
    rh.items.update(category="on_track", wording="x")
    rh.submit(ministry)
    assert "items-0-DELETE" not in client.get(url).content.decode(), "a submitted one is fixed"
