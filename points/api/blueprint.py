"""The API's blueprints: flask-smorest's, reading bodies with the app's JSON rule (points.jsonbody)."""
import flask_smorest

from points.jsonbody import Parser


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = Parser()
