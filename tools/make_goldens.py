#!/usr/bin/env python3
"""Build fixtures/png/pngsuite/: the PngSuite images, their golden RGBA digests, the invalid cases.

Usage (from the repository root, with pypng installed, e.g. in tools/.venv):
    tools/.venv/bin/python tools/make_goldens.py [--sdist tools/.work/pypng-0.20220715.0.tar.gz]
                                                 [--check-pillow]

--sdist   extract every image embedded in the sdist's code/pngsuite.py into the fixture folder
          (get it with: pip download --no-deps --no-binary :all: pypng==0.20220715.0 -d tools/.work)
--check-pillow  compare each golden with Pillow's convert("RGBA") and print the differences

Writes, in fixtures/png/pngsuite/:
  golden.tsv   one row per valid image: name, width, height, bit_depth, color_type, interlaced,
               has_transparency, sha256_rgba (SHA-256 of the 8-bit RGBA bytes, row-major, no padding)
  invalid.tsv  one row per x*.png: name, expected_error, what_is_wrong, derived_from
  x*.png       the PngSuite corrupted cases, rebuilt from the valid base images (pypng ships none)

The golden decode is independent of libpng: pypng reads the raw samples (Reader.read(), at the
file's bit depth; palette images give indices) and this script does the 8-bit RGBA conversion
itself, with the project's rules:
  - samples below 8 bits: v * 255 / (2^d - 1) (exact for d = 1, 2, 4);
  - 16-bit samples: round(v * 255 / 65535), half up: (v * 255 + 32767) // 65535;
  - grey expands to R = G = B; no alpha -> 255;
  - tRNS on grey/RGB: alpha 0 where the raw sample(s) equal the tRNS value (16-bit images match
    on the 16-bit value before scaling); palette tRNS gives each entry its alpha (255 past its end);
  - gAMA, cHRM, sRGB, iCCP, sBIT, bKGD are ignored.
Reader.asDirect() is deliberately not used: it also applies sBIT, shifting samples down to the
significant-bit depth (basn3p04, cs3n3p08, s09n3p02 and Basn0g03 carry sBIT), which is not what a
libpng decode without png_set_shift returns.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import re
import struct
import sys
import tarfile
import tempfile
import zlib
from pathlib import Path

import png  # pypng

ROOT = Path(__file__).resolve().parent.parent
SUITE = ROOT / "fixtures" / "png" / "pngsuite"

COLOR_TYPES = {0: "gray", 2: "rgb", 3: "palette", 4: "gray_alpha", 6: "rgba"}
SIGNATURE = b"\x89PNG\r\n\x1a\n"


# ---------------------------------------------------------------- extraction

def extract_from_sdist(sdist: Path) -> str:
    """Write every image of the sdist's code/pngsuite.py into SUITE; return the pypng version."""
    m = re.search(r"pypng-([0-9][0-9.]*[0-9])\.tar\.gz$", sdist.name)
    if not m:
        sys.exit(f"make_goldens: cannot read a pypng version from {sdist.name}")
    version = m.group(1)
    with tarfile.open(sdist) as tar, tempfile.TemporaryDirectory() as tmp:
        member = tar.getmember(f"pypng-{version}/code/pngsuite.py")
        source = tar.extractfile(member).read()
        path = Path(tmp) / "pngsuite.py"
        path.write_bytes(source)
        spec = importlib.util.spec_from_file_location("pngsuite_from_sdist", path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # pngsuite.py updates its own sys.modules entry
        spec.loader.exec_module(module)
        del sys.modules[spec.name]
    SUITE.mkdir(parents=True, exist_ok=True)
    lowered = {}
    for name, data in sorted(module.png.items()):
        if name.lower() in lowered:
            sys.exit(f"make_goldens: {name} and {lowered[name.lower()]} differ only in case")
        lowered[name.lower()] = name
        (SUITE / f"{name}.png").write_bytes(data)
    print(f"extracted {len(module.png)} images from pypng {version}")
    return version


# ---------------------------------------------------------------- golden decode

def scale_to_8(v: int, depth: int) -> int:
    if depth == 16:
        return (v * 255 + 32767) // 65535
    if depth == 8:
        return v
    return v * 255 // ((1 << depth) - 1)


def golden_rgba(path: Path) -> dict:
    reader = png.Reader(filename=str(path))
    width, height, rows, info = reader.read()
    rows = [list(r) for r in rows]  # raw samples at the file's bit depth
    depth = reader.bitdepth
    ctype = reader.color_type
    interlaced = int(bool(reader.interlace))
    out = bytearray()
    has_trns = reader.trns is not None

    if ctype == 3:
        plte = reader.palette(alpha="force")  # (r, g, b, a) per entry, tRNS applied, 255 past it
        for row in rows:
            if len(row) != width:
                raise ValueError("row length")
            for index in row:
                out.extend(plte[index])  # IndexError on an index past PLTE: not in PngSuite
    else:
        channels = {0: 1, 2: 3, 4: 2, 6: 4}[ctype]
        trns = tuple(reader.transparent) if (has_trns and ctype in (0, 2)) else None
        for row in rows:
            if len(row) != width * channels:
                raise ValueError("row length")
            for x in range(width):
                px = row[x * channels:(x + 1) * channels]
                if ctype == 0:
                    g = scale_to_8(px[0], depth)
                    a = 0 if trns is not None and (px[0],) == trns else 255
                    out.extend((g, g, g, a))
                elif ctype == 4:
                    g = scale_to_8(px[0], depth)
                    out.extend((g, g, g, scale_to_8(px[1], depth)))
                elif ctype == 2:
                    a = 0 if trns is not None and tuple(px) == trns else 255
                    out.extend((scale_to_8(px[0], depth), scale_to_8(px[1], depth),
                                scale_to_8(px[2], depth), a))
                else:
                    out.extend(scale_to_8(s, depth) for s in px)
    assert len(out) == width * height * 4
    return {
        "width": width,
        "height": height,
        "bit_depth": depth,
        "color_type": COLOR_TYPES[ctype],
        "interlaced": interlaced,
        "has_transparency": int(ctype in (4, 6) or has_trns),
        "rgba": bytes(out),
    }


# ---------------------------------------------------------------- invalid cases

def chunks(data: bytes) -> list[list]:
    """[type, payload, crc] for each chunk after the signature (trusted, valid input only)."""
    out, i = [], 8
    while i < len(data):
        (length,) = struct.unpack(">I", data[i:i + 4])
        out.append([data[i + 4:i + 8], data[i + 8:i + 8 + length],
                    data[i + 8 + length:i + 12 + length]])
        i += 12 + length
    return out


def assemble(parts: list[list], signature: bytes = SIGNATURE, fix_crc: bool = True) -> bytes:
    out = bytearray(signature)
    for ctype, payload, crc in parts:
        if fix_crc:
            crc = struct.pack(">I", zlib.crc32(ctype + payload))
        out += struct.pack(">I", len(payload)) + ctype + payload + crc
    return bytes(out)


def with_ihdr(base: bytes, **fields) -> bytes:
    parts = chunks(base)
    w, h, d, c, comp, filt, lace = struct.unpack(">IIBBBBB", parts[0][1])
    w = fields.get("width", w)
    h = fields.get("height", h)
    d = fields.get("depth", d)
    c = fields.get("color", c)
    parts[0][1] = struct.pack(">IIBBBBB", w, h, d, c, comp, filt, lace)
    return assemble(parts)


def flip_crc(base: bytes, ctype: bytes) -> bytes:
    parts = chunks(base)
    for p in parts:
        if p[0] == ctype:
            p[2] = bytes([p[2][0] ^ 0xFF]) + p[2][1:]
            break
    return assemble(parts, fix_crc=False)


def without(base: bytes, ctype: bytes) -> bytes:
    return assemble([p for p in chunks(base) if p[0] != ctype], fix_crc=False)


def empty_image(base: bytes) -> bytes:
    parts = chunks(base)
    w, h, d, c, comp, filt, lace = struct.unpack(">IIBBBBB", parts[0][1])
    parts[0][1] = struct.pack(">IIBBBBB", 0, 0, d, c, comp, filt, lace)
    parts = [p for p in parts if p[0] != b"IDAT"]
    parts.insert(len(parts) - 1, [b"IDAT", zlib.compress(b""), b""])
    return assemble(parts)


# name, expected_error (category of fixtures/png/malformed/cases.tsv), base image, what is wrong, build
INVALID = [
    ("xs1n0g01", "not_png", "basn0g01", "signature byte 1 has its MSB reset (0x89 -> 0x09)",
     lambda b: b[:0] + b"\x09" + b[1:]),
    ("xs2n0g01", "not_png", "basn0g01", "signature byte 2 is 'Q' instead of 'P'",
     lambda b: b[:1] + b"Q" + b[2:]),
    ("xs4n0g01", "not_png", "basn0g01", "signature byte 4 is lower case ('g' instead of 'G')",
     lambda b: b[:3] + b"g" + b[4:]),
    ("xs7n0g01", "not_png", "basn0g01", "signature byte 7 is a space instead of control-Z",
     lambda b: b[:6] + b" " + b[7:]),
    ("xcrn0g04", "not_png", "basn0g04", "added CR bytes (every LF became CR LF, as a text-mode copy does)",
     lambda b: b.replace(b"\n", b"\r\n")),
    ("xlfn0g04", "not_png", "basn0g04", "added LF bytes (every CR became CR LF)",
     lambda b: b.replace(b"\r", b"\r\n")),
    ("xhdn0g08", "bad_crc", "basn0g08", "incorrect IHDR checksum",
     lambda b: flip_crc(b, b"IHDR")),
    ("xc1n0g08", "invalid_header", "basn0g08", "colour type 1 (undefined), IHDR CRC correct",
     lambda b: with_ihdr(b, color=1)),
    ("xc9n2c08", "invalid_header", "basn2c08", "colour type 9 (undefined), IHDR CRC correct",
     lambda b: with_ihdr(b, color=9)),
    ("xd0n2c08", "invalid_header", "basn2c08", "bit depth 0, IHDR CRC correct",
     lambda b: with_ihdr(b, depth=0)),
    ("xd3n2c08", "invalid_header", "basn2c08", "bit depth 3, IHDR CRC correct",
     lambda b: with_ihdr(b, depth=3)),
    ("xd9n2c08", "invalid_header", "basn2c08", "bit depth 99, IHDR CRC correct",
     lambda b: with_ihdr(b, depth=99)),
    ("xdtn0g01", "truncated", "basn0g01", "missing IDAT chunk (IEND straight after the header chunks)",
     lambda b: without(b, b"IDAT")),
    ("xcsn0g01", "bad_crc", "basn0g01", "incorrect IDAT checksum",
     lambda b: flip_crc(b, b"IDAT")),
    ("x00n0g01", "invalid_header", "basn0g01", "empty 0x0 grey image (IHDR width 0, height 0; CRCs correct)",
     empty_image),
]


def write_invalid() -> None:
    rows = ["name\texpected_error\twhat_is_wrong\tderived_from"]
    for name, category, base, what, build in INVALID:
        data = build((SUITE / f"{base}.png").read_bytes())
        (SUITE / f"{name}.png").write_bytes(data)
        rows.append(f"{name}.png\t{category}\t{what}\t{base}.png")
    (SUITE / "invalid.tsv").write_text("\n".join(rows) + "\n")
    print(f"wrote {len(INVALID)} invalid cases")


# ---------------------------------------------------------------- Pillow cross-check

def check_with_pillow(path: Path, golden: dict) -> tuple[str, str] | None:
    """None when Pillow's RGBA equals the golden, else (verdict, detail).

    verdict is "expected" for Pillow's known differences, checked rather than assumed:
    16-bit samples truncated (v >> 8) instead of rounded; 16-bit grey (mode I;16) clamped when
    converted, so its raw 16-bit samples are compared instead; tRNS on grey below 8 bits ignored
    (Pillow scales the samples to 8 bits but not the tRNS value).
    """
    from PIL import Image

    with Image.open(path) as im:
        im.load()
        mode = im.mode
        info = dict(im.info)
        rgba = im.convert("RGBA").tobytes()
        raw16 = im.tobytes() if mode in ("I;16", "I;16B") else None
    ours = golden["rgba"]
    if rgba == ours:
        return None
    diffs = [i for i in range(len(ours)) if ours[i] != rgba[i]]
    worst = max(abs(ours[i] - rgba[i]) for i in diffs)
    where = "".join(sorted({"RGBA"[i % 4] for i in diffs}))
    detail = (f"{path.name}: Pillow mode {mode} differs in {len(diffs)} of {len(ours)} bytes "
              f"(channels {where}, max |diff| {worst})")
    depth = golden["bit_depth"]
    if raw16 is not None:
        order = "<" if mode == "I;16" else ">"
        values = struct.unpack(f"{order}{len(raw16) // 2}H", raw16)
        if bytes(scale_to_8(v, 16) for v in values) == ours[0::4]:
            return "expected", detail + "; Pillow clamps I;16 when converting, its raw samples agree"
    elif depth == 16 and worst <= 1:
        return "expected", detail + "; Pillow truncates 16-bit samples (v >> 8), this rounds v / 257"
    elif (golden["color_type"] == "gray" and depth < 8 and "transparency" in info
          and where == "A" and set(rgba[3::4]) == {255}):
        return "expected", detail + (f"; Pillow ignores tRNS {info['transparency']} on "
                                     f"{depth}-bit grey (it compares with the scaled samples)")
    return "UNEXPECTED", detail


# ---------------------------------------------------------------- main

def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sdist", type=Path, help="pypng sdist (.tar.gz) to extract the images from")
    ap.add_argument("--check-pillow", action="store_true", help="compare the goldens with Pillow")
    args = ap.parse_args()

    if args.sdist:
        extract_from_sdist(args.sdist)
    valid = sorted(p for p in SUITE.glob("*.png") if not p.name.startswith("x"))
    if not valid:
        sys.exit("make_goldens: no images; pass --sdist")

    lines = ["name\twidth\theight\tbit_depth\tcolor_type\tinterlaced\thas_transparency\tsha256_rgba"]
    notes = []
    for path in valid:
        g = golden_rgba(path)
        lines.append("\t".join(str(v) for v in (
            path.name, g["width"], g["height"], g["bit_depth"], g["color_type"], g["interlaced"],
            g["has_transparency"], hashlib.sha256(g["rgba"]).hexdigest())))
        if args.check_pillow:
            note = check_with_pillow(path, g)
            if note:
                notes.append(note)
    (SUITE / "golden.tsv").write_text("\n".join(lines) + "\n")
    print(f"wrote goldens for {len(valid)} valid images")
    write_invalid()

    if args.check_pillow:
        print(f"Pillow agrees on {len(valid) - len(notes)} of {len(valid)} images")
        for verdict, detail in notes:
            print(f"  {verdict}: {detail}")
        if any(verdict != "expected" for verdict, _ in notes):
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
