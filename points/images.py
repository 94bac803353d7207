"""Opening an uploaded picture: its pixels are counted from the header before any are decoded.

Pillow reads only the header on `Image.open` (width and height) and decodes on `load`, so a small
file claiming a huge picture is refused before it costs memory. Each caller passes its own limit:
Pillow's process-wide `Image.MAX_IMAGE_PIXELS` is never changed, so one kind of upload cannot change
what another accepts in the same worker. Pillow's own check stays underneath (a warning past 89 MP,
an error past twice that); both count as too many pixels here.
"""
from io import BytesIO

from PIL import Image


class TooManyPixels(Exception):
    """The picture's header claims more pixels than the caller accepts."""


def open_header(data, formats, max_pixels):
    """The picture in `data` with only its header read, or TooManyPixels past `max_pixels`.

    A file that is no picture of `formats` raises what Pillow raises (UnidentifiedImageError, OSError).
    """
    try:
        image = Image.open(BytesIO(data), formats=formats)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # The warning arrives as an exception only where warnings are errors (as in the tests).
        raise TooManyPixels() from None
    if image.width * image.height > max_pixels:
        raise TooManyPixels()
    return image
