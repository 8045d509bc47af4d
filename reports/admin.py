from django.contrib import admin

from kraeftplan.admin_base import HistoryAdmin

from .models import AnnualReport


@admin.register(AnnualReport)
class AnnualReportAdmin(HistoryAdmin):
    list_display = ["title", "plan", "year", "dated", "state", "published_at"]
    list_filter = ["plan", "state", "year"]
    search_fields = ["title", "overall_status"]
    date_hierarchy = "dated"
