"""The annual status report as a web page and a PDF: content from the data, read back."""

import io
import re
import socket
import subprocess
import sys
import time
from decimal import Decimal

import pdfplumber
import pytest
from pypdf import PdfReader

from budget.models import BudgetLine
from initiatives.models import Initiative, Measure, MeasureStatus
from kraeftplan.formatting import format_money
from reports.models import AnnualReport
from reports.pdf import RenderLimitExceeded, render_pdf
from reports.rendering import print_html
from tests.builders import correcting, set_report

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def kp4_pdf(django_db_blocker):
    with django_db_blocker.unblock():
        report = AnnualReport.objects.get(plan__slug="kraeftplan-iv", year=2020)
        return render_pdf(print_html(report))


def squash(text):
    return re.sub(r"[\s\-\u00ad]", "", text)


def column_text(pdf, left_header, right_header):
    """The text of one column of every table whose header row has these two neighbouring
    headers, read page by page (table cells would otherwise interleave in the extraction)."""
    texts = []
    for page in pdf.pages:
        words = page.extract_words()
        for left in (w for w in words if w["text"] == left_header):
            right = next(
                (w for w in words if w["text"] == right_header and abs(w["top"] - left["top"]) < 2),
                None,
            )
            if right:
                box = (left["x0"] - 1, left["bottom"], right["x0"] - 1, page.height - 40)
                texts.append(page.crop(box).extract_text() or "")
    return squash("\n".join(texts))


class TestPages:
    def test_the_list_shows_published_reports_with_their_pdfs(self, client):
        page = client.get("/rapporter/").content.decode()
        assert "Status på udmøntning af Kræftplan IV - 2020" in page
        assert "/rapporter/kraeftplan-iv/2020.pdf" in page

    def test_the_web_report_holds_every_initiative_and_measure_status(self, client):
        page = client.get("/rapporter/kraeftplan-iv/2020/").content.decode()
        for initiative in Initiative.objects.filter(plan__slug="kraeftplan-iv"):
            assert initiative.title in page
        for status in MeasureStatus.objects.filter(
            measure__initiative__plan__slug="kraeftplan-iv", year=2020
        ):
            assert status.wording in page
        assert "Case 12. Initiativer og netværk støttet af DCCC" in page

    def test_a_draft_is_hidden_from_the_public_and_previewed_by_staff(self, client, ministry, kp4):
        set_report(kp4, 2020, state="draft", published_at=None)
        assert client.get("/rapporter/kraeftplan-iv/2020/").status_code == 404
        assert client.get("/rapporter/kraeftplan-iv/2020.pdf").status_code == 404
        assert (
            "Status på udmøntning af Kræftplan IV - 2020"
            not in client.get("/rapporter/").content.decode()
        )
        preview = "/rapporter/kraeftplan-iv/2020/forhaandsvisning/"
        assert client.get(preview).status_code == 302
        client.force_login(ministry)
        page = client.get(preview).content.decode()
        assert "Kladde – ikke offentliggjort" in page or "ikke offentliggjort" in page

    def test_contributors_cannot_preview(self, client, editor_rh):
        client.force_login(editor_rh)
        assert client.get("/rapporter/kraeftplan-iv/2020/forhaandsvisning/").status_code == 302

    def test_unknown_reports_are_404(self, client):
        assert client.get("/rapporter/kraeftplan-iv/2031/").status_code == 404
        assert client.get("/rapporter/ukendt/2020.pdf").status_code == 404

    def test_the_other_plans_give_sensible_reports(self, client, ministry, kp4):
        from initiatives.models import Plan

        for slug, year in (("jo-foer-jo-bedre", 2018), ("kraeftplan-v", 2024)):
            AnnualReport.objects.create(
                plan=Plan.objects.get(slug=slug), year=year, title=f"Status {slug}"
            )
        client.force_login(ministry)
        jfjb = client.get("/rapporter/jo-foer-jo-bedre/2018/forhaandsvisning/").content.decode()
        assert "Kræft skal opdages tidligere, så flere kan overleve" in jfjb and "1.100" in jfjb
        kp5 = client.get("/rapporter/kraeftplan-v/2024/forhaandsvisning/").content.decode()
        assert "Anbefaling 9" in kp5 and "National digitalisering af patologien" in kp5


class TestPdf:
    def test_metadata_language_and_tags(self, kp4_pdf):
        reader = PdfReader(io.BytesIO(kp4_pdf))
        assert reader.metadata.title == "Status på udmøntning af Kræftplan IV - 2020"
        root = reader.trailer["/Root"]
        assert root["/Lang"] == "da"
        assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
        assert reader.outline, "bookmarks from the headings"
        assert len(reader.pages) > 15

    def test_fonts_are_embedded(self, kp4_pdf):
        reader = PdfReader(io.BytesIO(kp4_pdf))
        fonts = {}
        for page in reader.pages:
            for font in page["/Resources"]["/Font"].values():
                font = font.get_object()
                descendant = (
                    font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
                )
                descriptor = descendant["/FontDescriptor"].get_object()
                fonts[str(font["/BaseFont"])] = any(
                    k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")
                )
        assert fonts and all(fonts.values()) and any("IBM-Plex-Sans" in name for name in fonts)

    def test_page_numbers_and_running_header(self, kp4_pdf):
        with pdfplumber.open(io.BytesIO(kp4_pdf)) as pdf:
            total = len(pdf.pages)
            third = pdf.pages[2].extract_text()
            assert f"Side 3 af {total}" in third
            assert "Status på udmøntning af Kræftplan IV - 2020" in third

    def test_every_initiative_and_measure_status_is_in_the_pdf(self, kp4_pdf):
        with pdfplumber.open(io.BytesIO(kp4_pdf)) as pdf:
            text = squash("\n".join(page.extract_text() or "" for page in pdf.pages))
            titles = column_text(pdf, "Initiativ", "Økonomi")
            statuses = column_text(pdf, "Status", "Indikator")
        for initiative in Initiative.objects.filter(plan__slug="kraeftplan-iv"):
            assert squash(f"{initiative.number}. {initiative.title}") in text
        for measure in Measure.objects.filter(initiative__plan__slug="kraeftplan-iv"):
            status = measure.statuses.get(year=2020)
            assert squash(measure.title) in titles, measure.title
            assert squash(status.wording) in statuses, status.wording
        for table in ("Tabel 1", "Tabel 2", "Tabel 3"):
            assert squash(table) in text

    def test_every_figure_of_bilag_2_is_in_its_row(self, kp4_pdf):
        lines = list(BudgetLine.objects.filter(plan__slug="kraeftplan-iv").order_by("position"))
        with pdfplumber.open(io.BytesIO(kp4_pdf)) as pdf:
            start = next(
                i for i, p in enumerate(pdf.pages) if "Bilag 2" in (p.extract_text() or "")
            )
            rows = []
            for page in pdf.pages[start:]:
                words = page.extract_words(keep_blank_chars=False, use_text_flow=False)
                header = [w for w in words if w["text"] == "2017"]
                if not header:
                    continue
                label_edge = header[0]["x0"] - 10
                lines_of_words, current = [], []
                for word in sorted(words, key=lambda w: w["top"]):
                    if current and word["top"] - current[0]["top"] > 4:
                        lines_of_words.append(current)
                        current = []
                    current.append(word)
                lines_of_words.append(current)
                for line_words in lines_of_words:
                    row = sorted(line_words, key=lambda w: w["x0"])
                    label = " ".join(w["text"] for w in row if w["x0"] < label_edge)
                    numbers = [w["text"] for w in row if w["x0"] >= label_edge]
                    if numbers:
                        rows.append((label, numbers))
        found = 0
        for line in lines:
            amounts = dict(line.amounts.values_list("year", "amount"))
            expected = [format_money(amounts[y]) for y in (2017, 2018, 2019, 2020)]
            expected += [
                format_money(line.stated_total),
                format_money(sum(amounts.values(), Decimal(0))),
            ]
            expected.append(
                format_money(line.permanent_amount) if line.permanent_amount is not None else "–"
            )
            first_words = " ".join(line.label.split()[:2])
            match = [
                numbers
                for label, numbers in rows
                if label.startswith(first_words) and numbers == expected
            ]
            assert match, (line.label, expected)
            found += 1
        assert found == 32

    def test_the_slips_are_footnotes(self, kp4_pdf):
        with pdfplumber.open(io.BytesIO(kp4_pdf)) as pdf:
            text = squash("\n".join(page.extract_text() or "" for page in pdf.pages[-3:]))
        assert squash("linjens I alt: 5; beregnet af portalen: 7,5") in text
        assert squash("teksten: 384; beregnet af portalen: 388") in text


class TestPdfSafety:
    def test_the_renderer_reads_no_local_file_and_calls_no_url(self, tmp_path):
        # A real HTTP server in its own process: any request WeasyPrint made would be logged.
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        log = open(tmp_path / "access.log", "w")  # noqa: SIM115 - closed below
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "http.server",
                str(port),
                "--bind",
                "127.0.0.1",
                "--directory",
                str(tmp_path),
            ],
            stdout=log,
            stderr=log,
        )
        url = f"http://127.0.0.1:{port}"
        for _ in range(50):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        html = f"""<html lang="da"><head><title>t</title>
          <link rel="attachment" href="file:///etc/passwd">
          <link rel="stylesheet" href="{url}/style.css"></head>
          <body><p>x</p><img src="file:///etc/passwd"><img src="{url}/pixel.png">
          <a rel="attachment" href="file:///etc/hostname">a</a>
          <img src="css/../../../../etc/passwd"></body></html>"""
        pdf = render_pdf(html)
        server.terminate()
        server.wait()
        log.close()
        assert "GET" not in (tmp_path / "access.log").read_text()
        assert b"root:" not in pdf
        reader = PdfReader(io.BytesIO(pdf))
        assert not reader.attachments

    def test_typed_narratives_with_payloads_change_nothing(self, client, kp4, ministry):
        status = MeasureStatus.objects.get(measure__title="Kræftpatientoverblik (KPO)", year=2020)
        correcting(kp4, 2020, ministry)
        status.narrative = (
            "Fortællingen om KPO\n\n"
            '<img src="file:///etc/passwd"> <script>alert(1)</script> [x](javascript:alert(1))'
        )
        status.save()
        # The published page is frozen: only a new version carries the narrative onto it.
        AnnualReport.objects.get(plan=kp4, year=2020).publish(user=ministry, note="Ny fortælling")
        for url in ["/rapporter/kraeftplan-iv/2020/", "/initiativer/kraeftplan-iv/16/"]:
            page = client.get(url).content.decode()
            assert "Fortællingen om KPO" in page, url
            assert "<script>alert(1)" not in page, url
            assert "javascript:" not in page and "file:///etc" not in page, url


def test_rendering_stops_at_its_time_limit():
    html = (
        "<html lang='da'><body>"
        + "<table>"
        + "<tr><td>x</td></tr>" * 20000
        + "</table></body></html>"
    )
    with pytest.raises(RenderLimitExceeded):
        render_pdf(html, timeout=0.5)


def test_the_renderer_s_lean_stylesheet_keeps_list_numbers_and_bullets():
    # The renderer gives ::marker to list items only (reports.pdf._lean_html_class).
    html = (
        "<html lang='da'><body><ol><li>første</li><li>anden</li></ol>"
        "<ul><li>punkt</li></ul></body></html>"
    )
    with pdfplumber.open(io.BytesIO(render_pdf(html))) as pdf:
        text = pdf.pages[0].extract_text()
    assert "1. første" in text and "2. anden" in text and "• punkt" in text
