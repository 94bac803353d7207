"""Refusals: a business rule said no. The API answers with code and status, pages with a message."""
from flask_babel import lazy_gettext as _l


class Refusal(Exception):
    code = "refused"
    status = 409
    message = _l("This cannot be done.")

    def __init__(self, message=None, *, code=None, status=None, **details):
        super().__init__(message or self.message)
        if message is not None:
            self.message = message
        self.code = code or self.code
        self.status = status or self.status
        self.details = details

    def __str__(self):
        return str(self.message)


class NotFound(Refusal):
    code = "not_found"
    status = 404
    message = _l("Not found.")


class Forbidden(Refusal):
    code = "forbidden"
    status = 403
    message = _l("You are not allowed to do this.")


class Invalid(Refusal):
    code = "invalid"
    status = 422
    message = _l("Please check what you entered.")


class KeyReused(Refusal):
    code = "idempotency_key_reused"
    message = _l("This request key was already used for a different request.")
