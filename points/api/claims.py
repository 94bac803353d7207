"""Claims through the API: submit (JSON or multipart with photos), list, approve, reject, withdraw."""
from flask import g, request
from points.api.blueprint import Blueprint

from points.accounts import reach
from points.accounts.models import Role
from points.api.auth import token_required
from points.api.earning_schemas import ClaimIn, ClaimOut, ClaimPage, ClaimQuery, ClaimUpload, RejectIn
from points.earning import claims, photos
from points.idempotency import idempotent
from points.lifecycle import answer

blp = Blueprint("claims", __name__, url_prefix="/api/v1", description="Claims (申报) and their review")
BODY = {"required": True, "content": {"application/json": {"schema": ClaimIn},
                                      "multipart/form-data": {"schema": ClaimUpload}}}


@blp.errorhandler(413)
def too_large(_error):
    return answer(413, "too_large", str(photos.too_large_message()))


@blp.post("/claims")
@token_required()
@idempotent
@blp.doc(requestBody=BODY)
@blp.response(201, ClaimOut)
def create_claim():
    """Claim points for a civic action; photos as multipart `photos` files (JPEG, PNG or WebP)."""
    body, uploads = _claim_body()
    resident = reach.resident_for(g.api_user, body.get("user_id"), field="user_id", scope=reach.Scope.CLAIM)
    return claims.submit(g.api_user, resident, body["action_type_id"], body["occurred_on"], body["quantity"],
                         body["note"], uploads)


@blp.get("/claims")
@token_required()
@blp.arguments(ClaimQuery, location="query")
@blp.response(200, ClaimPage)
def list_claims(query):
    """A resident's own claims; a reviewer's communities'; all for an admin. Newest first."""
    before = int(query["cursor"]) if query["cursor"] else None
    items = claims.claims_for(g.api_user, query["status"], limit=query["limit"], before=before)
    more = len(items) == query["limit"]
    return {"items": items, "next_cursor": str(items[-1].id) if more else None}


@blp.get("/claims/<int:claim_id>")
@token_required()
@blp.response(200, ClaimOut)
def get_claim(claim_id):
    """One claim, if it is yours or your community's (404 otherwise)."""
    return claims.visible(g.api_user, claim_id)


@blp.post("/claims/<int:claim_id>/approve")
@token_required(Role.REVIEWER, Role.ADMIN)
@idempotent
@blp.response(200, ClaimOut)
def approve_claim(claim_id):
    """Approve: the award is posted once and counted against the caps, in one transaction."""
    return claims.approve(g.api_user, claims.visible(g.api_user, claim_id))


@blp.post("/claims/<int:claim_id>/reject")
@token_required(Role.REVIEWER, Role.ADMIN)
@idempotent
@blp.arguments(RejectIn)
@blp.response(200, ClaimOut)
def reject_claim(body, claim_id):
    """Reject with a reason the resident will read."""
    return claims.reject(g.api_user, claims.visible(g.api_user, claim_id), body["reason"])


@blp.post("/claims/<int:claim_id>/withdraw")
@token_required()
@idempotent
@blp.response(200, ClaimOut)
def withdraw_claim(claim_id):
    """Take back a claim that is still pending."""
    return claims.withdraw(g.api_user, claims.visible(g.api_user, claim_id))


@blp.get("/claims/<int:claim_id>/photos/<int:photo_id>")
@token_required()
@blp.response(200, content_type="image/jpeg", description="The photo, re-encoded as JPEG")
def claim_photo(claim_id, photo_id):
    """A claim's photo, for the resident and the reviewers of their community only."""
    return photos.send(claims.visible(g.api_user, claim_id), photo_id)


def _claim_body():
    """The fields from JSON, or from a multipart form with the photos beside them."""
    if request.mimetype == "multipart/form-data":
        return blp.ARGUMENTS_PARSER.parse(ClaimIn(), request, location="form"), request.files.getlist("photos")
    return blp.ARGUMENTS_PARSER.parse(ClaimIn(), request, location="json"), []
