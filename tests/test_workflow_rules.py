"""The contribution workflow's rules live on the models: saving, consolidating, adopting a case
and the order of measures are the same whichever page or upload calls them."""

import io
from datetime import date

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from contributions import excel
from contributions.choices import ContributionAction
from contributions.models import ReportingRound
from initiatives.models import Case, Initiative, Measure, MeasureStatus, Plan
from kraeftplan.downloads import file_response
from kraeftplan.models import EditConflict
from tests.forms import form_data

pytestmark = pytest.mark.django_db


def fill_and_approve(contribution, editor, ministry):
    contribution.items.update(category="completed", wording="Afsluttet", narrative="Tekst")
    contribution.submit(editor)
    contribution.approve(ministry)


class TestSavingAContribution:
    def test_a_save_raises_the_revision_and_is_recorded(self, rh, editor_rh):
        before = rh.revision

        def write(current):
            current.general_comment = "Samlet set går det godt."

        rh.save_changes(editor_rh, before, write)
        assert rh.revision == before + 1
        assert rh.general_comment == "Samlet set går det godt."
        assert rh.events.latest("pk").action == ContributionAction.SAVED

    def test_a_save_over_a_newer_revision_is_a_conflict_and_writes_nothing(self, rh, editor_rh):
        seen = rh.revision
        rh.save_changes(editor_rh, seen, lambda c: setattr(c, "general_comment", "Først"))
        with pytest.raises(EditConflict):
            rh.save_changes(editor_rh, seen, lambda c: setattr(c, "general_comment", "Sidst"))
        rh.refresh_from_db()
        assert rh.general_comment == "Først"

    def test_a_locked_contribution_refuses_a_save(self, rh, editor_rh, ministry):
        fill_and_approve(rh, editor_rh, ministry)
        with pytest.raises(ValidationError):
            rh.save_changes(editor_rh, rh.revision, lambda c: None)

    def test_a_refused_submission_saves_nothing(self, rh, editor_rh):
        with pytest.raises(ValidationError):  # no statuses filled in: submission refused
            rh.save_changes(
                editor_rh, rh.revision, lambda c: setattr(c, "general_comment", "x"), submit=True
            )
        rh.refresh_from_db()
        assert rh.general_comment == "" and rh.state == "draft"


class TestConsolidation:
    def test_it_notes_on_each_contribution_that_it_was_used(self, round_, rh, editor_rh, ministry):
        fill_and_approve(rh, editor_rh, ministry)
        measure = rh.items.first().measure
        status = round_.consolidate(
            measure,
            user=ministry,
            category="completed",
            wording="Afsluttet",
            narrative="",
            seen=MeasureStatus.objects.get(measure=measure, year=2020).revision,
        )
        assert list(status.contributions.all()) == [rh]
        event = rh.events.latest("pk")
        assert (event.action, event.actor, event.comment) == (
            ContributionAction.CONSOLIDATED,
            ministry,
            str(measure),
        )

    def test_statuses_use_the_same_revision_lock_as_contributions(self, round_, ministry):
        measure = Measure.objects.filter(initiative__plan=round_.plan).first()
        status = MeasureStatus.objects.get(measure=measure, year=2020)
        seen = status.revision
        status.wording = "Rettet i administrationen"
        status.save()  # any save, here the admin's, raises the revision
        with pytest.raises(EditConflict):
            round_.consolidate(
                measure, category="completed", wording="Konsolideret", narrative="", seen=seen
            )
        status.refresh_from_db()
        assert status.wording == "Rettet i administrationen"


class TestCases:
    def test_adopting_a_case_is_in_the_contribution_s_history(
        self, round_, rh, editor_rh, ministry
    ):
        item = rh.items.first()
        proposal = item.cases.create(title="Et godt forløb", text="Fortælling")
        fill_and_approve(rh, editor_rh, ministry)
        case = round_.adopt_case(proposal, ministry)
        event = rh.events.latest("pk")
        assert event.action == ContributionAction.CASE_ADOPTED and event.actor == ministry
        assert case.label in event.comment

    def test_the_database_keeps_a_year_s_case_numbers_unique_per_plan(self, kp4):
        first, second = Initiative.objects.filter(plan=kp4)[:2]
        Case.objects.create(
            initiative=first, year=2030, number=1, label="Case 1", title="A", text=""
        )
        with pytest.raises(IntegrityError), transaction.atomic():
            Case.objects.create(
                initiative=second, year=2030, number=1, label="Case 1", title="B", text=""
            )
        # The same number in another year, and unnumbered boxes, are fine.
        Case.objects.create(
            initiative=second, year=2031, number=1, label="Case 1", title="C", text=""
        )
        Case.objects.create(
            initiative=second, year=2030, label="Pilotprojekt 1", title="D", text=""
        )

    def test_a_case_knows_its_plan_from_its_initiative(self, kp4):
        case = Case.objects.filter(initiative__plan=kp4).first()
        assert case.plan == kp4 == case.initiative.plan


def test_measures_come_in_one_order_on_the_form_the_excel_template_and_consolidation(
    client, ministry, editor_rh
):
    # Kræftplan V mixes draft recommendations and regional initiatives, both numbered from 1:
    # ordering by number alone would interleave them.
    kp5 = Plan.objects.get(slug="kraeftplan-v")
    organisation = editor_rh.membership.organisation
    round_ = ReportingRound.open(
        kp5,
        2024,
        date(2025, 1, 15),
        user=ministry,
        assignments={
            organisation: Measure.objects.filter(initiative__plan=kp5).values_list("pk", flat=True)
        },
    )
    contribution = round_.contributions.get(organisation=organisation)
    expected = list(
        Measure.objects.filter(contribution_items__contribution=contribution)
        .in_published_order()
        .values_list("pk", flat=True)
    )
    kinds = [m.initiative.kind for m in Measure.objects.in_bulk(expected).values()]
    assert len(set(kinds)) == 2
    sheet = openpyxl.load_workbook(io.BytesIO(excel.template(contribution))).active
    in_excel = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]]
    assert in_excel == expected

    editor = contribution.organisation.memberships.filter(role="editor").first()
    client.force_login(editor.user)
    fields = form_data(client.get(contribution.get_absolute_url()))
    measure_of_item = dict(contribution.items.values_list("pk", "measure_id"))
    on_form = [
        measure_of_item[int(fields[f"indsats-{n}-id"])]
        for n in range(int(fields["indsats-TOTAL_FORMS"]))
    ]
    assert on_form == expected

    in_consolidation = [m.pk for m, _status, _items in round_.consolidation()]
    assert [pk for pk in in_consolidation if pk in expected] == expected


def test_every_file_is_answered_the_same_way():
    response = file_response(b"PK", "kraeftplan-data.zip")
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="kraeftplan-data.zip"'
    shown = file_response(b"%PDF", "rapport.pdf", inline=True)
    assert shown["Content-Disposition"] == 'inline; filename="rapport.pdf"'
