"""The one typeface of every document: WenQuanYi Micro Hei, embedded so Chinese renders in any viewer.

Why this font: reportlab embeds only TrueType outlines (Noto/Source Han CJK ship
as CFF "OTTO" files it refuses), and Micro Hei is a TrueType-outline face with
Latin and over 20,000 CJK ideographs (GB 18030) in a 5 MB collection, licensed
Apache-2.0 or GPL-3+ with the font exception (see wqy-microhei.COPYRIGHT), so
documents made with it may be embedded and shared freely. The file is kept in
the repository rather than fetched, so every machine builds byte-identical
PDFs: the SHA-256 of a document depends on the exact font bytes.
Taken unchanged from Debian's fonts-wqy-microhei 0.2.0-beta-3.1
(sha256 2420e8078af796b19a3f6ef13de527a1a91c1e7171eea115926c614ced1009b3).
"""

from __future__ import annotations

import threading
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_NAME = "WQYMicroHei"
FONT_FILE = Path(__file__).resolve().parent.parent / "fonts" / "wqy-microhei.ttc"

_lock = threading.Lock()


def register_fonts() -> str:
    """Registers the face with reportlab once per process and returns its name.

    The face has no bold or italic: <b> and <i> map to the same face so that
    markup never fails, and headings are set apart by size and colour instead.
    """
    with _lock:
        if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(FONT_NAME, str(FONT_FILE), subfontIndex=0))
            for bold in (0, 1):
                for italic in (0, 1):
                    addMapping(FONT_NAME, bold, italic, FONT_NAME)
    return FONT_NAME
