#!/usr/bin/env python3
"""Write fixtures/codecs/: small JPEG and WebP files made by Debian's reference
encoders, each with the pixels of Debian's reference decoder, for Tests/ImageFormatsTests.

Usage (from anywhere; as root it installs what is missing):
    python3 tools/make_codec_fixtures.py

Needs cjpeg/djpeg (libjpeg-turbo-progs) and cwebp/dwebp (webp); only this script needs them,
the tests read the committed files. The sources are two deterministic 61x37 pictures (odd
sides, so partial 8x8 blocks and 16x16 macroblocks are covered): `source.ppm` (RGB: smooth
gradients, hard edges, a little seeded noise) and `source-alpha.pam` (the same with an alpha
ramp and a fully transparent corner). Every coded file `NAME.jpg` / `NAME.webp` has its
reference pixels beside it as `NAME.ppm` (RGB), `NAME.pgm` (grayscale JPEG) or `NAME.pam`
(RGBA WebP): `djpeg -pnm` and `dwebp -ppm` / `-pam` with their default settings (accurate
integer IDCT and fancy upsampling). cases.tsv lists each file, the command that made it and
its format. `animated.webp` (two frames, img2webp) has no reference: the decoder refuses
animations. Re-running rewrites the same bytes (the encoders are deterministic).
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "fixtures" / "codecs"
W, H = 61, 37

# (name, cjpeg arguments): every process and option the decoder must get exactly right.
JPEG_CASES = [
    ("photo-420-q90", ["-quality", "90"]),
    ("photo-444-q75", ["-quality", "75", "-sample", "1x1"]),
    ("photo-422-progressive", ["-quality", "85", "-sample", "2x1", "-progressive"]),
    ("photo-420-restart-optimize-q50", ["-quality", "50", "-restart", "1", "-optimize"]),
    ("photo-420-arithmetic", ["-quality", "80", "-arithmetic"]),
    ("photo-440-q95", ["-quality", "95", "-sample", "1x2"]),
    ("gray-q85", ["-quality", "85", "-grayscale"]),
]

# (name, source, cwebp arguments, dwebp output flag).
WEBP_CASES = [
    ("photo-q80", "source.ppm", ["-q", "80"], "-ppm"),
    ("photo-q30-m6", "source.ppm", ["-q", "30", "-m", "6"], "-ppm"),
    ("photo-lossless", "source.ppm", ["-lossless"], "-ppm"),
    ("alpha-q80", "source-alpha.pam", ["-q", "80", "-exact"], "-pam"),
    ("alpha-lossless", "source-alpha.pam", ["-lossless", "-exact"], "-pam"),
]


def ensure_tools() -> None:
    needed = {"cjpeg": "libjpeg-turbo-progs", "djpeg": "libjpeg-turbo-progs", "cwebp": "webp", "dwebp": "webp"}
    missing = sorted({package for tool, package in needed.items() if shutil.which(tool) is None})
    if not missing:
        return
    if os.geteuid() != 0:
        sys.exit(f"make_codec_fixtures: install {' '.join(missing)} (apt-get install) first")
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing], check=True,
                   env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})


def source_pixels() -> list[tuple[int, int, int, int]]:
    rng = random.Random(20261128)
    pixels = []
    for y in range(H):
        for x in range(W):
            r = (x * 255) // (W - 1)
            g = (y * 255) // (H - 1)
            b = 255 - (x + y) * 255 // (W + H - 2)
            if 20 <= x < 40 and 10 <= y < 26:  # a hard-edged block with text-like stripes
                r, g, b = (250, 245, 230) if (x // 2) % 2 else (30, 20, 90)
            noise = rng.randint(-6, 6)
            r, g, b = (max(0, min(255, c + noise)) for c in (r, g, b))
            alpha = 0 if x < 8 and y < 8 else min(255, 64 + (x * 191) // (W - 1))
            pixels.append((r, g, b, alpha))
    return pixels


def write_sources(directory: Path) -> None:
    pixels = source_pixels()
    rgb = bytes(c for p in pixels for c in p[:3])
    (directory / "source.ppm").write_bytes(b"P6\n%d %d\n255\n" % (W, H) + rgb)
    rgba = bytes(c for p in pixels for c in p)
    header = b"P7\nWIDTH %d\nHEIGHT %d\nDEPTH 4\nMAXVAL 255\nTUPLTYPE RGB_ALPHA\nENDHDR\n" % (W, H)
    (directory / "source-alpha.pam").write_bytes(header + rgba)


def run(arguments: list[str]) -> None:
    subprocess.run(arguments, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main() -> None:
    ensure_tools()
    OUT.mkdir(parents=True, exist_ok=True)
    write_sources(OUT)
    rows = ["name\tformat\treference\tcommand"]
    for name, arguments in JPEG_CASES:
        coded = OUT / f"{name}.jpg"
        run(["cjpeg", *arguments, "-outfile", str(coded), str(OUT / "source.ppm")])
        reference = OUT / (f"{name}.pgm" if "-grayscale" in arguments else f"{name}.ppm")
        run(["djpeg", "-pnm", "-outfile", str(reference), str(coded)])
        rows.append(f"{coded.name}\tjpeg\t{reference.name}\tcjpeg {' '.join(arguments)}")
    for name, source, arguments, output in WEBP_CASES:
        coded = OUT / f"{name}.webp"
        run(["cwebp", "-quiet", *arguments, str(OUT / source), "-o", str(coded)])
        reference = OUT / f"{name}.{output.lstrip('-')}"
        run(["dwebp", "-quiet", str(coded), output, "-o", str(reference)])
        rows.append(f"{coded.name}\twebp\t{reference.name}\tcwebp {' '.join(arguments)} {source}")
    run(["img2webp", "-lossless", str(OUT / "source.ppm"), "-lossy", "-q", "50", str(OUT / "source-alpha.pam"),
         "-o", str(OUT / "animated.webp")])
    (OUT / "cases.tsv").write_text("\n".join(rows) + "\n")
    total = sum(p.stat().st_size for p in OUT.iterdir())
    print(f"make_codec_fixtures: {len(rows) - 1} cases, {total} bytes in fixtures/codecs")


if __name__ == "__main__":
    main()
