"""The JSON API under /api/v1, with its OpenAPI document generated from the schemas."""
from flask_smorest import Api as SmorestApi

from points.api import (
    action_types, activities, audit, awards, bookings, checkins, claims, exports, households, imports, me, reports,
    transfers, venues,
)
from points.api.activity_schemas import ParticipantIn
from points.api.schemas import Error
from points.extensions import csrf
from points.routing import IdConverter, id_parameter_schema


class Api(SmorestApi):
    """flask-smorest, with our own error shape (points.error_handlers) instead of its handler."""

    ERROR_SCHEMA = Error

    def _register_error_handlers(self):
        pass


def init_app(app):
    api = Api(app, spec_kwargs={"info": {"description": "Civic Points (文明积分)"}})
    api.register_converter(IdConverter, id_parameter_schema)
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
    api.spec.options["security"] = [{"bearerAuth": []}]
    api.spec.components.schema("ParticipantIn", ParticipantIn.ONE_OF_THEM, schema=ParticipantIn)
    for module in (me, awards, transfers, action_types, claims, venues, bookings, checkins, activities, audit,
                   imports, reports, exports, households):
        api.register_blueprint(module.blp)
        csrf.exempt(module.blp)
