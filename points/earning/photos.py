"""Photo evidence: checked by content, re-encoded without EXIF, stored in the database.

Nothing a client sends is stored as sent: every upload is decoded by Pillow (JPEG, PNG or WebP,
judged by the bytes, not the name), turned upright, shrunk and saved as a fresh JPEG. All photos of a
claim are checked before any is written, so a bad one stores nothing; their bytes are written in the
claim's own transaction, so every instance of the app serves them and a failed request keeps none.
"""
from dataclasses import dataclass
from io import BytesIO

from flask import current_app, request
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError

from points import images
from points.earning.models import Blob, ClaimPhoto
from points.errors import Invalid, NotFound
from points.extensions import db

FORMATS = ("JPEG", "PNG", "WEBP")
QUALITY = 85
KEPT_FOR = 365 * 24 * 60 * 60  # seconds: a stored photo never changes


class BadPhoto(Invalid):
    code = "bad_photo"


@dataclass(frozen=True)
class Photo:
    """An upload that passed every check, re-encoded and ready to store."""

    data: bytes
    width: int
    height: int


def prepare_all(uploads):
    """Check and re-encode every upload (file-like objects); refuses the lot if one is bad."""
    uploads = [u for u in uploads if _has_content(u)]
    most = current_app.config["CLAIM_MAX_PHOTOS"]
    if len(uploads) > most:
        raise BadPhoto(_l("Please attach at most %(most)d photos.", most=most), field="photos")
    return [prepare(upload) for upload in uploads]


def prepare(upload):
    """One upload as a clean JPEG, or a BadPhoto refusal saying what is wrong with it."""
    return _reencode(_decode(_read_limited(upload)))


def store(claim, photos):
    """Record the photos on the claim, their bytes in the database, in the claim's own transaction."""
    for photo in photos:
        claim.photos.append(ClaimPhoto(blob=Blob.of(photo.data, "image/jpeg"), width=photo.width, height=photo.height))
    db.session.flush()


def send(claim, photo_id):
    """The photo's bytes, kept by the browser for a year (they never change) and by no shared cache."""
    photo = next((p for p in claim.photos if p.id == photo_id), None)
    if photo is None:
        raise NotFound(_l("This photo does not exist."))
    response = current_app.response_class(photo.blob.data, mimetype=photo.blob.content_type)
    response.set_etag(photo.blob.sha256)
    response.cache_control.private = True
    response.cache_control.max_age = KEPT_FOR
    response.cache_control.immutable = True
    return response.make_conditional(request)


def too_large_message():
    """For a request past MAX_CONTENT_LENGTH (413), in words a resident understands."""
    config = current_app.config
    return _l("The photos are too large: at most %(most)d photos of %(mb)d MB each.",
              most=config["CLAIM_MAX_PHOTOS"], mb=config["CLAIM_PHOTO_MAX_BYTES"] // (1024 * 1024))


def _has_content(upload):
    """A file input left empty still sends a part with no name; that is no photo."""
    return upload is not None and bool(getattr(upload, "filename", "") or getattr(upload, "content_length", 0))


def _read_limited(upload):
    limit = current_app.config["CLAIM_PHOTO_MAX_BYTES"]
    data = upload.stream.read(limit + 1) if hasattr(upload, "stream") else upload.read(limit + 1)
    if len(data) > limit:
        raise BadPhoto(_l("A photo is larger than %(mb)d MB. Please take it again or choose a smaller one.",
                          mb=limit // (1024 * 1024)), field="photos")
    if not data:
        raise BadPhoto(_l("A photo is empty. Please take it again."), field="photos")
    return data


def _decode(data):
    limit = current_app.config["CLAIM_PHOTO_MAX_PIXELS"]
    try:
        image = images.open_header(data, FORMATS, limit)
        image.load()
    except images.TooManyPixels:
        raise BadPhoto(_l("A photo has too many pixels (at most %(mp)d megapixels).", mp=limit // 1_000_000),
                       field="photos") from None
    except UnidentifiedImageError:
        raise BadPhoto(_l("A file is not a photo. Please send JPEG, PNG or WebP pictures."), field="photos") from None
    except (OSError, SyntaxError, ValueError, EOFError):
        # Truncated or corrupt image data: Pillow says so while decoding.
        raise BadPhoto(_l("A photo is damaged or incomplete. Please take it again."), field="photos") from None
    return image


def _reencode(image):
    """Upright, at most the configured size, RGB on white, saved afresh: no EXIF, no GPS, no extras."""
    try:
        image = ImageOps.exif_transpose(image)
    except (OSError, SyntaxError, ValueError, KeyError, TypeError):
        pass  # a broken orientation tag: keep the picture as it is
    side = current_app.config["CLAIM_PHOTO_LONG_SIDE"]
    try:
        image.thumbnail((side, side))
        rgba = image.convert("RGBA")
    except (OSError, ValueError):  # an exotic mode Pillow cannot convert
        raise BadPhoto(_l("A photo is damaged or incomplete. Please take it again."), field="photos") from None
    clean = Image.new("RGB", image.size, "white")
    clean.paste(rgba, mask=rgba.getchannel("A"))
    out = BytesIO()
    clean.save(out, "JPEG", quality=QUALITY, optimize=True)
    return Photo(out.getvalue(), clean.width, clean.height)
