"""A picture of a report's table (PNG, JPEG, GIF, BMP, WebP): agencies that paste their
statistics tables into the page as images (截图), one picture a table. Read like a scanned
page (``crawler.extract.scan``: OCR, the table rebuilt from its ruling lines), each value
keeping its confidence."""

from __future__ import annotations

import io

from .document import Document
from .scan import ocr_missing, read_scanned_page

__all__ = ["MAX_PIXELS", "read_image"]

MAX_PIXELS = 40_000_000  # a picture larger than this is no table (a decompression bomb)


def read_image(body: bytes, number: int = 1) -> Document:
    """The picture's text and ruled tables by OCR; ``number``: the picture's place in
    the report (what ``Document.ocr_pages`` names)."""
    doc = Document("image")
    missing = ocr_missing()
    if missing:
        doc.warnings.append(f"a picture could not be read ({missing})")
        return doc
    import numpy as np
    from PIL import Image

    try:
        with Image.open(io.BytesIO(body)) as opened:
            if opened.width * opened.height > MAX_PIXELS:
                doc.warnings.append(f"a picture of {opened.width}x{opened.height} pixels is "
                                    "too large to be a table; not read")
                return doc
            image = opened.convert("RGB")
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        doc.warnings.append(f"a picture could not be opened ({exc})")
        return doc
    scanned = read_scanned_page(np.array(image), f"picture {number}")
    doc.text, doc.grids, doc.ocr_pages = scanned.text, scanned.grids, [number]
    return doc
