"""
The formats phone galleries hold (WebP, HEIC/HEIF, AVIF), called directly.

Every sample is a real file written here by Pillow or pillow-heif. The memory checks are
deterministic: the estimate is exact arithmetic on the header's numbers, and refusals are
shown to happen before any decoder runs (``load`` and the decoder constructors are trapped).
"""

from __future__ import annotations

import io
import struct

import pytest
from PIL import Image, ImageCms, ImageFile, WebPImagePlugin

from openedx_learner_apis.applets.profile_images import errors, formats, images, isobmff, pixels
from openedx_learner_apis.applets.profile_images.images import (
    DEFAULT_MAX_DECODED_BYTES,
    ImageValidationError,
    UnsupportedImageTypeError,
    validate_uploaded_image,
)
from tests.applets.profile_images.phone_samples import (
    BLUE,
    GREEN,
    PHONE_FORMATS,
    RED,
    animation,
    encode,
    exif,
    halves,
    heic_high_bit_depth,
    sample,
)
from tests.applets.profile_images.test_images import (
    BAD_MAGIC,
    TOO_MANY_PIXELS,
    assert_no_metadata,
    decode,
    make,
    upload,
)

TOO_MUCH_MEMORY = (
    "The image is too large to be processed. Upload an image with fewer pixels, "
    "or save it as a standard (baseline) JPEG or an 8-bit PNG."
)
KINDS = sorted(PHONE_FORMATS)


@pytest.fixture(autouse=True, scope="module")
def _django_settings() -> None:
    from django.conf import settings

    if not settings.configured:
        settings.configure(USE_I18N=False)


def close(actual, expected, tolerance=40) -> bool:
    return all(abs(a - e) <= tolerance for a, e in zip(actual, expected, strict=True))


def validated(kind: str, data: bytes) -> str:
    extension, content_type, _ = PHONE_FORMATS[kind]
    return validate_uploaded_image(upload(data, f"IMG_0001{extension}", content_type),
                                   min_bytes=10, max_bytes=10**7)


# --- accepted, as JPEG is -------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_phone_format_is_validated_and_rendered(kind: str) -> None:
    data = sample(kind)
    pil_format = validated(kind, data)
    assert pil_format == PHONE_FORMATS[kind][2]
    outputs = make(data, expected_format=pil_format)
    assert {name: decode(jpeg).size for name, jpeg in outputs.items()} == {
        "full": (500, 500), "large": (120, 120), "medium": (50, 50), "small": (30, 30)}
    assert close(decode(outputs["full"]).getpixel((250, 250)), GREEN)


@pytest.mark.parametrize("kind", KINDS)
def test_upper_case_names_and_type_parameters(kind: str) -> None:
    extension, content_type, pil_format = PHONE_FORMATS[kind]
    uploaded = upload(sample(kind), f"PXL_0001{extension.upper()}", content_type.upper() + "; charset=binary")
    assert validate_uploaded_image(uploaded, min_bytes=10, max_bytes=10**7) == pil_format


@pytest.mark.parametrize("kind", KINDS)
def test_orientation_is_applied(kind: str) -> None:
    """EXIF orientation 6 (WebP keeps it in EXIF, AVIF and HEIC writers turn it into irot)."""
    data = sample(kind, halves(), exif=exif(6))
    full = decode(make(data, expected_format=PHONE_FORMATS[kind][2])["full"])
    assert close(full.getpixel((250, 10)), RED) and close(full.getpixel((250, 490)), BLUE)


def test_heif_irot_is_applied_once() -> None:
    """pillow-heif turns the pixels by irot and resets EXIF to 1: the output is not turned twice."""
    data = sample("heic", halves(), exif=exif(6))
    assert b"irot" in data
    opened = Image.open(io.BytesIO(data), formats=["HEIF"])
    assert opened.size == (200, 300) and opened.getexif().get(0x0112, 1) == 1


def test_avif_irot_arrives_as_exif_orientation() -> None:
    data = sample("avif", halves(), exif=exif(6))
    assert b"irot" in data
    opened = Image.open(io.BytesIO(data), formats=["AVIF"])
    assert opened.size == (300, 200) and opened.getexif()[0x0112] == 6


@pytest.mark.parametrize("kind", KINDS)
def test_outputs_carry_no_metadata(kind: str) -> None:
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = sample(kind, halves((64, 64)), exif=exif(1, make="PhoneMaker", model="Secret 9"),
                  icc_profile=profile, xmp=b"<x:xmpmeta>GPS 48.85 2.35</x:xmpmeta>")
    for jpeg in make(data, expected_format=PHONE_FORMATS[kind][2]).values():
        assert_no_metadata(jpeg)
        assert b"PhoneMaker" not in jpeg and b"GPS" not in jpeg


@pytest.mark.parametrize("kind", ["webp", "avif", "heic"])
def test_animated_input_gives_its_first_frame(kind: str, monkeypatch) -> None:
    data = animation(kind, RED, BLUE, GREEN)
    opened = Image.open(io.BytesIO(data))
    assert opened.n_frames == 3
    seeks = []
    original_seek = type(opened).seek

    def spy_seek(self, frame):
        seeks.append(frame)
        return original_seek(self, frame)

    monkeypatch.setattr(type(opened), "seek", spy_seek)
    full = decode(make(data, expected_format=PHONE_FORMATS[kind][2])["full"])
    assert close(full.getpixel((250, 250)), RED)
    assert [frame for frame in seeks if frame] == []  # never moved off the first frame


def test_heif_collection_uses_its_primary_image() -> None:
    data = animation("heic", RED, BLUE, primary_index=1)
    assert close(decode(make(data, expected_format="HEIF")["full"]).getpixel((250, 250)), BLUE)


def test_transparent_webp_and_avif_are_flattened_onto_white() -> None:
    img = Image.new("RGBA", (40, 40), (0, 0, 0, 0))
    for kind in ("webp", "avif"):
        full = decode(make(sample(kind, img), expected_format=PHONE_FORMATS[kind][2])["full"])
        assert close(full.getpixel((250, 250)), (255, 255, 255), 8)


# --- recognised by their data, not their name ------------------------------------------


@pytest.mark.parametrize("kind, other", [("heic", "avif"), ("avif", "heic"), ("webp", "heic"),
                                         ("heic", "webp"), ("avif", "webp")])
def test_data_of_another_format_is_refused(kind: str, other: str) -> None:
    with pytest.raises(ImageValidationError) as info:
        validated(kind, sample(other))
    assert info.value.developer_message == BAD_MAGIC


@pytest.mark.parametrize("name, content_type", [("a.jpg", "image/jpeg"), ("a.png", "image/png")])
@pytest.mark.parametrize("kind", ["webp", "heic", "avif"])
def test_phone_formats_named_as_jpeg_or_png_are_refused(kind: str, name: str, content_type: str) -> None:
    with pytest.raises(ImageValidationError) as info:
        validate_uploaded_image(upload(sample(kind), name, content_type), min_bytes=10, max_bytes=10**7)
    assert info.value.developer_message == BAD_MAGIC


def test_heif_decoder_never_gets_avif_data_with_expected_heif() -> None:
    with pytest.raises(ImageValidationError) as info:
        make(sample("avif"), expected_format="HEIF")
    assert info.value.developer_message == BAD_MAGIC


def test_content_type_must_fit_the_extension() -> None:
    with pytest.raises(ImageValidationError):
        validate_uploaded_image(upload(sample("heic"), "a.heic", "image/avif"), min_bytes=10, max_bytes=10**7)
    # image/heic and image/heif both declare HEIF data, whichever the extension
    assert validate_uploaded_image(upload(sample("heic"), "a.heif", "image/heic"),
                                   min_bytes=10, max_bytes=10**7) == "HEIF"


def ftyp(major: bytes, *compatible: bytes) -> bytes:
    body = major + b"\x00\x00\x00\x00" + b"".join(compatible)
    return struct.pack(">I", 8 + len(body)) + b"ftyp" + body


@pytest.mark.parametrize("header, kind", [
    (ftyp(b"heic", b"mif1", b"heic"), "heif"),
    (ftyp(b"mif1", b"miaf", b"heic"), "heif"),  # Android writers: the codec brand is compatible only
    (ftyp(b"msf1", b"hevc"), "heif"),
    (ftyp(b"avif", b"mif1", b"miaf"), "avif"),
    (ftyp(b"mif1", b"avif"), "avif"),
    (ftyp(b"avis", b"msf1"), "avif"),
])
def test_iso_brands_decide_the_format(header: bytes, kind: str) -> None:
    others = {"heif", "avif"} - {kind}
    assert formats.IMAGE_TYPES[kind].matches(header)
    assert not any(formats.IMAGE_TYPES[other].matches(header) for other in others)


def test_codec_neutral_brands_alone_are_neither() -> None:
    header = ftyp(b"mif1", b"miaf")
    assert not formats.IMAGE_TYPES["heif"].matches(header) and not formats.IMAGE_TYPES["avif"].matches(header)
    assert formats.ftyp_brands(b"\x00\x00\x00\x18moov" + bytes(20)) == frozenset()


# --- a decoder that is not installed ---------------------------------------------------


def without(monkeypatch, *keys: str) -> None:
    present = {key: key not in keys for key in formats.IMAGE_TYPES}
    monkeypatch.setattr(formats, "_availability", lambda: present)


def test_heic_without_pillow_heif_is_unsupported_with_a_clear_message(monkeypatch) -> None:
    without(monkeypatch, "heif")
    with pytest.raises(UnsupportedImageTypeError) as info:
        validated("heic", sample("heic"))
    assert str(info.value.user_message) == (
        "This server cannot read HEIC/HEIF images. Upload one of these types instead: "
        ".jpeg, .jpg, .png, .gif, .webp, .avif.")
    assert "pillow-heif" in info.value.developer_message
    assert errors._get_valid_file_types() == ".jpeg, .jpg, .png, .gif, .webp, .avif"
    assert images._allowed_formats() == ["JPEG", "PNG", "GIF", "WEBP", "AVIF"]


def test_without_a_decoder_the_data_never_reaches_it(monkeypatch) -> None:
    without(monkeypatch, "heif", "avif")
    opened = []
    original = Image.open
    monkeypatch.setattr(Image, "open", lambda fp, mode="r", formats=None: opened.append(formats)
                        or original(fp, mode, formats))
    for data, expected in ((sample("heic"), "HEIF"), (sample("avif"), "AVIF")):
        with pytest.raises(UnsupportedImageTypeError):
            make(data, expected_format=expected)
        with pytest.raises(ImageValidationError):  # not a format this host decodes
            make(data)
    assert opened == [["JPEG", "PNG", "GIF", "WEBP"]] * 2


def test_availability_reflects_the_installed_decoders() -> None:
    assert set(formats.available_types()) == {"jpeg", "png", "gif", "webp", "heif", "avif"}
    assert "HEIF" in Image.OPEN and "AVIF" in Image.OPEN


# --- memory: the codec's buffers counted before decoding --------------------------------


def test_webp_estimate_is_bitmap_plus_libwebp_canvases_plus_the_file() -> None:
    data = sample("webp", Image.new("RGB", (400, 300), GREEN))
    img = Image.open(io.BytesIO(data))
    assert pixels.decoded_bytes(img, file_size=len(data)) == 400 * 300 * 16 + 2 * len(data)


@pytest.mark.parametrize("kind", ["heic", "avif"])
def test_iso_estimates_follow_the_coding(kind: str) -> None:
    data = sample(kind, Image.new("RGB", (400, 300), GREEN))
    img = Image.open(io.BytesIO(data))
    coding = isobmff.read_coding(data)
    assert coding == isobmff.Coding(8, 1.5)
    yuv, rgb = 400 * 300 * 1.5, 400 * 300 * 3
    expected = 400 * 300 * 4 + (yuv + 2 * rgb if kind == "avif" else 2 * yuv + rgb)
    assert pixels.decoded_bytes(img, coding=coding) == expected
    # without the boxes' word, the worst case: 16-bit 4:4:4
    assert pixels.decoded_bytes(img) == 400 * 300 * 4 + (
        400 * 300 * 6 + 2 * rgb if kind == "avif" else 2 * 400 * 300 * 6 + rgb)


def test_transparent_avif_counts_its_alpha_plane() -> None:
    data = sample("avif", Image.new("RGBA", (100, 100), (0, 0, 0, 0)))
    img = Image.open(io.BytesIO(data))
    assert img.mode == "RGBA"
    assert pixels.decoded_bytes(img, coding=isobmff.read_coding(data)) == 10_000 * (4 + 2.5 + 8)


@pytest.mark.parametrize("twelve, depth", [(False, 10), (True, 12)])
def test_high_bit_depth_heic_is_read_from_hvcc(twelve: bool, depth: int) -> None:
    data = heic_high_bit_depth((64, 48), twelve=twelve)
    assert isobmff.read_coding(data) == isobmff.Coding(depth, 1.5)
    assert close(decode(make(data, expected_format="HEIF")["full"]).getpixel((250, 250)), GREEN)


def patched_av1c(data: bytes, flags: int) -> bytes:
    at = data.index(b"av1C") + 4
    return data[:at + 2] + bytes([flags]) + data[at + 3:]


@pytest.mark.parametrize("flags, coding", [
    (0b0100_0000, isobmff.Coding(10, 3.0)), (0b0110_0000, isobmff.Coding(12, 3.0)),
    (0b0100_1100, isobmff.Coding(10, 1.5)), (0b0000_1000, isobmff.Coding(8, 2.0)),
    (0b0001_1100, isobmff.Coding(8, 1.0)),
])
def test_av1c_bit_depth_and_subsampling(flags: int, coding) -> None:
    assert isobmff.read_coding(patched_av1c(sample("avif"), flags)) == coding


@pytest.mark.parametrize("data", [b"", b"\x00\x00\x00\x01ftyp", b"\x00\x00\x00\x10meta" + bytes(4),
                                  b"\xff\xff\xff\xffmeta", bytes(64), b"\x00\x00\x00\x08meta" * 5000])
def test_unreadable_boxes_count_as_the_worst_case(data: bytes) -> None:
    assert isobmff.read_coding(data) == isobmff.WORST_CODING


def trap_loads(monkeypatch) -> list:
    loads = []
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda self: loads.append(self.format))
    return loads


def test_avif_beyond_the_budget_is_refused_before_decoding(monkeypatch) -> None:
    data = sample("avif", Image.new("RGB", (200, 200), GREEN))
    estimate = 200 * 200 * (4 + 1.5 + 6)  # 8-bit 4:2:0, as its av1C says
    make(data, expected_format="AVIF", max_decoded_bytes=int(estimate))
    loads = trap_loads(monkeypatch)
    with pytest.raises(ImageValidationError) as info:
        make(data, expected_format="AVIF", max_decoded_bytes=int(estimate) - 1)
    assert str(info.value.user_message) == TOO_MUCH_MEMORY and loads == []


def test_twelve_bit_444_costs_more_than_eight_bit_420() -> None:
    img = Image.open(io.BytesIO(sample("avif", Image.new("RGB", (200, 200), GREEN))))
    eight = pixels.decoded_bytes(img, coding=isobmff.Coding(8, 1.5))
    twelve = pixels.decoded_bytes(img, coding=isobmff.Coding(12, 3.0))
    assert (eight, twelve) == (200 * 200 * 11.5, 200 * 200 * 16)


def test_ten_bit_heic_costs_more_than_eight_bit(monkeypatch) -> None:
    ten = heic_high_bit_depth((128, 96))
    eight = sample("heic", Image.new("RGB", (128, 96), GREEN))
    budget = 128 * 96 * (4 + 3 + 3)  # exactly the 8-bit estimate
    make(eight, expected_format="HEIF", max_decoded_bytes=budget)
    loads = trap_loads(monkeypatch)
    with pytest.raises(ImageValidationError) as info:
        make(ten, expected_format="HEIF", max_decoded_bytes=budget)
    assert "needs about" in info.value.developer_message and loads == []


def vp8x_header(width: int, height: int) -> bytes:
    """An extended WebP declaring a canvas, with nothing after its header (a few hundred bytes)."""
    body = b"VP8X" + struct.pack("<I", 10) + bytes(4) + (width - 1).to_bytes(3, "little") \
        + (height - 1).to_bytes(3, "little")
    body += bytes(200)
    return b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WEBP" + body


def trap_webp_decoder(monkeypatch) -> list:
    created = []

    def forbidden(*args, **kwargs):
        created.append(args)
        raise AssertionError("the WebP decoder was created")

    monkeypatch.setattr(WebPImagePlugin._webp, "WebPAnimDecoder", forbidden)
    return created


def test_webp_canvas_beyond_the_budget_is_refused_before_the_decoder_exists(monkeypatch) -> None:
    created = trap_webp_decoder(monkeypatch)
    data = vp8x_header(4000, 3000)  # 12 MP: 192 MB for libwebp and Pillow
    assert formats.webp_canvas_size(data) == (4000, 3000)
    with pytest.raises(ImageValidationError) as info:
        make(data, expected_format="WEBP")
    assert str(info.value.user_message) == TOO_MUCH_MEMORY
    assert info.value.developer_message.startswith("Decoding this image needs about 192 MB")
    assert created == []


def test_webp_canvas_beyond_the_pixel_cap_is_refused_before_the_decoder_exists(monkeypatch) -> None:
    created = trap_webp_decoder(monkeypatch)
    with pytest.raises(ImageValidationError) as info:
        make(vp8x_header(16384, 16384), expected_format="WEBP")
    assert info.value.developer_message == TOO_MANY_PIXELS and created == []


@pytest.mark.parametrize("params", [{"quality": 80}, {"lossless": True}])
def test_webp_canvas_size_of_lossy_and_lossless_files(params) -> None:
    data = encode(Image.new("RGB", (321, 123), GREEN), "WEBP", **params)
    assert formats.webp_canvas_size(data) == (321, 123)


def test_the_default_budget_takes_a_9_megapixel_webp_and_a_12_megapixel_heic() -> None:
    assert 3000 * 2999 * 16 < DEFAULT_MAX_DECODED_BYTES < 4000 * 3000 * 16
    assert 4032 * 3024 * (4 + 3 + 3) < DEFAULT_MAX_DECODED_BYTES  # iPhone 12 MP, 8-bit 4:2:0
    assert 4032 * 3024 * (4 + 6 + 3) > DEFAULT_MAX_DECODED_BYTES  # its 10-bit twin is refused
