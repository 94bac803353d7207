"""Civic Points (文明积分): earn points for civic actions, spend them at the service centre."""
import os
import secrets
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from points.jsonbody import JSONProvider

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config=None):
    """Build the app: defaults, then instance/config.py, then POINTS_* variables (or test_config)."""
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.json = JSONProvider(app)
    app.config.from_object("points.config")
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("POINTS")
    if test_config is not None:
        app.config.update(test_config)
    _derive_settings(app)

    from points import api, cli, extensions, lifecycle, models, security, web  # noqa: F401
    from points.routing import IdConverter

    app.url_map.converters["int"] = IdConverter

    extensions.init_app(app)
    security.init_app(app)
    lifecycle.init_app(app)
    web.init_app(app)
    api.init_app(app)
    cli.init_app(app)
    if app.config.get("PROXY_COUNT"):
        # Behind nginx or another proxy: trust its X-Forwarded-For/-Proto for addresses and HTTPS.
        count = int(app.config["PROXY_COUNT"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)
    return app


def _derive_settings(app):
    """Fill the settings that follow from others: database, secret key, Redis, time zone."""
    os.makedirs(app.instance_path, exist_ok=True)
    config = app.config
    config.setdefault(
        "SQLALCHEMY_DATABASE_URI",
        config.get("DATABASE_URL") or f"sqlite:///{Path(app.instance_path) / 'points.sqlite3'}",
    )
    if config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        from points.extensions import QueuedConnection  # SQLite transactions take turns fairly

        options = dict(config["SQLALCHEMY_ENGINE_OPTIONS"])
        options["connect_args"] = {"factory": QueuedConnection, **options.get("connect_args", {})}
        config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    if not config.get("SECRET_KEY"):
        config["SECRET_KEY"] = _instance_secret(Path(app.instance_path) / "secret_key")
    if config.get("REDIS_URL"):
        config["RATELIMIT_STORAGE_URI"] = config["REDIS_URL"]
    config["BABEL_DEFAULT_TIMEZONE"] = config["TIMEZONE"]


def _instance_secret(path):
    """A secret key generated on first run and kept in instance/, so sessions survive restarts."""
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
