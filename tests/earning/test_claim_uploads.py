"""Photo evidence: bad uploads are refused clearly and leave nothing behind; stored photos carry no
EXIF or GPS and are served only to the resident and the reviewers of their community."""
import io
import struct
import zlib
from datetime import timedelta

import pytest
from PIL import Image

from points.accounts.models import Role
from points.earning import claims
from werkzeug.datastructures import FileStorage

from tests.earning.helpers import fetch, image_bytes, multipart, rows, stored_photos, upload

CLAIMS = "/api/v1/claims"
GPS_IFD, ORIENTATION, MAKE = 0x8825, 0x0112, 0x010F


def form(action, *files, **extra):
    return {"action_type_id": str(action.id), "occurred_on": claims.local_today().isoformat(), "quantity": "1",
            "note": "", "photos": [upload(data, name) for data, name in files], **extra}


def send(client, headers, action, *files):
    return client.post(CLAIMS, headers=headers, **multipart(form(action, *files)))


def png_bomb(width=30_000, height=30_000):
    """A PNG whose header claims 900 megapixels: decoding it would take gigabytes of memory."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    first_rows = zlib.compress(b"\0" * (width + 1) * 64, 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", first_rows) + chunk(b"IEND", b"")


def photo_with_exif_and_gps():
    """A 400×200 JPEG taken 'sideways' (orientation 6), with a camera make and a GPS position."""
    exif = Image.Exif()
    exif[ORIENTATION], exif[MAKE] = 6, "TestCam"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (36.0, 16.0, 30.0), 3: "E", 4: (120.0, 22.0, 10.0)})
    out = io.BytesIO()
    Image.new("RGB", (400, 200), "red").save(out, "JPEG", exif=exif.tobytes())
    assert Image.open(io.BytesIO(out.getvalue())).getexif().get_ifd(GPS_IFD)  # the test photo does carry GPS
    return out.getvalue()


def test_a_photo_is_stored_re_encoded_without_exif_or_gps(client, token_for, resident, make_action):
    response = send(client, token_for(resident), make_action(), (photo_with_exif_and_gps(), "IMG_0001.JPG"))
    assert response.status_code == 201
    photo = response.get_json()["photos"][0]
    (data,) = stored_photos()
    assert photo["size"] == len(data)
    stored = Image.open(io.BytesIO(data))
    assert stored.format == "JPEG"
    assert dict(stored.getexif()) == {} and "exif" not in stored.info
    assert (stored.width, stored.height) == (photo["width"], photo["height"]) == (200, 400)  # turned upright


def test_an_approved_photo_still_has_no_exif(client, token_for, resident, reviewer_user, make_action):
    claim = send(client, token_for(resident), make_action(), (photo_with_exif_and_gps(), "a.jpg")).get_json()
    client.post(f"{CLAIMS}/{claim['id']}/approve", headers=token_for(reviewer_user))
    status, mimetype, data, *_ = fetch(client, claim["photos"][0]["url"], headers=token_for(reviewer_user))
    assert (status, mimetype) == (200, "image/jpeg")
    assert dict(Image.open(io.BytesIO(data)).getexif()) == {}


def test_large_photos_are_shrunk_and_png_becomes_jpeg(client, token_for, resident, make_action):
    png = image_bytes((3200, 1200), "PNG", mode="RGBA")
    response = send(client, token_for(resident), make_action(), (png, "screen.png"))
    assert response.status_code == 201
    stored = Image.open(io.BytesIO(stored_photos()[0]))
    assert (stored.format, stored.size) == ("JPEG", (1600, 600))


BAD_UPLOADS = {
    "text renamed .jpg": (lambda: b"just some text, not a picture\n" * 10, "A file is not a photo"),
    "truncated jpeg": (lambda: image_bytes((1200, 900), quality=95)[:2000], "damaged or incomplete"),
    "60 megapixels": (lambda: image_bytes((8000, 7500), "PNG", mode="L"), "too many pixels"),
    "decompression bomb": (png_bomb, "too many pixels"),
    "oversize file": (lambda: image_bytes() + b"\0" * (8 * 1024 * 1024), "larger than 8 MB"),
    "empty file": (lambda: b"", "empty"),
}


@pytest.mark.parametrize("kind", BAD_UPLOADS)
def test_bad_uploads_are_refused_and_store_nothing(client, token_for, resident, make_action, kind):
    make, message = BAD_UPLOADS[kind]
    good = (image_bytes(), "good.jpg")
    response = send(client, token_for(resident), make_action(), good, (make(), "photo.jpg"))
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "bad_photo" and message in error["message"]
    assert "photos" in error["fields"]
    assert rows() == (0, 0) and stored_photos() == []


def test_too_many_photos_are_refused(client, token_for, resident, make_action):
    photos = [(image_bytes((40, 30)), f"{n}.jpg") for n in range(6)]
    response = send(client, token_for(resident), make_action(), *photos)
    assert response.status_code == 422 and "at most 5 photos" in response.get_json()["error"]["message"]
    assert rows() == (0, 0) and stored_photos() == []


def test_a_request_past_the_size_limit_gets_a_clear_413(app, client, token_for, resident, make_action):
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    big = image_bytes() + b"\0" * (2 * 1024 * 1024)
    response = send(client, token_for(resident), make_action(), (big, "big.jpg"))
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "too_large"
    assert "photos are too large" in response.get_json()["error"]["message"]
    assert rows() == (0, 0) and stored_photos() == []


def test_photos_are_shown_only_to_the_resident_and_their_reviewers(client, token_for, make_user, resident,
                                                                    reviewer_user, make_action):
    claim = send(client, token_for(resident), make_action(), (image_bytes(), "a.jpg")).get_json()
    url = claim["photos"][0]["url"]
    allowed = [resident, reviewer_user, make_user(Role.ADMIN)]
    refused = [make_user(name="刘德华"), make_user(Role.REVIEWER, community="午山社区")]
    for person in allowed:
        assert fetch(client, url, headers=token_for(person))[0] == 200
    for person in refused:
        assert fetch(client, url, headers=token_for(person))[0] == 404
    assert client.get(url).status_code == 401
    assert client.get(f"{CLAIMS}/{claim['id']}/photos/999", headers=token_for(resident)).status_code == 404


def test_the_photo_is_kept_by_the_browser_only_and_never_fetched_twice(client, token_for, resident, make_action):
    headers = token_for(resident)
    claim = send(client, headers, make_action(), (image_bytes(), "a.jpg")).get_json()
    *_, data, cache_control, sent = fetch(client, claim["photos"][0]["url"], headers=headers)
    assert cache_control.private and not cache_control.public
    assert cache_control.immutable and cache_control.max_age >= 365 * 24 * 3600
    assert sent["X-Content-Type-Options"] == "nosniff"
    again = fetch(client, claim["photos"][0]["url"], headers={**headers, "If-None-Match": sent["ETag"]})
    assert again[0] == 304 and again[2] == b"" and data


def test_an_empty_file_field_is_no_photo(client, token_for, resident, make_action):
    data = form(make_action(), photos=[FileStorage(io.BytesIO(b""), filename="")])
    response = client.post(CLAIMS, headers=token_for(resident), **multipart(data))
    assert response.status_code == 201 and response.get_json()["photos"] == []


def test_multipart_fields_are_checked_like_json(client, token_for, resident, make_action):
    day = (claims.local_today() + timedelta(days=1)).isoformat()
    response = client.post(CLAIMS, headers=token_for(resident), **multipart(form(make_action(), occurred_on=day)))
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "date_in_future"
