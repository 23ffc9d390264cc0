"""
Benchmark the profile image pipeline against a plain full-resolution reference.

Usage: python benchmarks/bench_profile_images.py [--repeats N] [--width W --height H] [--kinds]

Needs only Pillow and numpy. It generates a photo-like 12-megapixel JPEG, then reports:

* time: median wall-clock time of `create_profile_images` and of the reference pipeline
  (full decode, centre square crop, one Lanczos resize per size from the full square,
  JPEG encode at the same quality), over several runs after a warm-up, and their ratio;
* peak memory: each pipeline runs once in a fresh Python subprocess; we report the rise
  of that process's peak resident set size (Linux VmHWM, else getrusage ru_maxrss) from
  just before the pipeline runs (interpreter, imports and the input bytes already loaded)
  to just after. This counts Pillow's C allocations, which tracemalloc does not see;
* quality: SSIM (Gaussian window, sigma 1.5, 11x11, on BT.601 luminance) of our 500 px
  output against the reference 500 px output.

Targets: at least 4x faster and SSIM at least 0.98. Exit status 1 if either is missed.

With --kinds it measures instead, per kind of hostile or unusual image, and per format phones
save (WebP, HEIC, AVIF, when their decoders are installed), each in a fresh subprocess as above,
the peak RSS rise of one `create_profile_images` call and whether
the image was accepted or refused. Target: at most 200 MB for every kind, accepted or
refused; exit status 1 otherwise. (tracemalloc cannot measure this: Pillow allocates
pixels with the C allocator, outside Python's.)
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

import numpy as np
from PIL import Image

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

SIZES = {"full": 500, "large": 120, "medium": 50, "small": 30}
MAX_PIXELS = 36_000_000
JPEG_QUALITY = 90
TARGET_SPEEDUP = 4.0
TARGET_SSIM = 0.98
TARGET_PEAK_BYTES = 200 * 1_000_000


def make_photo_like_jpeg(width: int, height: int, seed: int = 12345) -> bytes:
    """Smooth colour gradients, soft blobs, hard edges and sensor-like noise: something JPEG-ish."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    x /= width
    y /= height
    channels = []
    for phase in (0.0, 2.1, 4.2):
        base = 0.5 + 0.25 * np.sin(2 * np.pi * (1.3 * x + 0.7 * y) + phase)
        base += 0.15 * np.cos(2 * np.pi * (3.1 * x * y) + phase)
        channels.append(base)
    img = np.stack(channels, axis=-1)
    for _ in range(40):  # soft blobs of varied size and colour
        cx, cy, r = rng.random(), rng.random(), 0.02 + 0.12 * rng.random()
        colour = rng.random(3).astype(np.float32) - 0.5
        weight = np.exp(-(((x - cx) ** 2 + (y - cy) ** 2) / (r * r)))
        img += 0.5 * weight[..., None] * colour
    for _ in range(25):  # hard-edged rectangles for high-frequency detail
        x0, y0 = rng.random(2)
        w, h = 0.01 + 0.1 * rng.random(2)
        mask = (x >= x0) & (x < x0 + w) & (y >= y0) & (y < y0 + h)
        img[mask] = rng.random(3).astype(np.float32)
    stripes = 0.04 * np.sin(2 * np.pi * x * width / 7.0)  # fine texture near Nyquist/4
    img += stripes[..., None]
    img += rng.normal(0.0, 0.02, img.shape).astype(np.float32)
    pixels = np.clip(img * 255.0, 0, 255).astype(np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels, "RGB").save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


def reference_pipeline(data: bytes, sizes: dict[str, int]) -> dict[str, bytes]:
    """The baseline, Open edX's pipeline on today's Pillow: full decode, crop, each size from the full square."""
    img = Image.open(io.BytesIO(data))
    img = img.convert("RGB")
    width, height = img.size
    side = min(width, height)
    left, top = (width - side) // 2, (height - side) // 2
    square = img.crop((left, top, left + side, top + side))
    out = {}
    for name, size in sizes.items():
        resized = square.resize((size, size), Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        resized.save(buffer, format="JPEG", quality=JPEG_QUALITY)
        out[name] = buffer.getvalue()
    return out


def our_pipeline(data: bytes, sizes: dict[str, int]) -> dict[str, bytes]:
    from openedx_learner_apis.applets.profile_images.images import create_profile_images

    return create_profile_images(
        io.BytesIO(data), sizes=sizes, max_pixels=MAX_PIXELS, expected_format="JPEG"
    )


def our_pipeline_outcome(data: bytes, sizes: dict[str, int]) -> str:
    """``accepted`` or ``refused: <developer message>``: a refusal is a result, not a crash."""
    from openedx_learner_apis.applets.profile_images.images import ImageValidationError, create_profile_images

    try:
        create_profile_images(io.BytesIO(data), sizes=sizes, max_pixels=MAX_PIXELS)
    except ImageValidationError as exc:
        return f"refused: {exc.developer_message}"
    return "accepted"


PIPELINES = {"ours": our_pipeline, "reference": reference_pipeline, "outcome": our_pipeline_outcome}


def _png(width: int, height: int, colour_type: int, bit_depth: int, row: bytes, plte: bytes = b"") -> bytes:
    """A PNG written by hand, so that any header (16-bit RGBA, huge sizes) costs no encoding memory."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + (chunk(b"PLTE", plte) if plte else b"")
            + chunk(b"IDAT", idat) + chunk(b"IEND", b""))


def _encoded(img: Image.Image, fmt: str, **params) -> bytes:
    buffer = io.BytesIO()
    img.save(buffer, format=fmt, **params)
    return buffer.getvalue()


def hostile_kinds() -> dict[str, bytes]:
    """Images whose decoded size is far beyond their file size, and phone photos (all under 1 MB)."""
    side = 6000
    return {
        "PNG 6000x6000 RGBA 16-bit": _png(side, side, 6, 16, bytes(side * 8 + 1)),
        "PNG 6000x6000 RGB 8-bit": _png(side, side, 2, 8, bytes(side * 3 + 1)),
        "PNG 6000x6000 grey 16-bit": _png(side, side, 0, 16, bytes(side * 2 + 1)),
        "PNG 6000x6000 palette (256 colours)": _png(side, side, 3, 8, bytes(side + 1), plte=bytes(range(256)) * 3),
        "JPEG 6000x6000 progressive 4:4:4": _encoded(Image.new("RGB", (side, side), (200, 100, 50)), "JPEG",
                                                     quality=50, progressive=True, subsampling=0),
        "JPEG 6000x6000 progressive CMYK": _encoded(Image.new("CMYK", (side, side)), "JPEG", quality=50,
                                                    progressive=True),
        "JPEG 5000x5000 baseline CMYK": _encoded(Image.new("CMYK", (5000, 5000)), "JPEG", quality=30),
        "GIF 6000x6000, 2 frames": _encoded(Image.new("P", (side, side)), "GIF", save_all=True,
                                            append_images=[Image.new("P", (side, side), 1)]),
        "MPO 4000x3000 + 1000x750 (phone)": _encoded(Image.new("RGB", (4000, 3000), (90, 120, 200)), "MPO",
                                                     save_all=True, quality=85,
                                                     append_images=[Image.new("L", (1000, 750), 128)]),
        "PNG header 40000x40000 (bomb)": _png(40000, 40000, 0, 8, bytes(40001))[:4096],
        **phone_kinds(),
    }


def phone_kinds() -> dict[str, bytes]:
    """What phone galleries hold: WebP, HEIC (8 and 10 bits) and AVIF, at phone sizes, and animations."""
    from openedx_learner_apis.applets.profile_images import formats

    present = formats.available_types()  # registers pillow-heif's opener when it is installed
    photo = Image.new("RGB", (4032, 3024), (90, 120, 200))
    kinds = {}
    if "webp" in present:
        kinds["WebP 2900x2900 lossy"] = _encoded(Image.new("RGB", (2900, 2900), (90, 120, 200)), "WEBP",
                                                 quality=60)
        kinds["WebP 4000x3000 lossy (12 MP)"] = _encoded(Image.new("RGB", (4000, 3000)), "WEBP", quality=60)
        kinds["WebP 1500x1500 animated, 3 frames"] = _encoded(
            Image.new("RGB", (1500, 1500), (200, 0, 0)), "WEBP", save_all=True,
            append_images=[Image.new("RGB", (1500, 1500), (0, 0, c)) for c in (100, 200)])
    if "heif" in present:
        import pillow_heif

        kinds["HEIC 4032x3024 8-bit (12 MP phone)"] = _encoded(photo, "HEIF", quality=60)
        samples = bytes((90, 90, 120, 120, 200, 200)) * (3024 * 2016)
        buffer = io.BytesIO()
        pillow_heif.from_bytes("RGB;16", (3024, 2016), samples).save(buffer, quality=60)
        kinds["HEIC 3024x2016 10-bit"] = buffer.getvalue()
    if "avif" in present:
        kinds["AVIF 4000x3000 8-bit 4:2:0"] = _encoded(Image.new("RGB", (4000, 3000), (90, 120, 200)), "AVIF",
                                                       quality=50, speed=10)
        kinds["AVIF 4000x3000 RGBA 4:4:4"] = _encoded(Image.new("RGBA", (4000, 3000), (90, 120, 200, 128)),
                                                      "AVIF", quality=50, speed=10, subsampling="4:4:4")
    return kinds


def measure_kinds() -> bool:
    """Print the peak RSS rise and the outcome per kind; whether every kind met the target."""
    ok = True
    print(f"peak RSS rise of one create_profile_images call, fresh subprocess each (target <= "
          f"{TARGET_PEAK_BYTES / 1e6:.0f} MB):")
    for label, data in hostile_kinds().items():
        with tempfile.NamedTemporaryFile(delete=False) as tmp:
            tmp.write(data)
        try:
            rise, outcome = peak_memory("outcome", tmp.name, with_outcome=True)
        finally:
            os.unlink(tmp.name)
        ok = ok and rise <= TARGET_PEAK_BYTES
        print(f"  {label:<40} {len(data) / 1000:7.0f} KB  {rise / 1e6:6.0f} MB  {outcome[:90]}")
    return ok


def _gaussian_kernel(size: int = 11, sigma: float = 1.5) -> np.ndarray:
    ax = np.arange(size, dtype=np.float64) - (size - 1) / 2
    kernel = np.exp(-(ax**2) / (2 * sigma**2))
    return kernel / kernel.sum()


def _filter_valid(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Separable 2-D convolution, 'valid' region only."""
    k = len(kernel)
    rows = sum(kernel[i] * image[i : image.shape[0] - k + 1 + i, :] for i in range(k))
    return sum(kernel[j] * rows[:, j : rows.shape[1] - k + 1 + j] for j in range(k))


def luminance(jpeg: bytes) -> np.ndarray:
    rgb = np.asarray(Image.open(io.BytesIO(jpeg)).convert("RGB"), dtype=np.float64)
    return rgb @ np.array([0.299, 0.587, 0.114])


def ssim(a: np.ndarray, b: np.ndarray) -> float:
    """Mean SSIM (Wang et al. 2004) with an 11x11 Gaussian window, sigma 1.5, L = 255."""
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
    kernel = _gaussian_kernel()
    mu_a, mu_b = _filter_valid(a, kernel), _filter_valid(b, kernel)
    var_a = _filter_valid(a * a, kernel) - mu_a**2
    var_b = _filter_valid(b * b, kernel) - mu_b**2
    cov = _filter_valid(a * b, kernel) - mu_a * mu_b
    numerator = (2 * mu_a * mu_b + c1) * (2 * cov + c2)
    denominator = (mu_a**2 + mu_b**2 + c1) * (var_a + var_b + c2)
    return float(np.mean(numerator / denominator))


def time_pipeline(name: str, data: bytes, repeats: int) -> float:
    func = PIPELINES[name]
    func(data, SIZES)  # warm-up: imports, plugin registration
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        func(data, SIZES)
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def _maxrss_bytes() -> int:
    """
    Peak resident set size of this process so far.

    Linux: VmHWM from /proc/self/status, which starts afresh at exec. (getrusage's
    ru_maxrss survives fork+exec on Linux, so a child would inherit the benchmark
    parent's peak and hide its own.) Elsewhere: getrusage.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    import resource

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss if sys.platform == "darwin" else rss * 1024  # Linux reports KiB


def _measure_child(name: str, path: str) -> None:
    """Subprocess entry point: print the peak-RSS rise caused by one run of a pipeline."""
    func = PIPELINES[name]
    if name in ("ours", "outcome"):
        import openedx_learner_apis.applets.profile_images.images  # noqa: F401  (import cost is not pipeline cost)
    if name == "outcome":
        from django.conf import settings

        settings.configure(USE_I18N=False)  # the refusal messages are lazy translations
    data = Path(path).read_bytes()
    before = _maxrss_bytes()
    outcome = func(data, SIZES)
    after = _maxrss_bytes()
    print(json.dumps({"before": before, "after": after, "outcome": outcome if isinstance(outcome, str) else ""}))


def peak_memory(name: str, path: str, with_outcome: bool = False):
    result = subprocess.run(
        [sys.executable, __file__, "--measure-child", name, path],
        check=True,
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
    )
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    rise = figures["after"] - figures["before"]
    return (rise, figures["outcome"]) if with_outcome else rise


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--width", type=int, default=4000)
    parser.add_argument("--height", type=int, default=3000)
    parser.add_argument("--kinds", action="store_true", help="peak memory per kind of hostile image")
    parser.add_argument(
        "--measure-child", nargs=2, metavar=("PIPELINE", "PATH"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()

    if args.measure_child:
        _measure_child(*args.measure_child)
        return 0
    if args.kinds:
        return 0 if measure_kinds() else 1

    data = make_photo_like_jpeg(args.width, args.height)
    print(
        f"source: {args.width}x{args.height} JPEG, {len(data) / 1_000_000:.1f} MB, sizes {SIZES}"
    )

    ours_time = time_pipeline("ours", data, args.repeats)
    ref_time = time_pipeline("reference", data, args.repeats)
    speedup = ref_time / ours_time
    print(
        f"time (median of {args.repeats}): ours {ours_time * 1000:.1f} ms, reference {ref_time * 1000:.1f} ms, "
        f"speed-up {speedup:.1f}x (target >= {TARGET_SPEEDUP:.0f}x)"
    )

    with tempfile.NamedTemporaryFile(suffix=".jpg", delete=False) as tmp:
        tmp.write(data)
    try:
        ours_mem = peak_memory("ours", tmp.name)
        ref_mem = peak_memory("reference", tmp.name)
    finally:
        os.unlink(tmp.name)
    print(
        f"peak RSS rise during one run (fresh subprocess each): ours {ours_mem / 2**20:.1f} MiB, "
        f"reference {ref_mem / 2**20:.1f} MiB"
    )

    ours_out = our_pipeline(data, SIZES)
    ref_out = reference_pipeline(data, SIZES)
    for name, size in SIZES.items():
        for label, out in (("ours", ours_out), ("reference", ref_out)):
            img = Image.open(io.BytesIO(out[name]))
            assert img.format == "JPEG" and img.size == (size, size), (
                label,
                name,
                img.format,
                img.size,
            )
    score = ssim(luminance(ours_out["full"]), luminance(ref_out["full"]))
    print(
        f"SSIM of 500 px outputs (ours vs reference, luminance): {score:.4f} (target >= {TARGET_SSIM})"
    )

    ok = speedup >= TARGET_SPEEDUP and score >= TARGET_SSIM
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
