"""Template filters for Danish numbers and money (see kraeftplan.formatting)."""

from django import template

from kraeftplan import formatting

register = template.Library()


@register.filter
def money(value):
    return formatting.format_money(value)


@register.filter
def number(value, decimals=None):
    return formatting.format_number(value, None if decimals in (None, "") else int(decimals))


@register.filter
def percent(value, decimals=None):
    return formatting.format_percent(value, None if decimals in (None, "") else int(decimals))
