"""Reading a QR code from a photo, for phones whose camera cannot be used live in the browser.

The photo is checked before it is decoded: a size limit, a real image of a known format, and a cap
on pixels read from the header before any are decoded (a small file can claim a huge image).
It is then shrunk to at most 1600 px: phone photos of 12 MP and more decode as well and far faster.
"""
import zxingcpp
from flask import current_app
from flask_babel import lazy_gettext as _l
from PIL import Image, UnidentifiedImageError

from points import images
from points.errors import Invalid

MAX_SIDE = 1600
FORMATS = ("JPEG", "PNG", "WEBP", "GIF", "BMP")


class PhotoTooLarge(Invalid):
    code = "photo_too_large"
    status = 413
    message = _l("The photo is too large. Please take a new photo of the code and try again.")


class NotAPhoto(Invalid):
    code = "not_a_photo"
    message = _l("This file is not a photo that can be read. Please take a photo (JPEG or PNG) of the code.")


class NoCodeFound(Invalid):
    code = "no_qr_found"
    message = _l("No code found in the photo. Please take it again, closer and in good light.")


def decode_photo(stream):
    """The text of the first QR code in an uploaded photo, or a refusal saying what is wrong."""
    limit = current_app.config["SCAN_PHOTO_MAX_BYTES"]
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise PhotoTooLarge()
    if not data:
        raise NotAPhoto()
    image = _shrunk(_opened(data))
    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    texts = [barcode.text for barcode in found if barcode.text]
    if not texts:
        raise NoCodeFound()
    return texts[0]


def _opened(data):
    """The image with only its header read; refuses non-images and decompression bombs."""
    try:
        return images.open_header(data, FORMATS, current_app.config["SCAN_PHOTO_MAX_PIXELS"])
    except images.TooManyPixels:
        raise PhotoTooLarge() from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise NotAPhoto() from None


def _shrunk(image):
    """Greyscale, at most MAX_SIDE px on the longer side; JPEGs are scaled while they are decoded."""
    try:
        image.draft("L", (MAX_SIDE, MAX_SIDE))  # only JPEG acts on this; it saves most of the work
        image = image.convert("L")
        image.thumbnail((MAX_SIDE, MAX_SIDE))
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise NotAPhoto() from None  # truncated or corrupt pixel data
    return image
