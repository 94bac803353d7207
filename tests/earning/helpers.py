"""Helpers for earning tests: pictures made with Pillow, uploads for the test client, what is stored."""
import io

from PIL import Image
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import stream_encode_multipart
from sqlalchemy import func, select

from points.earning.models import Blob, Claim, ClaimPhoto
from points.extensions import db


def image_bytes(size=(800, 600), fmt="JPEG", mode="RGB", **save):
    """A picture made with Pillow, as the bytes of a file."""
    out = io.BytesIO()
    Image.new(mode, size, "white" if mode != "L" else 255).save(out, fmt, **save)
    return out.getvalue()


def upload(data, name="photo.jpg"):
    """A file for a multipart form."""
    return FileStorage(io.BytesIO(data), filename=name, content_type="image/jpeg")


def multipart(fields):
    """Keyword arguments for client.post sending `fields` (lists for repeated names) as multipart/form-data.

    Encoded in memory: the test client would spool a large body to a temporary file it never closes.
    """
    data = MultiDict()
    for name, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            data.add(name, item)
    stream, length, boundary = stream_encode_multipart(data, use_tempfile=False)
    return {"input_stream": stream, "content_length": length,
            "content_type": f"multipart/form-data; boundary={boundary}"}


def rows():
    """(claims, photos) in the database."""
    return _count(Claim), _count(ClaimPhoto)


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def stored_photos():
    """The bytes of every file kept in the database, oldest first."""
    return list(db.session.scalars(select(Blob.data).order_by(Blob.id)))




def fetch(client, url, **kwargs):
    """GET a photo and close the file behind it: (status, mimetype, bytes, cache_control, headers)."""
    with client.get(url, **kwargs) as response:
        return response.status_code, response.mimetype, response.get_data(), response.cache_control, response.headers
