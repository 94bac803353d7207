"""Reading JSON bodies: one rule for Flask's `get_json` and for the API's webargs parser alike.

Python's json module answers a body nested a thousand levels deep with a RecursionError, which
neither Flask nor webargs expects; here it is a malformed body like any other (400).
"""
import json

from flask import current_app
from flask.json.provider import DefaultJSONProvider
from webargs import core
from webargs.flaskparser import FlaskParser, is_json_request


class JSONProvider(DefaultJSONProvider):
    def loads(self, s, **kwargs):
        try:
            return super().loads(s, **kwargs)
        except RecursionError:
            raise json.JSONDecodeError("nested too deeply", "", 0) from None


class Parser(FlaskParser):
    """webargs, reading bodies with the app's JSON provider."""

    def _raw_load_json(self, req):
        if not is_json_request(req):
            return core.missing
        return current_app.json.loads(req.get_data(cache=True))
