"""One shape for every finding, recorded (initiatives.Finding) or computed (budget.checks), so
that the pages, the report, the API, the zip and budget_check show the same list."""

from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class FindingRow:
    """A disagreement in the sources as the public sees it: what is published where, and what
    the portal computed. Every text but `note` is a published figure or a place in a source."""

    code: str
    plan: str  # the plan's slug
    topic: str  # choices.FindingTopic
    kind: str  # choices.FindingKind, or the budget checks' own kinds
    subject: str
    stated: str
    stated_at: str
    other: str = ""
    other_at: str = ""
    computed: str = ""
    note: str = ""
    initiative_id: int | None = None
    table_label: str = ""
    line_id: int | None = None
    target_number: int | None = None

    def message(self) -> str:
        """One sentence with both sides, in the active language."""
        parts = [
            _("%(stated_at)s: %(stated)s") % {"stated_at": self.stated_at, "stated": self.stated}
        ]
        if self.other:
            where = self.other_at or _("elsewhere")
            parts.append(_("%(where)s: %(other)s") % {"where": where, "other": self.other})
        if self.computed:
            parts.append(_("computed by the portal: %(computed)s") % {"computed": self.computed})
        return "; ".join(parts)
