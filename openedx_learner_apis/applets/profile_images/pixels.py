"""
Memory-bounded pixel work for profile images: the decoded-size estimate and the strip reducer.

A small upload can describe a very large bitmap (a 280 KB PNG of 6000x6000 16-bit RGBA
pixels decodes to 144 MB). Converting such a bitmap in one piece (alpha flattening, colour
management, 16-bit scaling) makes several full-size copies, so the worker's peak memory is a
multiple of the decoded size. Here only the decoded bitmap is ever full size: the centred
square is converted to RGB a band of rows at a time and box-reduced as it goes, so the extra
memory is the reduced square plus one band. The decoded size itself is estimated from the
header, before decoding, so that the caller can refuse what does not fit its budget; for the
formats phones write (WebP, AVIF, HEIF) it includes the codec's own buffers, which for these
decoders are several times the bitmap.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable

from PIL import Image, ImageCms

from .isobmff import WORST_CODING, Coding

__all__ = ["decoded_bytes", "reduced_rgb_square", "rgb_converter", "webp_decoded_bytes"]

# Bytes per pixel of Pillow's in-memory storage. Modes not listed take 4 (RGB is stored as
# RGBX, LA as four bytes too).
_BYTES_PER_PIXEL = {"1": 1, "L": 1, "P": 1, "I;16": 2, "I;16B": 2, "I;16L": 2, "I;16N": 2}

# Pixels converted per band: 256 Ki pixels, so a band and its copies take a few MB.
_BAND_PIXELS = 1 << 18

_JPEG_FORMATS = ("JPEG", "MPO")

Converter = Callable[[Image.Image], Image.Image]


def _coefficient_bytes(img: Image.Image, header_size: tuple[int, int]) -> int:
    """
    The whole-image DCT coefficient buffer libjpeg keeps for a progressive JPEG.

    A progressive file refines every block over several scans, so the decoder holds 64
    16-bit coefficients per 8x8 block of every component whatever the output scale (draft
    mode does not shrink it). Components are counted at their sampling factors.
    """
    if not img.info.get("progressive") and not img.info.get("progression"):
        return 0
    layers = getattr(img, "layer", None) or [("", 1, 1, 0)]
    h_max = max(layer[1] for layer in layers) or 1
    v_max = max(layer[2] for layer in layers) or 1
    width, height = header_size
    total = 0
    for _component, h_sampling, v_sampling, _table in layers:
        blocks_wide = math.ceil(width * h_sampling / h_max / 8)
        blocks_high = math.ceil(height * v_sampling / v_max / 8)
        total += blocks_wide * blocks_high * 64 * 2
    return total


def webp_decoded_bytes(size: tuple[int, int], file_size: int) -> int:
    """Pillow's bitmap and libwebp's canvases for a WebP canvas of ``size`` (see ``_codec_bytes``)."""
    return size[0] * size[1] * (4 + 12) + 2 * file_size


def _codec_bytes(img: Image.Image, coding: Coding | None, file_size: int) -> int:
    """
    What the WebP, AVIF and HEIF decoders allocate besides Pillow's own bitmap, per the header.

    * WebP: Pillow decodes every WebP through libwebp's animation decoder, which keeps two
      RGBA canvases (the frame and the previous one) and hands Pillow a third copy; the file
      itself is read into memory twice. So 12 bytes per pixel and twice the file.
    * AVIF: libavif keeps the decoded YUV picture (and alpha plane) at the coded bit depth,
      converts it into an 8-bit RGB(A) buffer, and Pillow receives a copy of that buffer.
    * HEIF: libde265 keeps the decoded YUV picture, libheif its own copy of it (the grid of
      a phone photo is assembled into one), then the 8-bit interleaved RGB(A) Pillow copies.
    """
    pixels = img.size[0] * img.size[1]
    if img.format == "WEBP":
        return webp_decoded_bytes(img.size, file_size) - pixels * 4
    if img.format not in ("AVIF", "HEIF"):
        return 0
    coding = coding or WORST_CODING
    alpha = img.mode in ("RGBA", "LA", "RGBa", "La")
    planes = coding.samples_per_pixel + (1 if alpha else 0)
    yuv = math.ceil(pixels * planes * coding.bytes_per_sample)
    rgb = pixels * (4 if alpha else 3)
    if img.format == "AVIF":
        return yuv + 2 * rgb
    return 2 * yuv + rgb


def decoded_bytes(
    img: Image.Image,
    header_size: tuple[int, int] | None = None,
    *,
    coding: Coding | None = None,
    file_size: int = 0,
) -> int:
    """
    Bytes the decoder allocates for ``img`` at its current (possibly draft-reduced) size.

    Read from the header only. It is the bitmap itself plus, for progressive JPEGs, the
    decoder's coefficient buffer, which follows the size in the header (``header_size``,
    since draft mode replaces ``img.size`` with the reduced one), and for WebP, AVIF and HEIF
    the codec's own buffers (``coding``: the bit depth and chroma sampling their boxes
    declare, the worst case when not given; ``file_size``: the encoded file's length):
    everything the pipeline holds at full resolution.
    """
    width, height = img.size
    total = width * height * _BYTES_PER_PIXEL.get(img.mode, 4)
    if img.format in _JPEG_FORMATS:
        total += _coefficient_bytes(img, header_size or img.size)
    return total + _codec_bytes(img, coding, file_size)


def _safe_transform(icc_profile: bytes, in_mode: str) -> ImageCms.ImageCmsTransform | None:
    """An lcms transform from the embedded profile to sRGB, or ``None`` when the profile is unusable."""
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        return ImageCms.buildTransform(source, ImageCms.createProfile("sRGB"), in_mode, "RGB")
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError, KeyError):
        # A broken profile, or one whose colour space does not fit the pixels: ignored.
        return None


def _flatten_alpha(img: Image.Image) -> Image.Image:
    """Composite a transparent band onto white (dropping alpha would often show black)."""
    rgba = img.convert("RGBA")
    background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    return Image.alpha_composite(background, rgba).convert("RGB")


def _plain_converter(img: Image.Image) -> Converter:
    """Mode conversion to RGB without colour management, decided once for the whole image."""
    mode = img.mode
    has_alpha = mode in ("RGBA", "LA", "PA", "La", "RGBa")
    if has_alpha or (mode in ("P", "L", "RGB", "1") and "transparency" in img.info):
        return _flatten_alpha
    if mode == "RGB":
        return lambda band: band
    if mode.startswith("I;16") or mode == "I":
        scale = mode.startswith("I;16")
        if not scale:
            low, high = img.getextrema()  # the whole image: every band must scale alike
            scale = high > 255 or low < 0

        def wide_to_rgb(band: Image.Image) -> Image.Image:
            wide = band if band.mode == "I" else band.convert("I")
            if scale:
                # Scale the 16-bit range down; a plain convert would clip everything > 255.
                wide = wide.point(lambda v: v * (1 / 256))
            return wide.convert("L").convert("RGB")

        return wide_to_rgb
    if mode == "F":
        low, high = img.getextrema()
        unit = 0 <= low and high <= 1.0

        def float_to_rgb(band: Image.Image) -> Image.Image:
            if unit:
                band = band.point(lambda v: v * 255)
            return band.convert("L").convert("RGB")

        return float_to_rgb
    # L, 1, P, CMYK (Pillow already undoes Adobe's inverted CMYK), YCbCr...
    return lambda band: band.convert("RGB")


def rgb_converter(img: Image.Image, icc_profile: bytes | None) -> Converter:
    """
    The per-band conversion of ``img`` to 8-bit sRGB-ish RGB.

    RGB, CMYK and L pixels with an embedded ICC profile are colour-managed into sRGB; a
    transparent image is flattened onto white first and then managed with an RGB profile
    when it has one. A profile that cannot be used is ignored (naive conversion).
    """
    mode = img.mode
    if icc_profile and mode in ("RGB", "CMYK", "L") and "transparency" not in img.info:
        transform = _safe_transform(icc_profile, mode)
        if transform is not None:
            return lambda band: ImageCms.applyTransform(band, transform)
    plain = _plain_converter(img)
    if icc_profile and (mode != "RGB" or "transparency" in img.info):
        # e.g. an RGBA PNG with an RGB profile: manage the flattened pixels instead.
        transform = _safe_transform(icc_profile, "RGB")
        if transform is not None:
            return lambda band: ImageCms.applyTransform(plain(band), transform)
    return plain


def reduced_rgb_square(
    img: Image.Image, box: tuple[int, int, int, int], factor: int, convert: Converter
) -> Image.Image:
    """
    The ``box`` of a loaded ``img``, converted with ``convert`` and box-reduced by ``factor``.

    Works a band of rows at a time (a whole number of ``factor`` rows each), so the only
    full-resolution buffer is the decoded image the caller already holds.
    """
    left, top, right, bottom = box
    width, height = right - left, bottom - top
    factor = max(1, factor)
    result = Image.new("RGB", (math.ceil(width / factor), math.ceil(height / factor)))
    band_rows = max(factor, _BAND_PIXELS // max(1, width) // factor * factor)
    for y in range(top, bottom, band_rows):
        band = convert(img.crop((left, y, right, min(y + band_rows, bottom))))
        if band.mode != "RGB":
            band = band.convert("RGB")
        if factor > 1:
            band = band.reduce(factor)
        result.paste(band, (0, (y - top) // factor))
    return result
