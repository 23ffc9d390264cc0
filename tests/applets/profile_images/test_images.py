"""
Tests for the pure image functions of the profile_images applet.

Every image is generated in memory with Pillow; no database and no storage are used.
"""

from __future__ import annotations

import io
import struct
import time
import zipfile
import zlib
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.functional import Promise
from PIL import Image, ImageCms, ImageFile, JpegImagePlugin, PngImagePlugin

from openedx_learner_apis.applets.profile_images import errors, pixels
from openedx_learner_apis.applets.profile_images.images import (
    IMAGE_TYPES,
    ImageValidationError,
    create_profile_images,
    validate_uploaded_image,
)

SIZES = {"full": 500, "large": 120, "medium": 50, "small": 30}
MAX_PIXELS = 36_000_000

TOO_SMALL = "The file must be at least 100 bytes in size."
TOO_LARGE = "The file must be smaller than 1 KB in size."
BAD_TYPE = "The file must be one of the following types: .jpeg, .jpg, .png, .gif, .webp, .heic, .heif, .avif."
BAD_CONTENT_TYPE = "The Content-Type header for this file does not match the file data. The file may be corrupted."
BAD_MAGIC = "The file name extension for this file does not match the file data. The file may be corrupted."
TOO_MANY_PIXELS = "The image is too large: it must have at most 36 million pixels."
UNREADABLE = "The file could not be read as an image. It may be corrupted."


@pytest.fixture(autouse=True, scope="module")
def _django_settings() -> None:
    """gettext_lazy needs settings; configure a minimal set unless pytest-django already did."""
    from django.conf import settings

    if not settings.configured:
        settings.configure(USE_I18N=False)


# --- helpers -------------------------------------------------------------------------


def encode(img: Image.Image, fmt: str, **params: Any) -> bytes:
    buffer = io.BytesIO()
    img.save(buffer, format=fmt, **params)
    return buffer.getvalue()


class BareUpload(io.BytesIO):
    """UploadedFile-like object for cases Django's own classes refuse (e.g. no name)."""

    def __init__(self, data: bytes, name: str | None, content_type: str | None) -> None:
        super().__init__(data)
        self.name, self.size, self.content_type = name, len(data), content_type


def upload(data: bytes, name: str, content_type: str | None) -> Any:
    if not name:
        return BareUpload(data, name or None, content_type)
    return SimpleUploadedFile(name, data, content_type=content_type)


def make(
    data: bytes, *, sizes: dict[str, int] = SIZES, **kwargs: Any
) -> dict[str, bytes]:
    return create_profile_images(
        io.BytesIO(data),
        sizes=sizes,
        max_pixels=kwargs.pop("max_pixels", MAX_PIXELS),
        **kwargs,
    )


def decode(jpeg: bytes) -> Image.Image:
    img = Image.open(io.BytesIO(jpeg))
    assert img.format == "JPEG"
    img.load()
    return img


def jpeg_markers(data: bytes) -> list[int]:
    """Marker codes of every segment before the scan data."""
    assert data[:2] == b"\xff\xd8"
    markers, pos = [], 2
    while pos < len(data):
        assert data[pos] == 0xFF, "malformed segment"
        marker = data[pos + 1]
        markers.append(marker)
        if marker == 0xDA:  # start of scan: compressed data follows
            break
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        pos += 2 + length
    return markers


def assert_no_metadata(jpeg: bytes) -> None:
    markers = jpeg_markers(jpeg)
    # APP0 (JFIF), DQT, SOF0, DHT, DRI and SOS only: no APP1 (EXIF/XMP), APP2 (ICC),
    # APP13 (IPTC), APP14 (Adobe) or COM segments.
    assert set(markers) <= {0xE0, 0xDB, 0xC0, 0xC4, 0xDD, 0xDA}, [
        hex(m) for m in markers
    ]
    img = decode(jpeg)
    assert len(img.getexif()) == 0
    for key in ("exif", "icc_profile", "comment", "xmp", "photoshop"):
        assert key not in img.info


def png_chunk(kind: bytes, payload: bytes) -> bytes:
    return (
        struct.pack(">I", len(payload))
        + kind
        + payload
        + struct.pack(">I", zlib.crc32(kind + payload))
    )


def png_header_only(width: int, height: int) -> bytes:
    """A well-formed PNG whose header claims huge dimensions but carries almost no data."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + png_chunk(b"IEND", b"")
    )


def gif_header_only(width: int, height: int) -> bytes:
    screen = b"GIF89a" + struct.pack("<HHBBB", width, height, 0, 0, 0)
    descriptor = b"," + struct.pack("<HHHHB", 0, 0, width, height, 0)
    return screen + descriptor + b"\x08\x02\x4c\x01\x00;"


def rgb_close(
    pixel: tuple[int, ...], expected: tuple[int, int, int], tolerance: int = 40
) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, expected))


RED, BLUE, WHITE = (255, 0, 0), (0, 0, 255), (255, 255, 255)


# --- ImageValidationError and message formatting -------------------------------------


def test_error_carries_lazy_user_message_and_plain_developer_message() -> None:
    exc = ImageValidationError(
        errors._("The file could not be read as an image. It may be corrupted.")
    )
    assert isinstance(exc.user_message, Promise)
    assert exc.developer_message == UNREADABLE
    assert str(exc) == UNREADABLE
    explicit = ImageValidationError("user text", developer_message="dev text")
    assert (explicit.user_message, explicit.developer_message) == (
        "user text",
        "dev text",
    )


@pytest.mark.parametrize(
    "num_bytes, text",
    [
        (1, "1 byte"),
        (100, "100 bytes"),
        (1023, "1023 bytes"),
        (1024, "1 KB"),
        (1536, "1.5 KB"),  # one decimal is kept, not truncated away
        (1024 * 1024, "1 MB"),
        (3 * 1024**3, "3 GB"),  # GB is the largest unit: bigger sizes stay in GB
        (5 * 1024**4, "5120 GB"),
    ],
)
def test_human_size(num_bytes: int, text: str) -> None:
    assert str(errors._human_size(num_bytes)) == text


def test_valid_file_types_in_table_order() -> None:
    assert errors._get_valid_file_types() == ".jpeg, .jpg, .png, .gif, .webp, .heic, .heif, .avif"
    assert list(IMAGE_TYPES) == ["jpeg", "png", "gif", "webp", "heif", "avif"]
    assert "image/pjpeg" in IMAGE_TYPES["jpeg"].mimetypes
    assert IMAGE_TYPES["jpeg"].magic == ("ffd8ff",)


# --- validate_uploaded_image ---------------------------------------------------------


def padded_png(total_size: int) -> bytes:
    data = encode(Image.new("RGB", (1, 1)), "PNG")
    assert len(data) <= total_size
    return data + b"\x00" * (total_size - len(data))


@pytest.mark.parametrize(
    "size, message",
    [(99, TOO_SMALL), (100, None), (1024, None), (1025, TOO_LARGE)],
)
def test_size_bounds_are_inclusive(size: int, message: str | None) -> None:
    uploaded = upload(padded_png(size), "image.png", "image/png")
    uploaded.read(5)  # validation must not depend on, and must reset, the position
    if message is None:
        assert validate_uploaded_image(uploaded, min_bytes=100, max_bytes=1024) == "PNG"
        assert uploaded.tell() == 0
    else:
        with pytest.raises(ImageValidationError) as info:
            validate_uploaded_image(uploaded, min_bytes=100, max_bytes=1024)
        assert info.value.developer_message == message
        assert str(info.value.user_message) == message


def test_size_is_checked_before_type() -> None:
    uploaded = upload(b"x" * 2000, "image.bmp", "image/bmp")
    with pytest.raises(ImageValidationError, match="smaller than 1 KB"):
        validate_uploaded_image(uploaded, min_bytes=100, max_bytes=1024)


@pytest.mark.parametrize(
    "name, content_type, pil_format, expected",
    [
        ("a.gif", "image/gif", "GIF", "GIF"),
        ("a.GIF", "image/gif", "GIF", "GIF"),
        ("a.jpg", "image/jpeg", "JPEG", "JPEG"),
        ("a.jpeg", "image/jpeg", "JPEG", "JPEG"),
        ("a.jpg", "image/pjpeg", "JPEG", "JPEG"),
        ("a.png", "image/png", "PNG", "PNG"),
    ],
)
def test_accepted_types(
    name: str, content_type: str, pil_format: str, expected: str
) -> None:
    data = encode(Image.new("RGB", (20, 20), RED), pil_format)
    assert (
        validate_uploaded_image(
            upload(data, name, content_type), min_bytes=10, max_bytes=10**6
        )
        == expected
    )


@pytest.mark.parametrize(
    "name, content_type, pil_format",
    [
        ("a.bmp", "image/bmp", "BMP"),
        ("a.tif", "image/tiff", "TIFF"),
        ("a.jxl", "image/jxl", "PNG"),
        ("a.heics", "image/heic-sequence", "PNG"),
        ("jpg", "image/jpeg", "JPEG"),  # no dot: not a .jpg extension
        ("a.jpg.exe", "image/jpeg", "JPEG"),
        ("", "image/jpeg", "JPEG"),
    ],
)
def test_rejects_other_extensions(
    name: str, content_type: str, pil_format: str
) -> None:
    data = encode(Image.new("RGB", (20, 20), RED), pil_format)
    with pytest.raises(ImageValidationError) as info:
        validate_uploaded_image(
            upload(data, name, content_type), min_bytes=10, max_bytes=10**6
        )
    assert info.value.developer_message == BAD_TYPE


@pytest.mark.parametrize(
    "content_type", ["image/gif", "image/png", "text/plain", "", None]
)
def test_rejects_content_type_mismatch(content_type: str | None) -> None:
    data = encode(Image.new("RGB", (20, 20), RED), "JPEG")
    with pytest.raises(ImageValidationError) as info:
        validate_uploaded_image(
            upload(data, "a.jpeg", content_type), min_bytes=10, max_bytes=10**6
        )
    assert info.value.developer_message == BAD_CONTENT_TYPE


@pytest.mark.parametrize(
    "content_type", ["image/png; charset=binary", "IMAGE/PNG", " image/png ;x=y"]
)
def test_accepts_content_type_with_parameters_or_case(content_type: str) -> None:
    data = encode(Image.new("RGB", (20, 20), RED), "PNG")
    assert (
        validate_uploaded_image(
            upload(data, "a.png", content_type), min_bytes=10, max_bytes=10**6
        )
        == "PNG"
    )


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(encode(Image.new("RGB", (20, 20), RED), "BMP"), id="bmp-bytes"),
        pytest.param(encode(Image.new("RGB", (20, 20), RED), "GIF"), id="gif-bytes"),
        pytest.param(b"\xff\xd8" + b"\x00" * 200, id="two-byte-jpeg-magic-only"),
    ],
)
def test_rejects_magic_mismatch(data: bytes) -> None:
    uploaded = upload(data, "a.jpeg", "image/jpeg")
    with pytest.raises(ImageValidationError) as info:
        validate_uploaded_image(uploaded, min_bytes=10, max_bytes=10**6)
    assert info.value.developer_message == BAD_MAGIC


@pytest.mark.parametrize("magic", [b"GIF87a", b"GIF89a"])
def test_both_gif_versions_accepted(magic: bytes) -> None:
    data = magic + encode(Image.new("P", (4, 4)), "GIF")[6:]
    assert (
        validate_uploaded_image(
            upload(data, "a.gif", "image/gif"), min_bytes=10, max_bytes=10**6
        )
        == "GIF"
    )


# --- create_profile_images: sizes and format -----------------------------------------


@pytest.mark.parametrize("pil_format", ["JPEG", "PNG", "GIF"])
@pytest.mark.parametrize(
    "dims",
    [(1, 1), (10, 10), (100, 100), (1000, 999), (1, 10), (100, 1000), (731, 457)],
)
def test_every_size_is_an_exact_square_jpeg(
    pil_format: str, dims: tuple[int, int]
) -> None:
    data = encode(Image.new("RGB", dims, (40, 120, 200)), pil_format)
    outputs = make(data, expected_format=pil_format)
    assert list(outputs) == list(SIZES)
    for name, side in SIZES.items():
        img = decode(outputs[name])
        assert img.size == (side, side)
        assert img.mode == "RGB"
        assert rgb_close(img.getpixel((side // 2, side // 2)), (40, 120, 200))


def test_sizes_in_any_order_and_duplicates() -> None:
    data = encode(Image.new("RGB", (300, 200), RED), "PNG")
    outputs = make(data, sizes={"tiny": 8, "big": 64, "same": 64})
    assert [decode(outputs[n]).size for n in ("tiny", "big", "same")] == [
        (8, 8),
        (64, 64),
        (64, 64),
    ]


def test_empty_sizes() -> None:
    assert make(encode(Image.new("RGB", (5, 5)), "PNG"), sizes={}) == {}


def test_centre_square_crop() -> None:
    img = Image.new("RGB", (300, 100), RED)
    img.paste(
        Image.new("RGB", (100, 100), BLUE), (100, 0)
    )  # only the middle third is blue
    outputs = make(encode(img, "PNG"), sizes={"full": 100})
    out = decode(outputs["full"])
    for xy in [(2, 2), (50, 50), (97, 97)]:
        assert rgb_close(out.getpixel(xy), BLUE)


# --- metadata ------------------------------------------------------------------------


def test_no_metadata_survives_jpeg_with_gps() -> None:
    exif = Image.Exif()
    exif[0x0112] = 1
    exif[0x010F] = "SpyCam"
    exif[0x9286] = "secret user comment"
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (51.0, 30.0, 12.5)
    gps[3] = "W"
    gps[4] = (0.0, 7.0, 39.0)
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = encode(
        Image.new("RGB", (64, 48), (90, 160, 30)),
        "JPEG",
        exif=exif,
        icc_profile=icc,
        comment=b"private comment",
        xmp=b'<x:xmpmeta xmlns:x="adobe:ns:meta/">secret</x:xmpmeta>',
    )
    source = Image.open(io.BytesIO(data))
    assert source.getexif().get_ifd(0x8825)  # the test input really carries GPS data
    assert "icc_profile" in source.info and "comment" in source.info
    for name, jpeg in make(data).items():
        assert_no_metadata(jpeg)
        assert (
            b"SpyCam" not in jpeg and b"private" not in jpeg and b"secret" not in jpeg
        )
        assert rgb_close(
            decode(jpeg).getpixel((SIZES[name] // 2, SIZES[name] // 2)), (90, 160, 30)
        )


def test_no_metadata_survives_png_text_and_exif() -> None:
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "secret text")
    data = encode(Image.new("RGB", (40, 40), RED), "PNG", pnginfo=info, exif=exif)
    for jpeg in make(data).values():
        assert_no_metadata(jpeg)
        assert b"secret" not in jpeg and b"SpyCam" not in jpeg


def test_orientation_8_is_applied_and_not_kept() -> None:
    """EXIF Orientation 8 is applied to the pixels and not kept, so every viewer shows the same image."""
    exif = Image.Exif()
    exif[0x0112] = 8
    data = encode(Image.new("RGB", (40, 40), RED), "JPEG", exif=exif)
    for jpeg in make(data).values():
        assert_no_metadata(jpeg)


# --- orientation ---------------------------------------------------------------------

UPRIGHT_W, UPRIGHT_H = 80, 60


def upright_marker_image() -> Image.Image:
    """White 80x60 image: red block top-left and blue block top-right of the centre square."""
    img = Image.new("RGB", (UPRIGHT_W, UPRIGHT_H), WHITE)
    img.paste(Image.new("RGB", (18, 18), RED), (12, 2))
    img.paste(Image.new("RGB", (18, 18), BLUE), (50, 2))
    return img


def stored_coordinates(orientation: int, x: int, y: int) -> tuple[int, int]:
    """Where an upright pixel sits in the stored image, from the EXIF definitions of rows/columns."""
    w, h = UPRIGHT_W, UPRIGHT_H
    return {
        1: (x, y),  # row 0 top, column 0 left
        2: (w - 1 - x, y),  # row 0 top, column 0 right
        3: (w - 1 - x, h - 1 - y),  # row 0 bottom, column 0 right
        4: (x, h - 1 - y),  # row 0 bottom, column 0 left
        5: (y, x),  # row 0 left, column 0 top
        6: (y, w - 1 - x),  # row 0 right, column 0 top
        7: (h - 1 - y, w - 1 - x),  # row 0 right, column 0 bottom
        8: (h - 1 - y, x),  # row 0 left, column 0 bottom
    }[orientation]


def stored_image(orientation: int) -> Image.Image:
    upright = upright_marker_image()
    size = (UPRIGHT_W, UPRIGHT_H) if orientation <= 4 else (UPRIGHT_H, UPRIGHT_W)
    stored = Image.new("RGB", size)
    src, dst = upright.load(), stored.load()
    for y in range(UPRIGHT_H):
        for x in range(UPRIGHT_W):
            dst[stored_coordinates(orientation, x, y)] = src[x, y]
    return stored


@pytest.mark.parametrize("orientation", range(1, 9))
@pytest.mark.parametrize("pil_format", ["JPEG", "PNG"])
def test_orientation_is_applied_to_pixels(orientation: int, pil_format: str) -> None:
    exif = Image.Exif()
    exif[0x0112] = orientation
    params = {"quality": 95} if pil_format == "JPEG" else {}
    data = encode(stored_image(orientation), pil_format, exif=exif, **params)
    out = decode(make(data, sizes={"full": 60})["full"])
    assert out.size == (60, 60)
    assert rgb_close(out.getpixel((10, 10)), RED), "red marker must be top-left"
    assert rgb_close(out.getpixel((49, 10)), BLUE), "blue marker must be top-right"
    assert rgb_close(out.getpixel((10, 50)), WHITE)
    assert rgb_close(out.getpixel((49, 50)), WHITE)
    assert_no_metadata(make(data, sizes={"full": 60})["full"])


@pytest.mark.parametrize("value", [0, 9, 65535])
def test_invalid_orientation_is_ignored(value: int) -> None:
    exif = Image.Exif()
    exif[0x0112] = value
    data = encode(upright_marker_image(), "JPEG", exif=exif, quality=95)
    out = decode(make(data, sizes={"full": 60})["full"])
    assert rgb_close(out.getpixel((10, 10)), RED)


# --- colour modes --------------------------------------------------------------------


def centre_pixel(data: bytes, **kwargs: Any) -> tuple[int, ...]:
    out = decode(make(data, sizes={"full": 20}, **kwargs)["full"])
    assert out.mode == "RGB" and out.size == (20, 20)
    return out.getpixel((10, 10))


def test_cmyk_jpeg() -> None:
    data = encode(
        Image.new("CMYK", (40, 40), (0, 255, 255, 0)), "JPEG"
    )  # Pillow writes Adobe-inverted CMYK
    source = Image.open(io.BytesIO(data))
    assert source.mode == "CMYK" and "adobe" in source.info
    assert rgb_close(centre_pixel(data), RED)


def test_rgb_with_icc_profile_is_converted_and_profile_dropped() -> None:
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = encode(Image.new("RGB", (40, 40), (200, 100, 50)), "PNG", icc_profile=icc)
    outputs = make(data)
    assert rgb_close(
        decode(outputs["full"]).getpixel((250, 250)), (200, 100, 50), tolerance=10
    )
    assert_no_metadata(outputs["full"])


def test_mismatched_icc_profiles_fall_back_to_plain_conversion() -> None:
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    cmyk = encode(
        Image.new("CMYK", (40, 40), (0, 255, 255, 0)), "JPEG", icc_profile=srgb
    )
    assert rgb_close(centre_pixel(cmyk), RED)
    grey = encode(Image.new("L", (40, 40), 100), "PNG", icc_profile=srgb)
    assert rgb_close(centre_pixel(grey), (100, 100, 100), tolerance=6)


def test_rgba_with_icc_profile_is_flattened_then_managed() -> None:
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    img = Image.new("RGBA", (40, 40), (0, 0, 0, 0))
    img.paste(Image.new("RGBA", (40, 20), (255, 0, 0, 255)), (0, 0))
    out = decode(make(encode(img, "PNG", icc_profile=srgb), sizes={"full": 40})["full"])
    assert rgb_close(out.getpixel((20, 5)), RED)
    assert rgb_close(out.getpixel((20, 35)), WHITE)


def test_broken_icc_profile_is_ignored() -> None:
    data = encode(
        Image.new("RGB", (40, 40), (200, 100, 50)),
        "JPEG",
        icc_profile=b"not a profile" * 10,
    )
    assert rgb_close(centre_pixel(data), (200, 100, 50), tolerance=10)


@pytest.mark.parametrize("pil_format", ["PNG", "GIF"])
def test_palette_with_transparency_composites_on_white(pil_format: str) -> None:
    img = Image.new("P", (40, 40), 0)
    img.putpalette(
        [0, 0, 0, 255, 0, 0] + [0] * 762
    )  # index 0 black (transparent), 1 red
    img.paste(1, (0, 0, 40, 20))  # top half red, bottom half transparent black
    data = encode(img, pil_format, transparency=0)
    assert Image.open(io.BytesIO(data)).info.get("transparency") == 0
    out = decode(make(data, sizes={"full": 40})["full"])
    assert rgb_close(out.getpixel((20, 5)), RED)
    assert rgb_close(out.getpixel((20, 35)), WHITE)


def test_rgba_composites_on_white() -> None:
    img = Image.new("RGBA", (40, 40), (0, 0, 0, 0))
    img.paste(Image.new("RGBA", (40, 20), (255, 0, 0, 255)), (0, 0))
    out = decode(make(encode(img, "PNG"), sizes={"full": 40})["full"])
    assert rgb_close(out.getpixel((20, 5)), RED)
    assert rgb_close(out.getpixel((20, 35)), WHITE)


def test_half_transparent_rgba_blends_with_white() -> None:
    data = encode(Image.new("RGBA", (40, 40), (0, 0, 0, 128)), "PNG")
    assert rgb_close(centre_pixel(data), (127, 127, 127), tolerance=8)


def test_la_composites_on_white() -> None:
    img = Image.new("LA", (40, 40), (0, 0))
    img.paste(Image.new("LA", (40, 20), (60, 255)), (0, 0))
    data = encode(img, "PNG")
    assert Image.open(io.BytesIO(data)).mode == "LA"
    out = decode(make(data, sizes={"full": 40})["full"])
    assert rgb_close(out.getpixel((20, 5)), (60, 60, 60), tolerance=8)
    assert rgb_close(out.getpixel((20, 35)), WHITE, tolerance=8)


@pytest.mark.parametrize(
    "value, expected", [(32768, 128), (65535, 255), (0, 0), (16384, 64)]
)
def test_sixteen_bit_greyscale_is_scaled_not_clipped(value: int, expected: int) -> None:
    data = encode(Image.new("I;16", (40, 40), value), "PNG")
    assert Image.open(io.BytesIO(data)).mode.startswith("I")
    assert rgb_close(centre_pixel(data), (expected,) * 3, tolerance=4)


def _to_rgb(img: Image.Image) -> Image.Image:
    return pixels.rgb_converter(img, None)(img)


def test_thirty_two_bit_integer_and_float_modes() -> None:
    assert _to_rgb(Image.new("I", (4, 4), 32768)).getpixel((1, 1)) == (
        128,
        128,
        128,
    )
    assert _to_rgb(Image.new("I", (4, 4), 200)).getpixel((1, 1)) == (
        200,
        200,
        200,
    )
    assert _to_rgb(Image.new("F", (4, 4), 0.5)).getpixel((1, 1))[0] in (
        127,
        128,
    )
    assert _to_rgb(Image.new("F", (4, 4), 90.0)).getpixel((1, 1)) == (
        90,
        90,
        90,
    )


@pytest.mark.parametrize("pil_format", ["JPEG", "PNG", "GIF"])
def test_greyscale(pil_format: str) -> None:
    assert rgb_close(
        centre_pixel(encode(Image.new("L", (40, 40), 100), pil_format)),
        (100, 100, 100),
        tolerance=6,
    )


def test_bilevel_png() -> None:
    assert rgb_close(
        centre_pixel(encode(Image.new("1", (40, 40), 1), "PNG")), WHITE, tolerance=4
    )


def test_animated_gif_uses_first_frame() -> None:
    frames = [Image.new("RGB", (40, 40), colour) for colour in (RED, BLUE, (0, 255, 0))]
    data = encode(
        frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0
    )
    assert Image.open(io.BytesIO(data)).n_frames == 3
    assert rgb_close(centre_pixel(data), RED)


def test_animated_png_uses_first_frame() -> None:
    frames = [Image.new("RGB", (40, 40), colour) for colour in (BLUE, RED)]
    data = encode(
        frames[0], "PNG", save_all=True, append_images=frames[1:], duration=100
    )
    assert rgb_close(centre_pixel(data), BLUE)


# --- hostile and broken input --------------------------------------------------------


@pytest.fixture
def no_pixel_decoding(monkeypatch: pytest.MonkeyPatch) -> None:
    def forbidden(self: Any) -> None:
        raise AssertionError("pixels were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", forbidden)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(png_header_only(7000, 7000), id="png-49MP-below-pillow-limit"),
        pytest.param(gif_header_only(7000, 7000), id="gif-49MP-below-pillow-limit"),
        pytest.param(
            png_header_only(100_000, 100_000), id="png-10GP-above-pillow-limit"
        ),
        pytest.param(gif_header_only(65535, 65535), id="gif-4GP-above-pillow-limit"),
    ],
)
def test_decompression_bomb_rejected_before_decoding(
    data: bytes, no_pixel_decoding: None
) -> None:
    assert len(data) < 200
    start = time.perf_counter()
    with pytest.raises(ImageValidationError) as info:
        make(data)
    assert time.perf_counter() - start < 1.0
    assert info.value.developer_message == TOO_MANY_PIXELS


def test_pixel_cap_is_a_parameter() -> None:
    data = encode(Image.new("RGB", (30, 20)), "PNG")
    assert make(data, max_pixels=600)
    with pytest.raises(ImageValidationError) as info:
        make(data, max_pixels=599)
    assert (
        info.value.developer_message
        == "The image is too large: it must have at most 0.000599 million pixels."
    )


@pytest.mark.parametrize("fraction", [0.2, 0.5, 0.9])
def test_truncated_jpeg(fraction: float, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", False)
    full = encode(Image.effect_noise((200, 200), 60).convert("RGB"), "JPEG")
    with pytest.raises(ImageValidationError) as info:
        make(full[: int(len(full) * fraction)])
    assert info.value.developer_message == UNREADABLE


def test_truncated_png(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", False)
    full = encode(Image.effect_noise((200, 200), 60), "PNG")
    with pytest.raises(ImageValidationError):
        make(full[: len(full) // 2])


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"\xff\xd8\xff" + b"\x00" * 300, id="jpeg-magic-garbage"),
        pytest.param(b"\x89PNG\r\n\x1a\n" + b"\xff" * 300, id="png-magic-garbage"),
        pytest.param(
            png_header_only(10, 10).replace(b"IDAT", b"IDAX"), id="png-bad-crc"
        ),
        pytest.param(b"GIF89a" + b"\x00" * 300, id="gif-zero-size"),
        pytest.param(
            png_header_only(40, 40)[:33]
            + png_chunk(b"IDAT", b"not zlib")
            + png_chunk(b"IEND", b""),
            id="png-bad-zlib",
        ),
    ],
)
def test_corrupt_files_raise_validation_error(data: bytes) -> None:
    with pytest.raises(ImageValidationError):
        make(data)


def test_unexpected_format_is_refused() -> None:
    """A PNG (or GIF) whose upload was validated as JPEG never reaches the PNG decoder path."""
    data = encode(Image.new("RGB", (20, 20)), "PNG")
    with pytest.raises(ImageValidationError) as info:
        make(data, expected_format="JPEG")
    assert info.value.developer_message == BAD_MAGIC


def test_polyglot_gif_named_jpg_is_refused() -> None:
    data = encode(Image.new("RGB", (20, 20), RED), "GIF")
    with pytest.raises(ImageValidationError) as info:
        validate_uploaded_image(
            upload(data, "photo.jpg", "image/jpeg"), min_bytes=10, max_bytes=10**6
        )
    assert info.value.developer_message == BAD_MAGIC
    with pytest.raises(ImageValidationError):
        make(data, expected_format="JPEG")


def test_polyglot_png_with_trailing_zip_yields_clean_jpegs() -> None:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("payload.html", "<script>alert(1)</script>")
    data = encode(Image.new("RGB", (40, 40), RED), "PNG") + archive.getvalue()
    uploaded = upload(data, "avatar.png", "image/png")
    pil_format = validate_uploaded_image(uploaded, min_bytes=10, max_bytes=10**6)
    outputs = create_profile_images(
        uploaded, sizes=SIZES, max_pixels=MAX_PIXELS, expected_format=pil_format
    )
    for jpeg in outputs.values():
        assert b"PK\x03\x04" not in jpeg and b"<script>" not in jpeg
        assert_no_metadata(jpeg)


ALLOWED = ["JPEG", "PNG", "GIF", "WEBP", "HEIF", "AVIF"]


OTHER_FORMATS = {
    "BMP": lambda: encode(Image.new("RGB", (20, 20), RED), "BMP"),
    "TIFF": lambda: encode(Image.new("RGB", (20, 20), RED), "TIFF"),
    "JPEG2000": lambda: encode(Image.new("RGB", (20, 20), RED), "JPEG2000"),
    "PSD": lambda: (
        b"8BPS\x00\x01"
        + b"\x00" * 6
        + struct.pack(">HIIHH", 3, 20, 20, 8, 3)
        + b"\x00" * 64
    ),
}


@pytest.mark.parametrize("fmt", sorted(OTHER_FORMATS))
def test_other_formats_never_reach_their_decoders(
    fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    Image.init()  # register every plugin so the traps below replace real entries
    touched: list[str] = []

    def trap(name: str) -> tuple[Any, Any]:
        def factory(*args: Any, **kwargs: Any) -> Any:
            touched.append(name)
            raise AssertionError(f"{name} decoder was used")

        return factory, lambda prefix: True

    for name in (
        "BMP",
        "DIB",
        "TIFF",
        "JPEG2000",
        "PSD",
        "ICO",
        "PPM",
        "TGA",
        "EPS",
        "PCX",
    ):
        monkeypatch.setitem(Image.OPEN, name, trap(name))

    calls: list[Any] = []
    original_open = Image.open

    def spy_open(fp: Any, mode: str = "r", formats: Any = None) -> Image.Image:
        calls.append(formats)
        return original_open(fp, mode, formats)

    monkeypatch.setattr(Image, "open", spy_open)

    data = OTHER_FORMATS[fmt]()
    with pytest.raises(ImageValidationError) as info:
        make(data)
    assert info.value.developer_message == UNREADABLE
    assert touched == []
    assert calls == [ALLOWED]
    # and each of them is refused earlier, by validation, whatever its declared name
    for name, content_type in (
        ("a.jpg", "image/jpeg"),
        ("a.png", "image/png"),
        ("a.gif", "image/gif"),
    ):
        with pytest.raises(ImageValidationError):
            validate_uploaded_image(
                upload(data, name, content_type), min_bytes=10, max_bytes=10**6
            )


def test_pil_open_is_always_restricted(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Any] = []
    original_open = Image.open

    def spy_open(fp: Any, mode: str = "r", formats: Any = None) -> Image.Image:
        calls.append(formats)
        return original_open(fp, mode, formats)

    monkeypatch.setattr(Image, "open", spy_open)
    make(encode(Image.new("RGB", (20, 20)), "JPEG"))
    assert calls == [ALLOWED]


# --- draft mode ----------------------------------------------------------------------


def _spy_draft(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    original = JpegImagePlugin.JpegImageFile.draft

    def spy(self: Any, mode: Any, size: Any) -> Any:
        before = self.size
        result = original(self, mode, size)
        records.append(
            {
                "before": before,
                "after": self.size,
                "request": (mode, size),
                "result": result,
            }
        )
        return result

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "draft", spy)
    return records


def test_draft_mode_used_for_big_jpeg(monkeypatch: pytest.MonkeyPatch) -> None:
    records = _spy_draft(monkeypatch)
    loaded_sizes: list[tuple[int, int]] = []
    original_load = JpegImagePlugin.JpegImageFile.load

    def spy_load(self: Any) -> Any:
        loaded_sizes.append(self.size)
        return original_load(self)

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "load", spy_load)
    img = Image.linear_gradient("L").resize((4000, 3000)).convert("RGB")
    outputs = make(encode(img, "JPEG", quality=80))
    assert len(records) == 1
    assert records[0]["before"] == (4000, 3000)
    assert records[0]["result"] is not None
    after = records[0]["after"]
    assert after[0] < 4000 and min(after) >= SIZES["full"], (
        after
    )  # reduced, yet enough for 500 px
    assert loaded_sizes and all(
        size == after for size in loaded_sizes
    )  # never decoded at full size
    for name, side in SIZES.items():
        assert decode(outputs[name]).size == (side, side)


def test_draft_mode_not_used_for_small_jpeg(monkeypatch: pytest.MonkeyPatch) -> None:
    records = _spy_draft(monkeypatch)
    make(encode(Image.new("RGB", (600, 600)), "JPEG"))
    assert records == []


def test_big_jpeg_quality_close_to_full_decode() -> None:
    """Draft-decoded output stays close to a full-resolution Lanczos resize."""
    base = Image.radial_gradient("L").resize((2400, 1800)).convert("RGB")
    data = encode(base, "JPEG", quality=92)
    ours = decode(make(data, sizes={"full": 500})["full"]).convert("L")
    reference = (
        Image.open(io.BytesIO(data))
        .convert("L")
        .crop((300, 0, 2100, 1800))
        .resize((500, 500), Image.Resampling.LANCZOS)
    )
    diff = [abs(a - b) for a, b in zip(ours.tobytes(), reference.tobytes())]
    assert sum(diff) / len(diff) < 2.0
    assert max(diff) < 24


def test_caller_file_is_not_closed() -> None:
    stream = io.BytesIO(encode(Image.new("RGB", (30, 30)), "PNG"))
    stream.seek(7)
    create_profile_images(stream, sizes={"full": 10}, max_pixels=MAX_PIXELS)
    assert not stream.closed


@pytest.mark.parametrize("sizes", [{"full": 0}, {"full": -5}, {"full": 2.5}])
def test_invalid_sizes_are_a_programming_error(sizes: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        make(encode(Image.new("RGB", (30, 30)), "PNG"), sizes=sizes)
