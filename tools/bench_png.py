#!/usr/bin/env python3
"""PNG decode/encode medians: Couponmark's codec next to Pillow, on the same files, in one run.

Run through tools/bench-png, which prepares the virtualenv and the coupon binary:
    tools/bench-png [--runs N]
or directly, with Pillow installed:
    python tools/bench_png.py --coupon .build/release/coupon [--runs N] [--work tools/.work]

Two deterministic images are written into the work folder (Pillow, default level 6):
  bench-coupon-800x400.png     flat coupon-like RGB: a few flat colours, rectangles, a border, text
  bench-photo-2048x2048.png    photo-like RGB: smooth gradients plus per-pixel noise of 7 levels
For each one it times, as medians of N runs:
  decode    Pillow: Image.open(BytesIO(data)).load()
  encode 6  Pillow: save(format="PNG", compress_level=6)   (Pillow's default level)
  encode 1  Pillow: save(format="PNG", compress_level=1)
and Couponmark's `coupon png bench FILE --level L --runs N --json` (L = 6 and 1; decode is taken
from the level-6 call). Then prints a markdown table; ratio = pillow ms / couponmark ms, so a
ratio above 1 means Couponmark is faster.

Exit status: 0 when every cell was measured, 2 when the Couponmark side failed (its columns
show n/a and one line on stderr says why), 1 for other errors.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont, features

SEED = 20240601
LEVELS = (6, 1)
DEFAULT_RUNS = 15
MIN_RUNS = 5
BUDGET_SECONDS = 20.0  # Pillow's share for one image; past it N shrinks (never below MIN_RUNS)


# ---------------------------------------------------------------- test images

def _font(size: int):
    try:
        return ImageFont.load_default(size=size)  # Pillow >= 10.1 with FreeType
    except TypeError:
        return ImageFont.load_default()


def coupon_image() -> Image.Image:
    """800x400 flat coupon-like RGB: border, bands, boxes, a bar code, perforation, text."""
    rng = random.Random(SEED)
    w, h = 800, 400
    cream, ink, brand, accent, grey = (250, 246, 235), (33, 33, 48), (200, 32, 64), (255, 196, 0), (120, 120, 130)
    im = Image.new("RGB", (w, h), cream)
    d = ImageDraw.Draw(im)
    d.rectangle([0, 0, w - 1, h - 1], outline=brand, width=8)              # border
    d.rectangle([8, 8, w - 9, 88], fill=brand)                               # header band
    d.rectangle([560, 110, 770, 300], fill=accent, outline=ink, width=3)    # value box
    d.rectangle([30, 110, 530, 150], fill=(235, 230, 215))                   # title strip
    for y in range(170, 300, 26):                                            # terms lines
        d.rectangle([30, y, 30 + rng.randrange(300, 500), y + 8], fill=(220, 214, 198))
    x = 30
    while x < 400:                                                           # bar code
        bar = rng.choice((2, 3, 5))
        d.rectangle([x, 320, x + bar - 1, 380], fill=ink)
        x += bar + rng.choice((2, 3, 4))
    for x in range(440, 770, 14):                                            # perforation
        d.rectangle([x, 340, x + 7, 343], fill=grey)
    d.text((30, 28), "COUPONMARK  SPRING SALE", fill=cream, font=_font(36))
    d.text((40, 118), "Any product in the store, one use per member", fill=ink, font=_font(20))
    d.text((585, 150), "-25%", fill=ink, font=_font(72))
    d.text((585, 250), "until 2026-06-30", fill=ink, font=_font(18))
    d.text((440, 355), "serial 00042-7F3A-C9", fill=grey, font=_font(16))
    return im


def photo_image() -> Image.Image:
    """2048x2048 photo-like RGB: blurred blobs and gradients, plus per-pixel noise in -3..+3."""
    rng = random.Random(SEED)
    n = 2048
    small = Image.new("RGB", (256, 256), (90, 110, 140))
    d = ImageDraw.Draw(small)
    for _ in range(24):
        x, y, r = rng.randrange(256), rng.randrange(256), rng.randrange(20, 90)
        d.ellipse([x - r, y - r, x + r, y + r],
                  fill=(rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    blobs = small.filter(ImageFilter.GaussianBlur(18)).resize((n, n), Image.Resampling.BICUBIC)
    linear = Image.linear_gradient("L")
    gradient = Image.merge("RGB", (linear, linear.rotate(90), Image.radial_gradient("L")))
    base = Image.blend(blobs, gradient.resize((n, n), Image.Resampling.BICUBIC), 0.35)
    table = bytes(i % 7 for i in range(256))
    noise = Image.frombytes("RGB", (n, n), rng.randbytes(n * n * 3).translate(table))
    return ImageChops.add(base, noise, scale=1.0, offset=-3)


IMAGES = (
    ("coupon 800x400", "bench-coupon-800x400.png", coupon_image),
    ("photo 2048x2048", "bench-photo-2048x2048.png", photo_image),
)


# ---------------------------------------------------------------- timing

def median_ms(fn, runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000.0)
    return statistics.median(samples)


def pillow_decode(data: bytes) -> Image.Image:
    im = Image.open(io.BytesIO(data))
    im.load()
    return im


def pillow_encode(im: Image.Image, level: int) -> bytes:
    buf = io.BytesIO()
    im.save(buf, format="PNG", compress_level=level)
    return buf.getvalue()


def choose_runs(data: bytes, im: Image.Image, requested: int | None) -> int:
    if requested:
        return requested
    start = time.perf_counter()  # one warm-up of everything timed, which also sets N
    pillow_decode(data)
    for level in LEVELS:
        pillow_encode(im, level)
    per_run = time.perf_counter() - start
    runs = DEFAULT_RUNS
    if per_run * runs > BUDGET_SECONDS:
        runs = max(MIN_RUNS, int(BUDGET_SECONDS / per_run))
    return runs | 1  # odd, so the median is one sample


def couponmark(coupon: str, path: Path, level: int, runs: int) -> dict:
    cmd = [coupon, "png", "bench", str(path), "--level", str(level), "--runs", str(runs), "--json"]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=1800)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise RuntimeError(f"{' '.join(cmd)}: {e}") from None
    if done.returncode != 0:
        why = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise RuntimeError(f"{' '.join(cmd)} exited {done.returncode}: {why}")
    try:
        report = json.loads(done.stdout.strip().splitlines()[-1])
        for key in ("width", "height", "decode_ms", "encode_ms", "encoded_bytes"):
            report[key]
    except (ValueError, IndexError, KeyError, TypeError):
        raise RuntimeError(f"{' '.join(cmd)} printed no JSON report with decode_ms, encode_ms, "
                           f"encoded_bytes: {done.stdout.strip()[:200]!r}") from None
    return report


# ---------------------------------------------------------------- output

def machine_line(coupon_note: str) -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    zlib = (f"zlib-ng {features.version_feature('zlib_ng')}" if features.check_feature("zlib_ng")
            else f"zlib {features.version_codec('zlib')}")
    return (f"bench-png: nproc {len(os.sched_getaffinity(0))}, {cpu}; "
            f"Pillow {Image.__version__} with {zlib}; couponmark: {coupon_note}")


def fmt_ms(v: float | None) -> str:
    return "n/a" if v is None else (f"{v:.2f}" if v < 100 else f"{v:.1f}")


def fmt_ratio(pillow: float, ours: float | None) -> str:
    return "n/a" if not ours else f"{pillow / ours:.2f}"


def main() -> int:
    ap = argparse.ArgumentParser(description="Couponmark PNG codec vs Pillow, side by side.")
    ap.add_argument("--coupon", default=os.environ.get("COUPON", ".build/release/coupon"),
                    help="the coupon executable (default $COUPON or .build/release/coupon)")
    ap.add_argument("--coupon-note", default="libpng", help="what the header says about couponmark")
    ap.add_argument("--runs", type=int, help=f"runs per measurement (default {DEFAULT_RUNS}, "
                    f"fewer when one image would take Pillow over {BUDGET_SECONDS:.0f} s)")
    ap.add_argument("--work", type=Path, default=Path(__file__).resolve().parent / ".work",
                    help="where the test images go (default tools/.work)")
    args = ap.parse_args()
    if args.runs is not None and args.runs < 1:
        ap.error("--runs must be at least 1")

    args.work.mkdir(parents=True, exist_ok=True)
    rows, failure = [], None
    for label, filename, make in IMAGES:
        path = args.work / filename
        make().save(path, format="PNG")  # Pillow's defaults: level 6, adaptive filtering
        data = path.read_bytes()
        im = pillow_decode(data)
        runs = choose_runs(data, im, args.runs)

        p_decode = median_ms(lambda: pillow_decode(data), runs)
        p_encode = {}
        for level in LEVELS:
            size = len(pillow_encode(im, level))
            p_encode[level] = (median_ms(lambda: pillow_encode(im, level), runs), size)

        ours = {}
        if failure is None:
            try:
                for level in LEVELS:
                    ours[level] = couponmark(args.coupon, path, level, runs)
                    if (ours[level]["width"], ours[level]["height"]) != im.size:
                        raise RuntimeError(f"{filename}: couponmark says {ours[level]['width']}x"
                                           f"{ours[level]['height']}, Pillow {im.size[0]}x{im.size[1]}")
            except RuntimeError as e:
                failure, ours = str(e), {}

        def mine(level, key):
            return ours[level][key] if level in ours else None

        rows.append((label, "decode", runs, mine(6, "decode_ms"), p_decode, None, None))
        for level in LEVELS:
            rows.append((label, f"encode level {level}", runs, mine(level, "encode_ms"),
                         p_encode[level][0], mine(level, "encoded_bytes"), p_encode[level][1]))

    print(machine_line(args.coupon_note))
    print()
    print("| image | operation | runs | couponmark ms | pillow ms | ratio (pillow/couponmark) "
          "| couponmark bytes | pillow bytes |")
    print("|---|---|--:|--:|--:|--:|--:|--:|")
    for label, op, runs, ours_ms, pil_ms, ours_b, pil_b in rows:
        sizes = ("", "") if op == "decode" else (
            "n/a" if ours_b is None else str(ours_b), str(pil_b))
        print(f"| {label} | {op} | {runs} | {fmt_ms(ours_ms)} | {fmt_ms(pil_ms)} "
              f"| {fmt_ratio(pil_ms, ours_ms)} | {sizes[0]} | {sizes[1]} |")
    if failure:
        print(f"bench-png: couponmark side failed: {failure}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
