"""Organisations and users move to accounts, the contribution workflow to contributions.

The rows stay in their tables: here the models only leave this app's state (accounts and
contributions took them over in their 0001). A plan-year becomes public through PublicYear,
filled from the published reports, instead of a status pointing at its report.
"""

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


def public_years_from_reports(apps, schema_editor):
    AnnualReport = apps.get_model("reports", "AnnualReport")
    PublicYear = apps.get_model("initiatives", "PublicYear")
    PublicYear.objects.bulk_create(
        PublicYear(plan_id=report.plan_id, year=report.year, public_from=report.published_at)
        for report in AnnualReport.objects.filter(state="published", published_at__isnull=False)
    )


def reports_of_public_years(apps, schema_editor):
    """Backwards: point each status at its year's report again."""
    AnnualReport = apps.get_model("reports", "AnnualReport")
    MeasureStatus = apps.get_model("initiatives", "MeasureStatus")
    for report in AnnualReport.objects.all():
        MeasureStatus.objects.filter(
            measure__initiative__plan_id=report.plan_id, year=report.year
        ).update(report=report)


def organisation_fk(**kwargs):
    return models.ForeignKey(to="accounts.organisation", verbose_name="organisation", **kwargs)


HISTORICAL = dict(
    blank=True,
    db_constraint=False,
    null=True,
    on_delete=django.db.models.deletion.DO_NOTHING,
    related_name="+",
)


class Migration(migrations.Migration):

    dependencies = [
        ("initiatives", "0007_proposed_cases"),
        ("accounts", "0001_initial"),
        ("contributions", "0001_initial"),
        ("reports", "0002_report_versions"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name="plan",
                    name="parties",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="plans",
                        to="accounts.organisation",
                        verbose_name="parties",
                    ),
                ),
                migrations.AlterField(
                    model_name="initiative",
                    name="organisations",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="initiatives",
                        through="initiatives.Responsibility",
                        to="accounts.organisation",
                        verbose_name="responsible organisations",
                    ),
                ),
                migrations.AlterField(
                    model_name="responsibility",
                    name="organisation",
                    field=organisation_fk(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="responsibilities",
                    ),
                ),
                migrations.AlterField(
                    model_name="case",
                    name="organisation",
                    field=organisation_fk(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="cases",
                    ),
                ),
                migrations.AlterField(
                    model_name="historicalresponsibility",
                    name="organisation",
                    field=organisation_fk(**HISTORICAL),
                ),
                migrations.AlterField(
                    model_name="historicalcase",
                    name="organisation",
                    field=organisation_fk(**HISTORICAL),
                ),
                migrations.RemoveField(model_name="measurestatus", name="contributions"),
                migrations.DeleteModel(name="Notification"),
                migrations.DeleteModel(name="ContributionEvent"),
                migrations.DeleteModel(name="HistoricalProposedCase"),
                migrations.DeleteModel(name="ProposedCase"),
                migrations.DeleteModel(name="HistoricalContributionItem"),
                migrations.DeleteModel(name="ContributionItem"),
                migrations.DeleteModel(name="HistoricalContribution"),
                migrations.DeleteModel(name="Contribution"),
                migrations.DeleteModel(name="HistoricalReportingRound"),
                migrations.DeleteModel(name="ReportingRound"),
                migrations.DeleteModel(name="LoginFailure"),
                migrations.DeleteModel(name="HistoricalMembership"),
                migrations.DeleteModel(name="Membership"),
                migrations.DeleteModel(name="HistoricalOrganisation"),
                migrations.DeleteModel(name="Organisation"),
            ],
        ),
        migrations.CreateModel(
            name="PublicYear",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "year",
                    models.PositiveSmallIntegerField(
                        validators=[django.core.validators.MinValueValidator(1990)],
                        verbose_name="year",
                    ),
                ),
                ("public_from", models.DateTimeField(verbose_name="public from")),
                (
                    "plan",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="public_years",
                        to="initiatives.plan",
                        verbose_name="plan",
                    ),
                ),
            ],
            options={
                "verbose_name": "public plan-year",
                "verbose_name_plural": "public plan-years",
                "ordering": ["plan", "year"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("plan", "year"), name="public_year_unique_year"
                    )
                ],
            },
        ),
        migrations.RunPython(public_years_from_reports, reports_of_public_years),
        migrations.RemoveField(model_name="historicalmeasurestatus", name="report"),
        migrations.RemoveField(model_name="measurestatus", name="report"),
    ]
