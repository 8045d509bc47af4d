"""The yearly contribution journey in Chromium, with the keyboard, and axe on every step."""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from contributions.models import ReportingRound
from initiatives.models import Measure, MeasureStatus
from reports.models import AnnualReport
from tests.browser.test_pages_in_chromium import assert_accessible
from tests.builders import set_report
from tests.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, portal, username):
    page.goto(portal.url + "/log-ind/")
    page.get_by_label("Brugernavn").press_sequentially(username)
    page.get_by_label("Adgangskode").press_sequentially("pw-" + username)
    page.get_by_label("Adgangskode").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Årlige bidrag")


def type_date(field, day):
    """Type a date into a date field with the keyboard, in the order the browser's locale gives
    the day, month and year segments."""
    order = field.evaluate(
        "() => new Intl.DateTimeFormat().formatToParts(new Date(2001, 1, 3))"
        ".map(p => p.type).filter(t => ['day', 'month', 'year'].includes(t))"
    )
    parts = {"day": f"{day.day:02d}", "month": f"{day.month:02d}", "year": str(day.year)}
    field.press_sequentially("".join(parts[part] for part in order))


def log_out(page):
    page.get_by_role("button", name="Log ud").press("Enter")


def test_a_region_reports_the_ministry_reviews_and_the_status_goes_public(page, portal):
    editor = make_user("editor-rh", organisation="region-hovedstaden")
    staff = make_user("minister", organisation="sundhedsministeriet", staff=True)
    kp4 = AnnualReport.objects.get(plan__slug="kraeftplan-iv", year=2020).plan
    set_report(kp4, 2020, state="draft", published_at=None)
    assert editor and staff

    # Ministry staff open the round; the responsible organisations are ticked already.
    log_in(page, portal, "minister")
    page.get_by_role("link", name="Åbn en indberetningsrunde").press("Enter")
    page.get_by_label("Plan").press("Home")  # the first plan with measures: Kræftplan IV
    expect(page.get_by_label("Plan")).to_have_value("kraeftplan-iv")
    page.get_by_role("button", name="Fortsæt").press("Enter")
    expect(page.get_by_label("År, der indberettes for")).to_have_value("2020")
    deadline = date.today() + timedelta(days=30)
    type_date(page.get_by_label("Frist"), deadline)
    expect(page.get_by_label("Frist")).to_have_value(deadline.isoformat())
    expect(page.get_by_label("KL: 14 Driftsmidler", exact=True)).not_to_be_checked()
    assert_accessible(page)
    page.get_by_role("button", name="Åbn runden").press("Enter")
    expect(page.get_by_text("organisationer er bedt om at indberette")).to_be_visible()
    round_ = ReportingRound.objects.get(plan=kp4, year=2020)
    contribution = round_.contributions.get(organisation__slug="region-hovedstaden")
    log_out(page)

    # The editor fills in every measure, proposes a case and submits.
    log_in(page, portal, "editor-rh")
    assert_accessible(page)
    page.get_by_role("link", name="Kræftplan IV 2020").press("Enter")
    assert_accessible(page)
    for select in page.locator("select[name$='-category']").all():
        select.press("F")  # type-ahead: the first option starting with F, "Følger tidsplanen"
        expect(select).to_have_value("on_track")
    for wording in page.locator("textarea[name$='-wording']").all():
        wording.press_sequentially("Følger tidsplanen")
    page.locator("textarea[name$='-narrative']").first.press_sequentially(
        "Kapaciteten er øget som planlagt."
    )
    drift = page.locator("fieldset.kp-measure", has_text="– Driftsmidler")
    drift.get_by_label("Casens titel").press_sequentially("Scannere i drift")
    drift.get_by_label("Casens tekst").press_sequentially("Ventetiden til scanning faldt.")
    page.get_by_role("button", name="Gem og indsend").press("Enter")
    expect(page.get_by_text("Bidraget er indsendt.")).to_be_visible()
    log_out(page)

    # Ministry staff return it with a comment.
    log_in(page, portal, "minister")
    page.goto(f"{portal.url}/bidrag/{contribution.pk}/")
    assert_accessible(page)
    page.get_by_label("Hvad skal ændres").press_sequentially("Uddyb driftsmidlerne.")
    page.get_by_role("button", name="Send retur med kommentar").press("Enter")
    expect(page.get_by_text("Bidraget er sendt retur med din kommentar.")).to_be_visible()
    log_out(page)

    # The editor fixes and resubmits.
    log_in(page, portal, "editor-rh")
    page.goto(f"{portal.url}/bidrag/{contribution.pk}/")
    returned = page.get_by_role("region", name="Sendt retur til rettelse")
    expect(returned).to_contain_text("Uddyb driftsmidlerne.")  # at the top, not only in history
    drift = page.locator("fieldset.kp-measure", has_text="– Driftsmidler")
    expect(drift.get_by_label("Casens titel").first).to_have_value("Scannere i drift")
    drift.locator("textarea[name$='-narrative']").press_sequentially(
        "Driftsmidlerne er brugt til scannere."
    )
    page.get_by_role("button", name="Gem og indsend").press("Enter")
    expect(page.get_by_text("Bidraget er indsendt.")).to_be_visible()
    log_out(page)

    # Staff approve and consolidate one measure.
    log_in(page, portal, "minister")
    page.goto(f"{portal.url}/bidrag/{contribution.pk}/")
    page.get_by_role("button", name="Godkend").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Godkend bidraget fra Region Hovedstaden, Kræftplan IV 2020?"
    )
    assert_accessible(page)
    page.get_by_role("button", name="Ja, godkend bidraget").press("Enter")
    expect(page.get_by_text("Bidraget er godkendt og nu låst.")).to_be_visible()
    page.goto(f"{portal.url}/bidrag/runder/{round_.pk}/konsolider/")
    assert_accessible(page)
    measure = Measure.objects.get(title="Driftsmidler")
    section = page.locator(f"section[aria-labelledby='indsats-{measure.pk}']")
    expect(section).to_contain_text("Driftsmidlerne er brugt til scannere.")
    wording = section.get_by_label("Ordlyd")
    wording.press("Control+a")
    wording.press("Delete")
    wording.press_sequentially("Følger tidsplanen efter bidrag")
    section.get_by_role("button", name="Opdatér status").press("Enter")
    expect(page.get_by_text("er gemt.")).to_be_visible()
    section = page.locator(f"section[aria-labelledby='indsats-{measure.pk}']")
    section.get_by_role("button", name="Brug som case i årets status").press("Enter")
    expect(page.get_by_text("“Scannere i drift” er nu Case")).to_be_visible()
    status = MeasureStatus.objects.get(measure=measure, year=2020)
    assert status.wording == "Følger tidsplanen efter bidrag" and status.contributions.count() == 1

    # Not public until the year's report is published.
    page.goto(portal.url + "/initiativer/kraeftplan-iv/14/")
    expect(page.get_by_text("Følger tidsplanen efter bidrag")).to_have_count(0)
    expect(page.get_by_text("Scannere i drift")).to_have_count(0)
    report = AnnualReport.objects.get(plan=kp4, year=2020)
    page.goto(f"{portal.url}/admin/reports/annualreport/{report.pk}/offentliggoer/")
    page.get_by_label("Hvad er ændret").press_sequentially("Status fra de regionale bidrag")
    page.get_by_role("button", name="Offentliggør").press("Enter")
    page.goto(portal.url + "/initiativer/kraeftplan-iv/14/")
    expect(page.get_by_text("Følger tidsplanen efter bidrag")).to_be_visible()
    expect(page.get_by_text("Scannere i drift")).to_be_visible()


def test_staff_correct_a_published_year_and_the_public_sees_it_only_when_published(page, portal):
    make_user("minister", organisation="sundhedsministeriet", staff=True)
    report = AnnualReport.objects.get(plan__slug="kraeftplan-iv", year=2020)
    status = MeasureStatus.objects.get(measure__title="Kræftpatientoverblik (KPO)", year=2020)
    public_page = portal.url + status.measure.initiative.get_absolute_url()
    log_in(page, portal, "minister")

    # The report's admin page leads to the correction; the year is fixed until it is opened.
    page.goto(f"{portal.url}/admin/reports/annualreport/{report.pk}/change/")
    expect(page.get_by_text("Året er offentliggjort og ligger fast")).to_be_visible()
    page.get_by_role("link", name="Rettelse", exact=True).press("Enter")
    page.get_by_role("button", name="Åbn en rettelse").press("Enter")
    expect(page.get_by_text("Rettelsen er åbnet.")).to_be_visible()

    # Staff change the status in the admin; the public still sees the published wording.
    page.goto(f"{portal.url}/admin/initiatives/measure/{status.measure_id}/change/")
    wording = page.locator("textarea[name$='-wording']").first
    wording.fill("Genoptaget efter rettelse")
    page.get_by_role("button", name="Gem", exact=True).first.press("Enter")
    expect(page.get_by_text("blev ændret.")).to_be_visible()
    page.goto(public_page)
    expect(page.get_by_text("Genoptaget efter rettelse")).to_have_count(0)

    # The correction lists the change and is published as version 2 with a note.
    page.goto(f"{portal.url}/admin/reports/annualreport/{report.pk}/rettelse/")
    expect(page.get_by_text("Ændret: status 2020 for")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Offentliggør rettelsen").press("Enter")
    page.get_by_label("Hvad er ændret").press_sequentially("KPO's status rettet")
    page.get_by_role("button", name="Offentliggør").press("Enter")
    expect(page.get_by_text("blev offentliggjort som version 2")).to_be_visible()
    page.goto(public_page)
    expect(page.get_by_text("Genoptaget efter rettelse").first).to_be_visible()
    page.goto(portal.url + "/rapporter/kraeftplan-iv/2020/")
    expect(page.get_by_text("KPO's status rettet")).to_be_visible()


def test_the_next_year_staff_extend_the_follow_up_and_run_a_2021_round(page, portal):
    """After 2020 (published, see above), Kræftplan IV is followed into 2021: staff extend
    the follow-up in the admin, open the round, a region answers, staff approve, consolidate
    and publish 2021, and only then does the public see it."""
    make_user("editor-rh", organisation="region-hovedstaden")
    make_user("minister", organisation="sundhedsministeriet", staff=True)
    kp4 = AnnualReport.objects.get(plan__slug="kraeftplan-iv", year=2020).plan
    log_in(page, portal, "minister")

    # Outside the follow-up, a 2021 round is refused; staff extend it on the plan.
    page.goto(f"{portal.url}/admin/initiatives/plan/{kp4.pk}/change/")
    page.get_by_label("Følges op til og med").fill("2021")
    page.get_by_role("button", name="Gem", exact=True).first.press("Enter")
    expect(page.get_by_text("blev ændret.")).to_be_visible()
    page.goto(portal.url + kp4.get_absolute_url())
    expect(page.get_by_text("2017–2021: ministeriet har forlænget")).to_be_visible()

    page.goto(f"{portal.url}/bidrag/runder/ny/?plan=kraeftplan-iv")
    expect(page.get_by_label("År, der indberettes for")).to_have_value("2021")
    type_date(page.get_by_label("Frist"), date.today() + timedelta(days=30))
    page.get_by_role("button", name="Åbn runden").press("Enter")
    expect(page.get_by_text("organisationer er bedt om at indberette")).to_be_visible()
    round_ = ReportingRound.objects.get(plan=kp4, year=2021)
    contribution = round_.contributions.get(organisation__slug="region-hovedstaden")
    log_out(page)

    # The region sees 2020's published status beside each measure, answers and submits.
    log_in(page, portal, "editor-rh")
    page.goto(f"{portal.url}/bidrag/{contribution.pk}/")
    expect(page.get_by_text("Offentliggjort status 2020").first).to_be_visible()
    for select in page.locator("select[name$='-category']").all():
        select.press("F")
        expect(select).to_have_value("on_track")
    for wording in page.locator("textarea[name$='-wording']").all():
        wording.press_sequentially("Fortsætter i 2021")
    page.get_by_role("button", name="Gem og indsend").press("Enter")
    expect(page.get_by_text("Bidraget er indsendt.")).to_be_visible()
    log_out(page)

    # Staff approve, consolidate one measure and publish the 2021 report.
    log_in(page, portal, "minister")
    page.goto(f"{portal.url}/bidrag/{contribution.pk}/")
    page.get_by_role("button", name="Godkend").press("Enter")
    page.get_by_role("button", name="Ja, godkend bidraget").press("Enter")
    expect(page.get_by_text("Bidraget er godkendt og nu låst.")).to_be_visible()
    measure = Measure.objects.filter(contribution_items__contribution=contribution).first()
    page.goto(f"{portal.url}/bidrag/runder/{round_.pk}/konsolider/")
    section = page.locator(f"section[aria-labelledby='indsats-{measure.pk}']")
    section.get_by_role("button", name="Gem status").press("Enter")  # 2021 has no status yet
    expect(page.get_by_text("er gemt.")).to_be_visible()
    assert MeasureStatus.objects.get(measure=measure, year=2021).wording == "Fortsætter i 2021"
    public_page = portal.url + measure.initiative.get_absolute_url()
    page.goto(public_page)
    expect(page.get_by_text("Fortsætter i 2021")).to_have_count(0)
    report = AnnualReport.objects.create(plan=kp4, year=2021, title="Status 2021")
    page.goto(f"{portal.url}/admin/reports/annualreport/{report.pk}/offentliggoer/")
    page.get_by_role("button", name="Offentliggør").press("Enter")
    expect(page.get_by_text("blev offentliggjort som version 1")).to_be_visible()
    page.goto(public_page)
    expect(page.get_by_text("Fortsætter i 2021").first).to_be_visible()
