"""Small related lists read together with the row they belong to.

A page that shows one plan or one initiative also shows a handful of short lists that hang off
it (parties, milestones, responsible organisations, targets, comments). prefetch_related()
costs one query per list; json_rows() instead reads each list as one JSON array in a correlated
subquery of the main row (JSON_GROUP_ARRAY on SQLite, JSONB_AGG on PostgreSQL), and
instances() turns the array back into model instances with their fields converted as the
database would give them (dates, decimals, booleans), so that templates and methods are the
same. Meant for lists that stay short however much data there is: the array is read whole.
"""

import json
from collections.abc import Iterable, Sequence
from datetime import UTC
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import Aggregate, F, JSONField, Subquery
from django.db.models.functions import JSONObject
from django.utils import timezone


class _Decimals(json.JSONDecoder):
    """Numbers with a fraction become Decimal, never float: amounts must stay exact."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **{**kwargs, "parse_float": Decimal})


class _JSONArrayAgg(Aggregate):
    function = "JSON_GROUP_ARRAY"
    output_field = JSONField(decoder=_Decimals)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, function="JSONB_AGG", **extra)


def _object(model: type[models.Model], prefix: str, related: Sequence[str]) -> JSONObject:
    """Every concrete field of the model (under `prefix`), and of each related model named in
    `related` (a foreign key of it) as a nested object."""
    fields: dict[str, Any] = {
        field.attname: F(f"{prefix}{field.attname}") for field in model._meta.concrete_fields
    }
    for name in related:
        target = model._meta.get_field(name).related_model
        assert isinstance(target, type)
        fields[name] = _object(target, f"{prefix}{name}__", ())
    return JSONObject(**fields)


def json_rows(queryset: models.QuerySet[Any], by: str, related: Sequence[str] = ()) -> Subquery:
    """The rows of `queryset` (filtered on an OuterRef through the field `by`) as one JSON
    array for the outer row; NULL when there are none. Each row holds every concrete field,
    and each foreign key named in `related` as a nested object. Read it with instances()."""
    rows = (
        queryset.order_by()
        .values(by)
        .annotate(rows=_JSONArrayAgg(_object(queryset.model, "", related)))
        .values("rows")
    )
    return Subquery(rows, output_field=JSONField(decoder=_Decimals))


def instances[M: models.Model](
    model: type[M], rows: Iterable[dict[str, Any]] | None, order: Sequence[str] = ()
) -> list[M]:
    """Model instances from one json_rows() array, sorted by the fields in `order` (the
    databases cannot both order inside the array). Nested objects become the related
    instances, cached on the foreign key as select_related() leaves them."""
    result = [_instance(model, row) for row in rows or ()]
    if order:
        result.sort(key=lambda obj: tuple(getattr(obj, name) for name in order))
    return result


def _instance[M: models.Model](model: type[M], row: dict[str, Any]) -> M:
    fields = {field.attname: field for field in model._meta.concrete_fields}
    # from_db() takes the values in the fields' order; PostgreSQL's JSON sorts the keys.
    names = [name for name in fields if name in row]
    obj = model.from_db(None, names, [_value(fields[name], row[name]) for name in names])
    for name, value in row.items():
        if name not in fields and isinstance(value, dict):
            related = model._meta.get_field(name).related_model
            assert isinstance(related, type)
            setattr(obj, name, _instance(related, value))
    return obj


def _value(field: models.Field[Any, Any], value: Any) -> Any:
    """The value as the ORM would read it from the column."""
    value = field.to_python(value)
    if value is None:
        return None
    if isinstance(field, models.DecimalField):
        return value.quantize(Decimal(1).scaleb(-field.decimal_places))
    if isinstance(field, models.DateTimeField) and timezone.is_naive(value):
        return timezone.make_aware(value, UTC)  # SQLite keeps UTC without its offset
    return value
