import datetime
import re
from html import unescape

from django.db import migrations, models

PRINT_TITLE = re.compile(r"<title>(.*?)</title>", re.S)
# The print document's title page (templates/reports/report_print.html), always in Danish.
TITLE_PAGE = 'class="kp-title-page"'
PRINT_DATE = re.compile(r'<p class="kp-title-date">[^<:]*: (\d{1,2})\. (\w+) (\d{4})</p>')
MONTHS = "januar februar marts april maj juni juli august september oktober november december"


def as_published(apps, schema_editor):
    """Each version's title and date as it published them: those of its frozen print document
    (the report's at its publication; a title page without a date is a report without one),
    else the report's own."""
    ReportVersion = apps.get_model("reports", "ReportVersion")
    months = {name: number for number, name in enumerate(MONTHS.split(), 1)}
    for version in ReportVersion.objects.select_related("report").only(
        "pk", "print_html", "report__title", "report__dated"
    ):
        found = PRINT_TITLE.search(version.print_html)
        title = " ".join(unescape(found[1]).split()) if found else ""
        version.title = (title or version.report.title)[:300]
        date = PRINT_DATE.search(version.print_html)
        if date and date[2] in months:
            version.dated = datetime.date(int(date[3]), months[date[2]], int(date[1]))
        else:
            version.dated = None if TITLE_PAGE in version.print_html else version.report.dated
        version.save(update_fields=["title", "dated"])


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0006_report_search_vector"),
    ]

    operations = [
        migrations.AddField(
            model_name="reportversion",
            name="title",
            field=models.CharField(default="", max_length=300, verbose_name="title (as published)"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="reportversion",
            name="dated",
            field=models.DateField(
                blank=True, null=True, verbose_name="date of the report (as published)"
            ),
        ),
        migrations.RunPython(as_published, migrations.RunPython.noop),
    ]
