"""
How a HEIF or AVIF file's pictures are coded, read from its boxes without decoding anything.

The memory a HEVC or AV1 decoder needs depends on more than the pixel count: 10- and 12-bit
pictures keep two bytes per sample, and 4:4:4 pictures twice the samples of 4:2:0 ones. Both
are declared in the item properties (``meta`` > ``iprp`` > ``ipco``), and for sequences in the
sample entries of their tracks: the codec configuration (``hvcC`` for HEVC, ``av1C`` for AV1)
and the pixel information (``pixi``). The worst value over
all properties is taken (a file may hold several images: thumbnails, alpha, depth), and a file
whose boxes cannot be read counts as the worst case, 16 bits and 4:4:4.
"""

from __future__ import annotations

import struct
from typing import NamedTuple

__all__ = ["WORST_CODING", "Coding", "read_coding"]


class Coding(NamedTuple):
    """The bit depth of the samples and the colour samples per pixel (4:2:0 is 1.5, 4:4:4 is 3)."""

    bit_depth: int
    samples_per_pixel: float

    @property
    def bytes_per_sample(self) -> int:
        return 1 if self.bit_depth <= 8 else 2


WORST_CODING = Coding(16, 3.0)

# HEVC chroma_format_idc -> samples per pixel: monochrome, 4:2:0, 4:2:2, 4:4:4.
_HEVC_SAMPLES = {0: 1.0, 1: 1.5, 2: 2.0, 3: 3.0}

_MAX_BOXES = 4096  # a hostile file cannot make the walk long
# Boxes walked into, with the bytes of their own fields before the child boxes: the item
# properties of still images, and the sample entries of sequences (animated AVIF, HEIF sequences).
_CONTAINERS = {
    b"meta": 4, b"iprp": 0, b"ipco": 0,
    b"moov": 0, b"trak": 0, b"mdia": 0, b"minf": 0, b"stbl": 0, b"stsd": 8,
    b"av01": 78, b"hvc1": 78, b"hev1": 78,
}


def _boxes(data: bytes, start: int, end: int, budget: list[int]):
    """Yield ``(type, body start, body end)`` of the boxes between ``start`` and ``end``."""
    offset = start
    while offset + 8 <= end:
        budget[0] -= 1
        if budget[0] < 0:
            raise ValueError("too many boxes")
        size, kind = struct.unpack(">I4s", data[offset:offset + 8])
        header = 8
        if size == 1:  # 64-bit size follows the type
            if offset + 16 > end:
                raise ValueError("truncated box")
            size = struct.unpack(">Q", data[offset + 8:offset + 16])[0]
            header = 16
        elif size == 0:  # the box runs to the end of its container
            size = end - offset
        if size < header or offset + size > end:
            raise ValueError("box size out of range")
        yield kind, offset + header, offset + size
        offset += size


def _property_coding(kind: bytes, body: bytes) -> Coding | None:
    """The coding one property declares, when it is a property that declares one."""
    if kind == b"hvcC" and len(body) >= 19:
        return Coding((body[17] & 0x07) + 8, _HEVC_SAMPLES[body[16] & 0x03])
    if kind == b"av1C" and len(body) >= 3:
        flags = body[2]
        high_bitdepth, twelve_bit, monochrome = flags & 0x40, flags & 0x20, flags & 0x10
        depth = (12 if twelve_bit else 10) if high_bitdepth else 8
        if monochrome:
            return Coding(depth, 1.0)
        subsampled_x, subsampled_y = flags & 0x08, flags & 0x04
        return Coding(depth, 1.5 if subsampled_x and subsampled_y else 2.0 if subsampled_x else 3.0)
    if kind == b"pixi" and len(body) >= 5:  # full box: version and flags, count, one depth per channel
        depths = body[5:5 + body[4]]
        if depths:
            return Coding(max(depths), 0.0)
    return None


def read_coding(data: bytes) -> Coding:
    """The worst coding declared by any item property of ``data``; ``WORST_CODING`` when unreadable."""
    found: list[Coding] = []
    budget = [_MAX_BOXES]

    def walk(start: int, end: int) -> None:
        for kind, body_start, body_end in _boxes(data, start, end, budget):
            if kind in _CONTAINERS:
                walk(body_start + _CONTAINERS[kind], body_end)
                continue
            coding = _property_coding(kind, data[body_start:body_end])
            if coding is not None:
                found.append(coding)

    try:
        walk(0, len(data))
    except (ValueError, struct.error, KeyError, IndexError):
        return WORST_CODING
    codecs = [coding for coding in found if coding.samples_per_pixel]
    if not codecs:
        return WORST_CODING
    depth = max(coding.bit_depth for coding in found)
    return Coding(min(depth, 16), max(coding.samples_per_pixel for coding in codecs))
