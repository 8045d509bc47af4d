import re
from html import unescape

from django.db import migrations, models

PRINT_TITLE = re.compile(r"<title>(.*?)</title>", re.S)


def title_as_published(apps, schema_editor):
    """Each version's title as it published it: the <title> of its frozen print document (the
    report's title at its publication), else the report's own title."""
    ReportVersion = apps.get_model("reports", "ReportVersion")
    for version in ReportVersion.objects.select_related("report").only(
        "pk", "print_html", "report__title"
    ):
        found = PRINT_TITLE.search(version.print_html)
        title = " ".join(unescape(found[1]).split()) if found else ""
        version.title = (title or version.report.title)[:300]
        version.save(update_fields=["title"])


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0005_targets_introduction"),
    ]

    operations = [
        migrations.AddField(
            model_name="reportversion",
            name="title",
            field=models.CharField(default="", max_length=300, verbose_name="title (as published)"),
            preserve_default=False,
        ),
        migrations.RunPython(title_as_published, migrations.RunPython.noop),
    ]
