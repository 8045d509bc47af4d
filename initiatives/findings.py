"""One shape for every finding, recorded (initiatives.Finding) or computed (budget.checks), so
that the pages, the report, the API, the zip and budget_check show the same list."""

import re
from dataclasses import dataclass

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from kraeftplan.templatetags.kp import da

# The budget table's own column names, which the portal's words for a place in it quote.
PUBLISHED_TERMS = re.compile(r"\b(I alt|Heraf)\b")


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
    # Which texts are published ones, in Danish as the source has them (marked lang="da" on a
    # page in another language). A recorded finding's are all. A computed budget finding names
    # the budget's totals in the page's language (subject_published False), its figures are
    # the portal's, and its stated_at is the source's name (`source`) and then the portal's
    # words for the place in it.
    subject_published: bool = True
    source: str | None = None

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

    def subject_html(self) -> SafeString:
        return da(self.subject) if self.subject_published else conditional_escape(self.subject)

    def message_html(self) -> SafeString:
        """message() as HTML, with the published texts in it marked as Danish."""
        if self.source is None:
            stated_at, stated = da(self.stated_at), da(self.stated)
        else:
            place = PUBLISHED_TERMS.sub(
                lambda term: da(term.group(0)),
                conditional_escape(self.stated_at.removeprefix(self.source)),
            )
            stated_at = format_html(
                "{}{}", da(self.source) if self.source else "", mark_safe(place)
            )
            stated = conditional_escape(self.stated)
        parts = [_fill(_("%(stated_at)s: %(stated)s"), stated_at=stated_at, stated=stated)]
        if self.other:
            where = da(self.other_at) if self.other_at else conditional_escape(_("elsewhere"))
            parts.append(_fill(_("%(where)s: %(other)s"), where=where, other=da(self.other)))
        if self.computed:
            parts.append(_fill(_("computed by the portal: %(computed)s"), computed=self.computed))
        return mark_safe("; ".join(parts))


def _fill(template: str, **values: str) -> SafeString:
    """A translated %-template filled with values, each escaped unless it is marked safe."""
    return mark_safe(
        conditional_escape(template) % {k: conditional_escape(v) for k, v in values.items()}
    )
