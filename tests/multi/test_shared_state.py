"""What one instance learns, the other knows: a claim's photo, and how often a phone number was tried."""
import io

import pytest
from limits import parse
from PIL import Image
from werkzeug.datastructures import MultiDict
from werkzeug.test import encode_multipart

from points import ledger
from points.accounts.models import Role
from points.earning import claims
from tests.earning.helpers import image_bytes, upload

pytestmark = [pytest.mark.postgres, pytest.mark.multi]


def test_a_photo_sent_to_one_instance_is_reviewed_on_the_other(cluster, make_user, token_for, make_action):
    resident, reviewer = make_user(name="张桂兰"), make_user(Role.REVIEWER, name="赵敏")
    action = make_action(points=3, evidence_required=True)
    resident_headers, reviewer_headers = token_for(resident), token_for(reviewer)
    boundary, form = encode_multipart(MultiDict([
        ("action_type_id", str(action.id)), ("occurred_on", claims.local_today().isoformat()),
        ("note", "3号楼楼道"), ("photos", upload(image_bytes((800, 600)))),
    ]))
    sent = cluster.send("POST", "/api/v1/claims", form,
                        {**resident_headers, "Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert sent.status == 201, sent.body
    claim = sent.json()

    # nginx's round robin: the reviewer's next request goes to the instance the photo was not sent to.
    approved = cluster.send("POST", f"/api/v1/claims/{claim['id']}/approve", headers=reviewer_headers)
    assert approved.upstream != sent.upstream
    assert (approved.status, approved.json()["status"]) == (200, "approved")
    shown = [cluster.send("GET", claim["photos"][0]["url"], headers=reviewer_headers) for _ in cluster.instances]
    assert {answer.upstream for answer in shown} == cluster.addresses
    assert [(answer.status, answer.headers["Content-Type"]) for answer in shown] == [(200, "image/jpeg")] * 2
    assert Image.open(io.BytesIO(shown[1].body)).size == (800, 600)
    assert ledger.balance(resident.id).available == 3


def test_sign_in_attempts_on_both_instances_count_together(app, cluster, make_user):
    resident = make_user()
    allowed = parse(app.config["LOGIN_LIMIT_PER_PHONE"]).amount  # the instances run with the same default
    guesses = [cluster.post_json("/api/v1/auth/token", {"phone": resident.phone, "password": f"guess{i}"})
               for i in range(allowed)]
    assert [answer.status for answer in guesses] == [401] * allowed
    assert {answer.upstream for answer in guesses} == cluster.addresses

    # Counted per instance, each would have seen only half of them and let this one through.
    right = cluster.post_json("/api/v1/auth/token", {"phone": resident.phone, "password": "password1"})
    assert right.status == 429
    assert right.json()["error"]["code"] == "too_many_requests"
