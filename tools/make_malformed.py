#!/usr/bin/env python3
"""Write fixtures/png/malformed/: small broken PNGs, one flaw each, plus cases.tsv and README.md.

Usage (from anywhere; standard library only, output is byte-for-byte deterministic):
    python3 tools/make_malformed.py

Each file has exactly one flaw. All its other chunk CRCs and zlib streams are correct, so
a decoder that reports the flaw is reporting the right thing. base-valid.png is the valid image
that most cases start from. It is not in cases.tsv. Use it as a control that must decode.
"""

from __future__ import annotations

import hashlib
import random
import struct
import sys
import zlib
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "fixtures" / "png" / "malformed"
SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_BYTES = 100 * 1024


def chunk(ctype: bytes, payload: bytes) -> bytes:
    return (struct.pack(">I", len(payload)) + ctype + payload
            + struct.pack(">I", zlib.crc32(ctype + payload)))


def ihdr(width: int, height: int, depth: int = 8, color: int = 2, interlace: int = 0) -> bytes:
    return chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, depth, color, 0, 0, interlace))


def png(width: int, height: int, idat: bytes, depth: int = 8, color: int = 2) -> bytes:
    return SIGNATURE + ihdr(width, height, depth, color) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


# The base image: 32x16 8-bit RGB, a gradient with some seeded noise so that IDAT is not tiny.
W, H = 32, 16


def base_rows() -> list[bytes]:
    rng = random.Random(20240601)
    rows = []
    for y in range(H):
        row = bytearray()
        for x in range(W):
            row += bytes(((x * 8 + rng.randrange(16)) & 255, (y * 16) & 255,
                          (x * y + rng.randrange(64)) & 255))
        rows.append(bytes(row))
    return rows


def filtered(rows: list[bytes], bad_row: int | None = None) -> bytes:
    """Filter type 0 (None) on every row; filter byte 7 (undefined) on bad_row."""
    return b"".join(bytes([7 if y == bad_row else 0]) + r for y, r in enumerate(rows))


def base_png() -> bytes:
    return png(W, H, zlib.compress(filtered(base_rows()), 9))


def base_sha256_rgba() -> str:
    return hashlib.sha256(b"".join(
        bytes(r[i:i + 3]) + b"\xff" for r in base_rows() for i in range(0, len(r), 3))).hexdigest()


def split_chunks(data: bytes) -> list[tuple[int, bytes]]:
    """(offset, type) of each chunk of a well-formed file."""
    out, i = [], 8
    while i < len(data):
        (length,) = struct.unpack(">I", data[i:i + 4])
        out.append((i, data[i + 4:i + 8]))
        i += 12 + length
    return out


def idat_offset(data: bytes) -> tuple[int, int]:
    for off, ctype in split_chunks(data):
        if ctype == b"IDAT":
            (length,) = struct.unpack(">I", data[off:off + 4])
            return off, length
    raise ValueError("no IDAT")


def truncated_in_idat() -> bytes:
    data = base_png()
    off, length = idat_offset(data)
    return data[:off + 8 + length // 2]


def missing_iend() -> bytes:
    data = base_png()
    iend = [off for off, t in split_chunks(data) if t == b"IEND"][0]
    return data[:iend]


def trailing_garbage() -> bytes:
    return base_png() + b"trailing garbage after IEND\n" + bytes(range(16))


def bad_filter() -> bytes:
    return png(W, H, zlib.compress(filtered(base_rows(), bad_row=5), 9))


def bad_crc_idat() -> bytes:
    data = bytearray(base_png())
    off, length = idat_offset(bytes(data))
    data[off + 8 + length] ^= 0xFF  # first byte of IDAT's CRC
    return bytes(data)


def zero_width() -> bytes:
    return png(0, H, zlib.compress(b"", 9))


def huge_dimensions() -> bytes:
    # 100000 x 100000 8-bit RGB: 10 gigapixels. IDAT: one empty filtered row's worth, compressed.
    return png(100000, 100000, zlib.compress(b"\x00" * (1 + 3 * 64), 9))


BOMB_SIDE = 20000
BOMB_ROWS = 4800  # rows of zeros in IDAT: 4800 * 20001 bytes = 96 MB inflated, about 93 KB stored


def zlib_bomb() -> bytes:
    # IHDR says 20000 x 20000 8-bit grey (400 megapixels, 400 MB of filtered data in full). IDAT holds
    # the first BOMB_ROWS rows of zeros, compressed at level 9, so the file stays under 100 KB.
    # A 40-megapixel limit must refuse it from the header, before inflating or allocating.
    raw = bytes((1 + BOMB_SIDE) * BOMB_ROWS)
    return png(BOMB_SIDE, BOMB_SIDE, zlib.compress(raw, 9), depth=8, color=0)


# file, expected_error, description, builder
CASES = [
    ("empty.png", "empty", "an empty file", lambda: b""),
    ("not-a-png.png", "not_png", "a short text file with a .png name",
     lambda: b"This is not a PNG file, just text with a .png name.\n"),
    ("truncated-in-idat.png", "truncated",
     "base-valid.png cut halfway through the IDAT payload (no IDAT CRC, no IEND)", truncated_in_idat),
    ("missing-iend.png", "missing_end",
     "base-valid.png without its IEND chunk: the file ends right after a complete IDAT", missing_iend),
    ("trailing-garbage.png", "trailing_data",
     "base-valid.png followed by 44 bytes of garbage after IEND", trailing_garbage),
    ("bad-filter.png", "bad_filter",
     "32x16 RGB, row 5 has filter byte 7 (undefined); zlib stream and all CRCs correct", bad_filter),
    ("bad-crc-idat.png", "bad_crc",
     "base-valid.png with the first byte of the IDAT CRC inverted", bad_crc_idat),
    ("zero-width.png", "invalid_header",
     "IHDR width 0, height 16, 8-bit RGB; CRCs correct, IDAT an empty zlib stream", zero_width),
    ("huge-dimensions.png", "too_large",
     "IHDR 100000x100000 8-bit RGB (10 gigapixels) with a tiny IDAT; CRCs correct", huge_dimensions),
    ("zlib-bomb.png", "too_large",
     f"IHDR {BOMB_SIDE}x{BOMB_SIDE} 8-bit grey (400 megapixels); IDAT is {BOMB_ROWS} rows of zeros "
     f"(~{(1 + BOMB_SIDE) * BOMB_ROWS // 1_000_000} MB inflated) at zlib level 9; CRCs correct; "
     "a 40-megapixel limit must refuse it before allocating", zlib_bomb),
]


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "base-valid.png").write_bytes(base_png())
    tsv = ["file\texpected_error\tdescription"]
    readme = [
        "# Malformed PNG fixtures",
        "",
        "Written by `tools/make_malformed.py`, which is deterministic. Each file has one flaw, and",
        "its other CRCs and zlib streams are correct. `cases.tsv` lists them: file, expected_error, description.",
        "`expected_error` is one of: empty, not_png, truncated, missing_end, trailing_data, bad_filter,",
        "bad_crc, invalid_header, too_large.",
        "",
        "- `base-valid.png`: the valid 32x16 8-bit RGB image that most cases start from (control; must decode;",
        f"  sha256_rgba {base_sha256_rgba()}).",
    ]
    for name, expected, description, build in CASES:
        data = build()
        if len(data) >= MAX_BYTES:
            sys.exit(f"make_malformed: {name} is {len(data)} bytes, over {MAX_BYTES}")
        (OUT / name).write_bytes(data)
        tsv.append(f"{name}\t{expected}\t{description}")
        readme.append(f"- `{name}` ({expected}, {len(data)} bytes): {description}.")
    (OUT / "cases.tsv").write_text("\n".join(tsv) + "\n")
    (OUT / "README.md").write_text("\n".join(readme) + "\n")
    print(f"wrote {len(CASES)} malformed cases and base-valid.png to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
