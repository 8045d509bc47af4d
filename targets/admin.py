from django.contrib import admin

from kraeftplan.admin_base import HistoryAdmin, TabularInline

from .models import Indicator, Measurement, NationalTarget


class IndicatorInline(TabularInline):
    model = Indicator
    extra = 0
    fields = ["position", "name", "unit", "table_label"]
    show_change_link = True


@admin.register(NationalTarget)
class NationalTargetAdmin(HistoryAdmin):
    list_display = ["number", "title", "plan", "target_year", "target_value", "target_unit"]
    list_display_links = ["number", "title"]
    list_filter = ["plan"]
    search_fields = ["title", "description"]
    filter_horizontal = ["initiatives"]
    inlines = [IndicatorInline]


class MeasurementInline(TabularInline):
    model = Measurement
    extra = 0
    fields = ["position", "period", "group", "breakdown", "category", "value", "share", "note"]


@admin.register(Indicator)
class IndicatorAdmin(HistoryAdmin):
    list_display = ["name", "plan", "target", "initiative", "unit", "table_label"]
    list_filter = ["plan", "target", "unit"]
    search_fields = ["name", "description", "source", "caveats"]
    list_select_related = ["plan", "target", "initiative"]
    autocomplete_fields = ["initiative"]
    inlines = [MeasurementInline]


@admin.register(Measurement)
class MeasurementAdmin(HistoryAdmin):
    list_display = ["indicator", "period", "breakdown", "category", "value", "share"]
    list_filter = ["indicator__plan", "period"]
    search_fields = ["indicator__name", "breakdown", "category", "note"]
    list_select_related = ["indicator"]
