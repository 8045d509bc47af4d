"""System checks of the settings that `manage.py check --deploy` runs before a release."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Warning, register


@register("accessibility", deploy=True)
def feedback_address(**kwargs: Any) -> list[CheckMessage]:
    """The accessibility statement must give a contact for feedback (lov om tilgængelighed af
    offentlige organers websteder og mobilapplikationer)."""
    if settings.KRAEFTPLAN_FEEDBACK_EMAIL:
        return []
    return [
        Warning(
            "FEEDBACK_EMAIL is not set: accessibility feedback arrives only through the "
            "statement's form, in the admin (Accessibility feedback), and is mailed to no one.",
            hint="Set FEEDBACK_EMAIL to the address that answers accessibility feedback.",
            id="kraeftplan.W001",
        )
    ]
