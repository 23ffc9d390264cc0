"""
The source formats a profile image may be uploaded in, and which of them this server can decode.

JPEG, PNG and GIF are always accepted. The formats phone galleries hold are accepted when a
decoder for them is installed: WebP through Pillow's own plugin (present in every Pillow
wheel), AVIF through Pillow's own plugin (Pillow 11.2 or later built with libavif, as its
wheels are), HEIC/HEIF through the ``pillow-heif`` package (the ``heif`` extra). A format whose
decoder is missing is known but unavailable: it is refused with a message naming what the
server lacks, never handed to another decoder.

Recognising a file never decodes it: the leading bytes are compared with each format's
signature, and for the ISO base media file formats (HEIF, AVIF) the brands of the ``ftyp``
box decide, since their first bytes are a box size.
"""

from __future__ import annotations

import struct
from functools import cache
from typing import NamedTuple

from PIL import Image, features

__all__ = [
    "HEIF_BRANDS",
    "AVIF_BRANDS",
    "IMAGE_TYPES",
    "ImageType",
    "SNIFF_LENGTH",
    "available_types",
    "ftyp_brands",
    "type_for_media_type",
    "webp_canvas_size",
]

# HEVC-coded HEIF brands (still images, collections and sequences). ``mif1``/``msf1`` alone
# say nothing about the codec (AVIF files carry them too), so they do not make a file HEIF.
HEIF_BRANDS = frozenset({b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs"})
AVIF_BRANDS = frozenset({b"avif", b"avis"})

# Enough leading bytes for every signature and a whole ordinary ``ftyp`` box.
SNIFF_LENGTH = 256


class ImageType(NamedTuple):
    """One source format: its names, how its data is recognised, and its Pillow decoder."""

    extensions: tuple[str, ...]
    mimetypes: tuple[str, ...]
    pillow_format: str
    label: str  # how users know the format
    magic: tuple[str, ...] = ()  # lower-case hex of leading bytes, any of which identifies it
    riff_form: bytes = b""  # RIFF container form type (bytes 8-11)
    brands: frozenset[bytes] = frozenset()  # ISOBMFF ftyp brands, any of which identifies it
    requirement: str = ""  # what the server needs to decode it; empty for the always-present decoders

    def matches(self, header: bytes) -> bool:
        """Whether ``header`` (the file's first ``SNIFF_LENGTH`` bytes) is data of this format."""
        if any(header.startswith(bytes.fromhex(magic)) for magic in self.magic):
            return True
        if self.riff_form and header[:4] == b"RIFF" and header[8:12] == self.riff_form:
            return True
        return bool(self.brands and ftyp_brands(header) & self.brands)


# Order matters: the first entry whose extension matches the file name wins, and the
# extensions are listed to users in this order.
IMAGE_TYPES: dict[str, ImageType] = {
    "jpeg": ImageType(
        extensions=(".jpeg", ".jpg"),
        mimetypes=("image/jpeg", "image/pjpeg"),
        pillow_format="JPEG",
        label="JPEG",
        # SOI followed by the first marker's 0xFF: three bytes, so "\xff\xd8" alone
        # (which other formats and random data can start with) is not enough.
        magic=("ffd8ff",),
    ),
    "png": ImageType(
        extensions=(".png",), mimetypes=("image/png",), pillow_format="PNG", label="PNG",
        magic=("89504e470d0a1a0a",),
    ),
    "gif": ImageType(
        extensions=(".gif",), mimetypes=("image/gif",), pillow_format="GIF", label="GIF",
        magic=("474946383961", "474946383761"),  # GIF89a, GIF87a
    ),
    "webp": ImageType(
        extensions=(".webp",), mimetypes=("image/webp",), pillow_format="WEBP", label="WebP",
        riff_form=b"WEBP", requirement="Pillow built with WebP support",
    ),
    "heif": ImageType(
        extensions=(".heic", ".heif"),
        mimetypes=("image/heic", "image/heif", "image/heic-sequence", "image/heif-sequence"),
        pillow_format="HEIF",
        label="HEIC/HEIF",
        brands=HEIF_BRANDS,
        requirement="the pillow-heif package (pip install 'openedx-learner-apis[heif]')",
    ),
    "avif": ImageType(
        extensions=(".avif",), mimetypes=("image/avif",), pillow_format="AVIF", label="AVIF",
        brands=AVIF_BRANDS, requirement="Pillow 11.2 or later built with AVIF support",
    ),
}


def ftyp_brands(header: bytes) -> frozenset[bytes]:
    """The major and compatible brands of a leading ``ftyp`` box; empty when there is none."""
    if len(header) < 16 or header[4:8] != b"ftyp":
        return frozenset()
    size = struct.unpack(">I", header[:4])[0]
    end = min(len(header), size) if size >= 16 else 16
    compatible = (header[offset:offset + 4] for offset in range(16, end - 3, 4))
    return frozenset({header[8:12], *compatible})


def _webp_present() -> bool:
    return bool(features.check("webp"))


def _avif_present() -> bool:
    try:
        from PIL import AvifImagePlugin  # Pillow >= 11.2
    except ImportError:
        return False
    return bool(getattr(AvifImagePlugin, "SUPPORTED", False))


def _heif_present() -> bool:
    """Register pillow-heif's HEIF opener (only that one) when the package is installed."""
    try:
        import pillow_heif
    except ImportError:
        return False
    Image.init()
    if "HEIF" not in Image.OPEN:
        # Options are left as the host set them; only the opener is added.
        pillow_heif.register_heif_opener()
    return "HEIF" in Image.OPEN


@cache
def _availability() -> dict[str, bool]:
    """Which formats have a decoder in this process (installed packages do not change at run time)."""
    optional = {"webp": _webp_present, "heif": _heif_present, "avif": _avif_present}
    return {key: optional[key]() if key in optional else True for key in IMAGE_TYPES}


def available_types() -> dict[str, ImageType]:
    """The formats this server decodes, in table order."""
    present = _availability()
    return {key: image_type for key, image_type in IMAGE_TYPES.items() if present[key]}


def type_for_media_type(media_type: str) -> ImageType | None:
    """The known format declared by a bare, lower-case media type, available or not."""
    return next((t for t in IMAGE_TYPES.values() if media_type in t.mimetypes), None)


def webp_canvas_size(header: bytes) -> tuple[int, int] | None:
    """
    The canvas size a WebP file declares, read from its first 30 bytes.

    Pillow's WebP decoder allocates its canvases when the file is opened, so the size has to
    be checked before opening. Lossy (``VP8 ``) keyframes carry 14-bit sizes after the start
    code, lossless (``VP8L``) streams 14-bit sizes minus one after their signature byte, and
    extended files (``VP8X``) 24-bit canvas sizes minus one.
    """
    if len(header) < 30 or header[:4] != b"RIFF" or header[8:12] != b"WEBP":
        return None
    chunk = header[12:16]
    if chunk == b"VP8 " and header[23:26] == b"\x9d\x01\x2a":
        width, height = struct.unpack("<HH", header[26:30])
        return width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L" and header[20] == 0x2F:
        bits = struct.unpack("<I", header[21:25])[0]
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8X":
        width = int.from_bytes(header[24:27], "little") + 1
        height = int.from_bytes(header[27:30], "little") + 1
        return width, height
    return None
