"""Each kind of photo keeps its own pixel limit in one worker: a claim photo (at most 40 MP) and a photo
of a code at the door (at most 64 MP) are checked against their own limits, whatever came before."""
import io

import qrcode
from PIL import Image

from points.accounts.models import Role
from points.extensions import db
from points.redemption import venues

from tests.earning.helpers import image_bytes, multipart, upload
from tests.earning.test_claim_uploads import form


def photo_of_a_ticket(code="T1.abc", size=(8000, 6000)):
    """A 48 MP phone photo of a QR code, as a 48 MP camera takes it."""
    picture = Image.new("L", size, 255)
    picture.paste(qrcode.make(code, border=4).get_image().convert("L").resize((3000, 3000)), (2500, 1500))
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=80)
    return out.getvalue()


def claim_with_a_photo(client, headers, action, picture):
    return client.post("/api/v1/claims", headers=headers, **multipart(form(action, (picture, "photo.jpg"))))


def read_at_the_door(client, picture):
    return client.post("/scan/decode", headers={"Accept": "application/json"},
                       **multipart({"photo": upload(picture, "IMG_4000.jpg")}))


def test_a_48_mp_door_photo_is_read_after_a_claim_in_the_same_worker(client, token_for, login, make_user,
                                                                     resident, make_action):
    assert claim_with_a_photo(client, token_for(resident), make_action(), image_bytes()).status_code == 201
    venue = venues.create_venue("羽毛球馆", "badminton")
    db.session.commit()
    login(make_user(Role.STAFF, name="郑晓", venues=[venue]))
    response = read_at_the_door(client, photo_of_a_ticket())
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {"code": "T1.abc"}


def test_a_48_mp_claim_photo_is_refused_after_the_door_read_one(client, token_for, login, make_user, resident,
                                                                make_action):
    login(make_user(Role.STAFF, name="郑晓"))
    assert read_at_the_door(client, photo_of_a_ticket()).status_code == 200
    response = claim_with_a_photo(client, token_for(resident), make_action(), photo_of_a_ticket())
    assert response.status_code == 422
    assert "too many pixels (at most 40 megapixels)" in response.get_json()["error"]["message"]


def test_an_upload_at_its_limit_is_taken(app, client, token_for, resident, make_action):
    app.config["CLAIM_PHOTO_MAX_PIXELS"] = 800 * 600
    assert claim_with_a_photo(client, token_for(resident), make_action(), image_bytes((800, 600))).status_code == 201
    response = claim_with_a_photo(client, token_for(resident), make_action(), image_bytes((800, 601)))
    assert response.status_code == 422 and "too many pixels" in response.get_json()["error"]["message"]
