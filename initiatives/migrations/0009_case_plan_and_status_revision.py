"""Cases carry their plan so that the database keeps a year's case numbers unique; statuses
get the revision number that contributions use against lost edits."""

import django.db.models.deletion
from django.db import migrations, models

PLAN_HELP = (
    "The initiative's plan, kept here so that the database can keep the case numbers of a "
    "plan's yearly report unique."
)


def plan_of_initiative(apps, schema_editor):
    Case = apps.get_model("initiatives", "Case")
    Initiative = apps.get_model("initiatives", "Initiative")
    for initiative_id, plan_id in Initiative.objects.values_list("pk", "plan_id"):
        Case.objects.filter(initiative_id=initiative_id).update(plan_id=plan_id)


class Migration(migrations.Migration):

    dependencies = [
        ("initiatives", "0008_organisations_and_rounds_move_out"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="plan",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                help_text=PLAN_HELP,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="cases",
                to="initiatives.plan",
                verbose_name="plan",
            ),
        ),
        migrations.RunPython(plan_of_initiative, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="case",
            name="plan",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                help_text=PLAN_HELP,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="cases",
                to="initiatives.plan",
                verbose_name="plan",
            ),
        ),
        migrations.AddField(
            model_name="historicalcase",
            name="plan",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                editable=False,
                help_text=PLAN_HELP,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="initiatives.plan",
                verbose_name="plan",
            ),
        ),
        migrations.AddConstraint(
            model_name="case",
            constraint=models.UniqueConstraint(
                condition=models.Q(("number__isnull", False)),
                fields=("plan", "year", "number"),
                name="case_unique_number",
                violation_error_message="The year's report already has a case with this number.",
            ),
        ),
        migrations.AddField(
            model_name="historicalmeasurestatus",
            name="revision",
            field=models.PositiveIntegerField(
                default=1,
                help_text="Raised on every save; guards against lost edits.",
                verbose_name="revision",
            ),
        ),
        migrations.AddField(
            model_name="measurestatus",
            name="revision",
            field=models.PositiveIntegerField(
                default=1,
                help_text="Raised on every save; guards against lost edits.",
                verbose_name="revision",
            ),
        ),
    ]
