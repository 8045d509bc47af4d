from django.contrib import admin
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Kræftplan-portalen – administration")
admin.site.site_title = _("Kræftplan-portalen")
admin.site.index_title = _("Plans, budgets, targets and reports")
