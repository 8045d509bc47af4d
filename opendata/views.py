"""The read-only open-data API (/api/v1/), its OpenAPI schema and the zip of all public data."""

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponseBase, JsonResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from kraeftplan.files import stored_file_response
from kraeftplan.formatting import format_number

from .datazip import STORED_NAME, ensure_built
from .resources import (
    BY_NAME,
    MAX_WHOLE,
    RESOURCES,
    BadParameter,
    Filter,
    whole_number,
)

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000


def in_danish[**P](
    view: Callable[P, HttpResponseBase],
) -> Callable[P, HttpResponseBase]:
    """The API and the data files speak Danish whatever the client's Accept-Language (they are
    outside the language prefixes): their names are Danish, so are their descriptions and
    messages, and every address has one answer, which is the one the page store keeps."""

    @wraps(view)
    def in_danish_view(*args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
        with translation.override(settings.LANGUAGE_CODE):
            response = view(*args, **kwargs)
        response.headers["Content-Language"] = settings.LANGUAGE_CODE
        return response

    return in_danish_view


def _error(messages: Iterable[object], status: int = 400) -> JsonResponse:
    return JsonResponse(
        {"fejl": [str(m) for m in messages]},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


def _paging(params: dict[str, str]) -> tuple[int, int]:
    limit = whole_number(params.pop("limit", str(DEFAULT_LIMIT)).strip())
    offset = whole_number(params.pop("offset", "0").strip())
    if limit is None or offset is None:
        raise BadParameter(
            _("limit and offset must be whole numbers, offset at most %(max)s.")
            % {"max": format_number(MAX_WHOLE)}
        )
    if not 1 <= limit <= MAX_LIMIT:
        raise BadParameter(
            _("limit must be between 1 and %(max)s, and offset 0 or more.") % {"max": MAX_LIMIT}
        )
    return limit, offset


@csrf_exempt  # read-only: any other method is a 405, not a CSRF 403
@require_safe
@in_danish
def resource_list(request: HttpRequest, name: str) -> JsonResponse:
    resource = BY_NAME.get(name)
    if resource is None:
        raise Http404
    params = request.GET.dict()
    try:
        limit, offset = _paging(params)
        queryset = resource.filtered(params)
    except BadParameter as error:
        return _error([error])
    count = queryset.count()
    page = list(queryset[offset : offset + limit])
    base = request.build_absolute_uri(request.path)

    def link(new_offset: int) -> str:
        query = request.GET.copy()
        query["offset"] = str(new_offset)
        query["limit"] = str(limit)
        return f"{base}?{query.urlencode()}"

    return JsonResponse(
        {
            "count": count,
            "next": link(offset + limit) if offset + limit < count else None,
            "previous": link(max(0, offset - limit)) if offset > 0 else None,
            "results": [resource.row(obj) for obj in page],
        },
        json_dumps_params={"ensure_ascii": False},
    )


@csrf_exempt  # read-only: any other method is a 405, not a CSRF 403
@require_safe
@in_danish
def index(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        {
            "beskrivelse": _("Open data from Kræftplan-portalen. Only published material."),
            "openapi": request.build_absolute_uri(reverse("opendata:openapi")),
            "ressourcer": {
                r.name: request.build_absolute_uri(reverse("opendata:api_list", args=[r.name]))
                for r in RESOURCES
            },
        },
        json_dumps_params={"ensure_ascii": False},
    )


def openapi_schema() -> dict[str, Any]:
    """The OpenAPI description of the API, exactly as strict as the API: every value it
    describes as valid is answered with 200, every other with a 400 in Danish (the API test runs
    Schemathesis against it)."""
    paging = [
        {
            "name": "limit",
            "in": "query",
            "required": False,
            "description": _("Rows per page, at most %(max)s.") % {"max": MAX_LIMIT},
            "schema": {
                "type": "integer",
                "minimum": 1,
                "maximum": MAX_LIMIT,
                "default": DEFAULT_LIMIT,
            },
        },
        {
            "name": "offset",
            "in": "query",
            "required": False,
            "description": _("Rows to skip before the page."),
            "schema": {"type": "integer", "minimum": 0, "maximum": MAX_WHOLE, "default": 0},
        },
    ]
    bad_parameter = {
        "description": _(
            "A parameter the API cannot use: unknown, of the wrong type or out of range, or "
            "holding a control character. The messages are in Danish."
        ),
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/fejl"}}},
    }
    # Filters share their schema functions (the plans' slugs, say): each is read once.
    parameter_schemas: dict[Callable[[], dict[str, Any]], dict[str, Any]] = {}

    def parameter_schema(f: Filter) -> dict[str, Any]:
        if f.schema not in parameter_schemas:
            parameter_schemas[f.schema] = f.schema()
        return parameter_schemas[f.schema]

    paths: dict[str, Any] = {}
    for resource in RESOURCES:
        parameters = [
            {
                "name": name,
                "in": "query",
                "required": False,
                "description": str(f.description),
                "schema": parameter_schema(f),
                # An empty filter filters nothing (Resource.filtered), as from a blank form field.
                "allowEmptyValue": True,
            }
            for name, f in resource.filters.items()
        ] + paging
        paths[f"/api/v1/{resource.name}/"] = {
            "get": {
                "summary": str(resource.title),
                "operationId": f"list_{resource.name}",
                "parameters": parameters,
                "responses": {
                    "200": {
                        "description": _("One page of rows."),
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "count": {
                                            "type": "integer",
                                            "minimum": 0,
                                            "description": _("Rows in all pages."),
                                        },
                                        "next": {
                                            "type": ["string", "null"],
                                            "format": "uri",
                                            "description": _("Address of the next page, if any."),
                                        },
                                        "previous": {
                                            "type": ["string", "null"],
                                            "format": "uri",
                                            "description": _(
                                                "Address of the previous page, if any."
                                            ),
                                        },
                                        "results": {
                                            "type": "array",
                                            "maxItems": MAX_LIMIT,
                                            "items": {
                                                "$ref": f"#/components/schemas/{resource.name}"
                                            },
                                        },
                                    },
                                    "required": ["count", "next", "previous", "results"],
                                    "additionalProperties": False,
                                }
                            }
                        },
                    },
                    "400": bad_parameter,
                },
            }
        }
    schemas = {r.name: r.schema() for r in RESOURCES}
    schemas["fejl"] = {
        "type": "object",
        "description": _("What was wrong with the request, in Danish."),
        "properties": {
            "fejl": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}}
        },
        "required": ["fejl"],
        "additionalProperties": False,
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Kræftplan-portalen API",
            "version": "1",
            "description": str(
                _(
                    "Read-only open data about Denmark's national cancer plans. Amounts are "
                    "exact decimals written as strings, in mio. kr. Every address answers GET "
                    "and HEAD; any other method gets 405 Method Not Allowed."
                )
            ),
        },
        "paths": paths,
        "components": {"schemas": schemas},
    }


@csrf_exempt  # read-only: any other method is a 405, not a CSRF 403
@require_safe
@in_danish
def openapi(request: HttpRequest) -> JsonResponse:
    return JsonResponse(openapi_schema(), json_dumps_params={"ensure_ascii": False})


@csrf_exempt  # read-only: any other method is a 405, not a CSRF 403
@require_safe
@in_danish
def data_zip(request: HttpRequest) -> HttpResponseBase:
    """The stored zip, as the worker last built it (see datazip)."""
    ensure_built()
    return stored_file_response(request, STORED_NAME, "kraeftplan-data.zip")
