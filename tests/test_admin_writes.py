"""The admin's own writes meet the models' rules: a history revert cannot unpublish a report or
move a contribution past its workflow, inline rows and users have the conflict check, and two
saves at the same moment cannot both pass it."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contributions.models import Contribution
from initiatives.models import Initiative, Measure
from reports.models import AnnualReport
from tests.conftest import make_user
from tests.forms import form_data

pytestmark = pytest.mark.django_db

REFUSED_REVERT = "kan derfor heller ikke føres tilbage"
CONFLICT = "Nogen anden har gemt"


def other_staff():
    user = make_user("anden-medarbejder", staff=True)
    client = Client()
    client.force_login(user)
    return client


class TestHistoryRevert:
    def test_a_published_report_cannot_be_reverted_to_its_draft(self, client, ministry, kp4):
        report = AnnualReport.objects.get(plan=kp4, year=2020)
        # The report's first history entry, as it was before publication: a draft.
        draft = report.history.order_by("history_id").first()
        report.history.filter(history_id=draft.history_id).update(state="draft", published_at=None)
        client.force_login(ministry)
        url = reverse(
            "admin:reports_annualreport_simple_history", args=[report.pk, draft.history_id]
        )
        # The texts as they are now: only the state and publication time differ.
        change = reverse("admin:reports_annualreport_change", args=[report.pk])
        data = form_data(client.get(change), "annualreport_form")
        page = client.post(url, data, follow=True).content.decode()
        assert "forbliver offentliggjort fra det tidspunkt" in page
        report.refresh_from_db()
        assert report.state == "published" and report.published_at is not None
        assert client.get("/rapporter/kraeftplan-iv/2020/").status_code == 200

    def test_the_model_refuses_to_unpublish_whoever_asks(self, kp4):
        report = AnnualReport.objects.get(plan=kp4, year=2020)
        published_at = report.published_at
        report.state = "draft"
        with pytest.raises(ValidationError, match="forbliver offentliggjort"):
            report.save()
        report.state = "published"
        report.published_at = None
        with pytest.raises(ValidationError, match="forbliver offentliggjort"):
            report.full_clean()
        assert AnnualReport.objects.get(pk=report.pk).published_at == published_at

    def test_a_submitted_contribution_cannot_be_reverted_to_its_draft(
        self, client, ministry, rh, editor_rh
    ):
        rh.items.update(category="on_track", wording="x")
        rh.submit(editor_rh)
        revision = Contribution.objects.get(pk=rh.pk).revision
        draft = rh.history.filter(state="draft").order_by("history_id").first()
        client.force_login(ministry)
        url = reverse(
            "admin:contributions_contribution_simple_history", args=[rh.pk, draft.history_id]
        )
        page = client.post(url, {}, follow=True).content.decode()
        assert REFUSED_REVERT in page
        rh.refresh_from_db()
        assert (rh.state, rh.revision) == ("submitted", revision)

    def test_the_model_allows_only_the_workflow_s_steps(self, rh, editor_rh):
        rh.items.update(category="on_track", wording="x")
        rh.submit(editor_rh)
        rh.refresh_from_db()
        rh.state = "draft"
        with pytest.raises(ValidationError, match="kun arbejdsgangens trin"):
            rh.save()
        rh.state = "submitted"
        rh.general_comment = "ændret under gennemgang"
        with pytest.raises(ValidationError, match="venter på gennemgang"):
            rh.save()
        assert Contribution.objects.get(pk=rh.pk).general_comment == ""

    def test_a_revision_never_goes_back(self, rh):
        old = Contribution.objects.get(pk=rh.pk)
        for text in ("første", "anden"):
            rh.general_comment = text
            rh.save()
        stored = Contribution.objects.get(pk=rh.pk).revision
        old.general_comment = "fra en ældre kopi"
        old.save()
        assert old.revision == stored + 1 > rh.revision


class TestConflicts:
    def test_an_inline_row_changed_on_its_own_page_is_not_put_back(self, client, ministry):
        initiative = Initiative.objects.filter(measures__isnull=False).order_by("pk").first()
        measure = initiative.measures.order_by("pk").first()
        url = reverse("admin:initiatives_initiative_change", args=[initiative.pk])
        client.force_login(ministry)
        mine = form_data(client.get(url), "initiative_form")
        theirs = other_staff()
        measure_url = reverse("admin:initiatives_measure_change", args=[measure.pk])
        data = form_data(theirs.get(measure_url), "measure_form")
        assert (
            theirs.post(measure_url, {**data, "title": "Ny titel fra en anden"}).status_code == 302
        )
        page = client.post(url, {**mine, "purpose": "Mit formål"}).content.decode()
        assert CONFLICT in page
        assert Measure.objects.get(pk=measure.pk).title == "Ny titel fra en anden"
        assert Initiative.objects.get(pk=initiative.pk).purpose != "Mit formål"

    def test_a_user_deactivated_by_one_is_not_reactivated_by_another(self, client, ministry):
        user = make_user("kl-bruger", organisation="kl")
        url = reverse("admin:auth_user_change", args=[user.pk])
        client.force_login(ministry)
        mine = form_data(client.get(url), "user_form")
        assert mine["seen_version"]
        theirs = other_staff()
        data = form_data(theirs.get(url), "user_form")
        data.pop("is_active", None)  # the checkbox unticked
        assert theirs.post(url, data).status_code == 302
        assert not type(user).objects.get(pk=user.pk).is_active
        page = client.post(url, {**mine, "first_name": "Kirsten"}).content.decode()
        assert CONFLICT in page
        assert not type(user).objects.get(pk=user.pk).is_active

    @pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite has no row locks; it queues writers"
    )
    def test_the_check_holds_the_row_until_the_save(self, client, ministry):
        plan_url = reverse("admin:initiatives_plan_change", args=[1])
        client.force_login(ministry)
        data = form_data(client.get(plan_url), "plan_form")
        with CaptureQueriesContext(connection) as queries:
            assert client.post(plan_url, {**data, "summary": "Låst"}).status_code == 302
        assert any("FOR UPDATE" in q["sql"] for q in queries.captured_queries)

    def test_sqlite_queues_writers_instead_of_failing(self, settings):
        from kraeftplan.env import SQLITE_OPTIONS

        assert SQLITE_OPTIONS["transaction_mode"] == "IMMEDIATE"


class TestErrorPagesAndCaching:
    def test_a_contributor_on_a_staff_page_gets_a_danish_403(self, client, editor_rh, round_):
        client.force_login(editor_rh)
        response = client.get(reverse("contributions:round_overview", args=[round_.pk]))
        assert response.status_code == 403
        assert "Ingen adgang" in response.content.decode()

    def test_a_form_sent_without_its_token_gets_a_danish_page(self, editor_rh):
        client = Client(enforce_csrf_checks=True)
        response = client.post("/log-ind/", {"username": "editor-rh", "password": "x"})
        assert response.status_code == 403
        page = response.content.decode()
        assert "Formularen er udløbet" in page and 'lang="da"' in page

    def test_a_logged_in_user_s_pages_are_kept_out_of_caches(self, client, editor_rh, rh):
        client.force_login(editor_rh)
        for url in (reverse("contributions:contribution_list"), "/"):
            response = client.get(url)
            assert (
                "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
            )
        client.logout()
        assert "private" not in client.get("/").get("Cache-Control", "")


class TestInlineVersionsCost:
    """The inline rows' versions are read for all rows at once, when the page opens and again
    (under lock) when it is saved: the queries that read them do not grow with the rows.
    (Django's own choices and checks of each row are another matter.)"""

    @staticmethod
    def version_reads(queries):
        return len([q for q in queries.captured_queries if '"history_id"' in q["sql"]])

    def counts(self, client, url):
        with CaptureQueriesContext(connection) as opened:
            page = client.get(url)
        data = form_data(page, "initiative_form")
        with CaptureQueriesContext(connection) as saved:
            response = client.post(url, {**data, "purpose": data["purpose"] + " (rettet)"})
        assert response.status_code == 302, response.content.decode()[:3000]
        return self.version_reads(opened), self.version_reads(saved)

    def test_the_count_is_the_same_for_few_and_many_rows(self, client, ministry):
        initiative = (
            Initiative.objects.annotate(n=Count("measures"))
            .filter(n__gte=2)
            .order_by("-n", "pk")
            .first()
        )
        url = reverse("admin:initiatives_initiative_change", args=[initiative.pk])
        client.force_login(ministry)
        many = self.counts(client, url)
        keep = initiative.measures.order_by("pk").first()
        for measure in initiative.measures.exclude(pk=keep.pk):
            measure.delete()
        few = self.counts(client, url)
        assert few == many, (few, many)
