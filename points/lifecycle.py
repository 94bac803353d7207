"""One commit per request, made here; rollback and one error shape for everything that fails.

When a request commits: once, after its answer is built (`commit_writes`), if the answer's status is
below 400 — a page, a redirect, a 201 — or if the request asked to keep its writes (`keep_writes`:
a refused scan is logged). Every other answer rolls back: a refusal that reaches the error handlers
(4xx), an unexpected error (500), a database that is unavailable (503). Operations never commit;
each is atomic on its own (points.atomic), so a view that catches a refusal and answers 200 or a
redirect commits nothing the refused operation wrote. Reads commit too (see `commit_writes`).
"""
import logging
import math
import time

from flask import g, has_request_context, jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

from points.errors import Refusal
from points.extensions import db, limiter

log = logging.getLogger(__name__)

# The database is down, restarting or (SQLite) locked for too long: the client should try again.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 5

HTTP_CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 409: "conflict", 413: "too_large", 415: "unsupported_media_type",
    422: "invalid_request", 429: "too_many_requests", 500: "internal_error", 503: "unavailable",
}


def init_app(app):
    app.after_request(commit_writes)
    app.register_error_handler(Refusal, refused)
    app.register_error_handler(CSRFError, stale_form)
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(Exception, unexpected)


def keep_writes():
    """Commit this request's writes although it answers with a refusal (a failed scan is logged).

    Outside a request (a command, a test calling an operation) the caller commits as it sees fit.
    """
    if has_request_context():
        g.keep_writes = True


def commit_writes(response):
    """Commit whatever succeeded; a refusal or failure leaves nothing behind unless told to keep it.

    Successful reads commit too: on PostgreSQL a ROLLBACK makes psycopg forget its prepared
    statements, and the hot read paths (GET /api/v1/me) would be planned again on every request.
    """
    if g.pop("keep_writes", False) or response.status_code < 400:
        db.session.commit()
    else:
        db.session.rollback()
    return response


def refused(error):
    db.session.rollback()
    return refusal_answer(error)


def refusal_answer(error):
    """What a refusal answers (an idempotency key also keeps it, to answer a retry the same)."""
    field = error.details.get("field")
    return answer(error.status, error.code, str(error.message), fields={field: [str(error.message)]} if field else None)


def stale_form(error):
    db.session.rollback()
    return answer(400, "csrf_failed", _("This page has expired. Please reload it and try again."))


def http_error(error):
    if error.code == 500 and isinstance(getattr(error, "original_exception", None), DATABASE_UNAVAILABLE):
        return unexpected(error.original_exception)  # a commit that failed after the view had answered
    _rollback()
    code = HTTP_CODES.get(error.code, "error")
    messages = getattr(error, "data", {}).get("messages") if hasattr(error, "data") else None
    if messages is not None:
        return answer(422, "invalid_request", _("Please check what you entered."), fields=_flatten(messages))
    if error.code == 429:
        # A person who tried too often goes back to the same page once the wait is over.
        return answer(429, code, wait_message(), headers=error.get_headers(), back=request.full_path.rstrip("?"))
    return answer(error.code, code, _message(error.code), headers=error.get_headers())


def wait_message():
    """How long a person who hit a rate limit waits, in whole minutes from the limit's reset."""
    limit = limiter.current_limit
    if limit is None:
        return _message(429)
    # reset_at is rounded up to the next whole second: take that second off before rounding up to minutes.
    minutes = max(1, math.ceil((limit.reset_at - 1 - time.time()) / 60))
    return ngettext("Too many tries. Please wait %(num)d minute and try again.",
                    "Too many tries. Please wait %(num)d minutes and try again.", minutes)


def unexpected(error):
    if isinstance(error, DATABASE_UNAVAILABLE):
        log.warning("database unavailable: %s", error)
        _rollback()
        return answer(503, "unavailable", _message(503), headers=[("Retry-After", str(RETRY_AFTER_SECONDS))])
    log.exception("unexpected error", exc_info=error)
    _rollback()
    return http_error(InternalServerError())


def _rollback():
    """Roll back, even over a connection the database has already dropped."""
    try:
        db.session.rollback()
    except DATABASE_UNAVAILABLE:
        db.session.close()


def answer(status, code, message, fields=None, headers=None, back=None):
    """JSON for API clients, a calm page for people (`back`: a link to the page to try again)."""
    if wants_json():
        body = {"error": {"code": code, "message": message}}
        if fields:
            body["error"]["fields"] = fields
        response = jsonify(body)
    else:
        response = render_template("error.html", status=status, message=message, fields=fields, back=back)
    response_headers = [h for h in (headers or []) if h[0].lower() != "content-type"]
    return response, status, response_headers


def wants_json():
    return request.path.startswith("/api/") or request.path == "/healthz" or (
        request.accept_mimetypes.best == "application/json"
    )


def _message(status):
    messages = {
        400: _("The request could not be understood."),
        401: _("Please sign in."),
        403: _("You are not allowed to do this."),
        404: _("This page or item does not exist."),
        405: _("This action is not available here."),
        413: _("The upload is too large."),
        415: _("This kind of content is not accepted."),
        429: _("Too many attempts. Please wait a few minutes and try again."),
        503: _("The service is not available right now. Please try again shortly."),
    }
    return messages.get(status, _("Something went wrong on our side. Nothing was changed; please try again."))


def _flatten(messages):
    """webargs nests messages by location ({"json": {"points": [...]}}); keep field -> texts."""
    flat = {}
    for location in messages.values():
        for field, texts in (location.items() if isinstance(location, dict) else []):
            flat[field] = [str(t) for t in texts] if isinstance(texts, list) else [str(texts)]
    return flat
