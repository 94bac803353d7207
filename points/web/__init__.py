"""The pages people use: sign-in, the resident's home, the admin's tools."""
from flask import jsonify
from sqlalchemy import text

from points.extensions import db, login_manager


def init_app(app):
    from points.web import imports
    from points import dates
    from points.web import expiry
    from points.web import households
    from points.web import helpers
    from points.web import exports, records, reports
    from points.web import (
        activities, admin, audit, auth, award_requests, board, bookings, catalogue, claims, codes, home, labels,
        member, review, scan, users, venue_admin, venues,
    )

    login_manager.login_view = "auth.login"  # its user loader is points.web.auth.load_user
    login_manager.login_message = None
    for module in (auth, home, admin, award_requests, users, scan, claims, review, catalogue, board, venues, bookings,
                   venue_admin, member, activities, audit, codes):
        app.register_blueprint(module.bp)
    app.register_blueprint(expiry.bp)
    app.register_blueprint(imports.bp)
    app.register_blueprint(households.bp)
    app.register_blueprint(helpers.bp)
    for module in (reports, exports, records):
        app.register_blueprint(module.bp)
    labels.init_app(app)
    dates.init_app(app)
    app.add_url_rule("/healthz", "healthz", healthz)


def healthz():
    """200 when the database answers, 503 otherwise."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any failure to reach the database is "unavailable"
        db.session.rollback()
        return jsonify(status="unavailable"), 503
    return jsonify(status="ok")
