from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    GOVERNMENT = "government", _("Government")
    MINISTRY = "ministry", _("Ministry")
    AGENCY = "agency", _("Agency")
    REGION = "region", _("Region")
    MUNICIPALITY = "municipality", _("Municipality")
    ASSOCIATION = "association", _("Association of regions or municipalities")
    HOSPITAL = "hospital", _("Hospital")
    NETWORK = "network", _("Professional network or centre")
    NGO = "ngo", _("Patient or civil society organisation")
    OTHER = "other", _("Other")


class MembershipRole(models.TextChoices):
    EDITOR = "editor", _("Editor")
    READER = "reader", _("Read-only member")
