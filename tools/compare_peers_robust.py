#!/usr/bin/env python3
"""Couponmark's robust layer beside two watermarking peers, on the same pictures and the same
transformations, in one run.

Run through tools/compare-peers, which prepares the virtualenv (Pillow, numpy, PyWavelets,
OpenCV, blind-watermark, invisible-watermark) and the coupon binary:
    tools/compare-peers --robust [--coupon PATH] [--pictures N] [--peer-pictures N] [--seed S]
                                 [--json FILE]

The tools, each carrying 64 bits per picture (the same 64 bits for all three on a picture; every
picture gets its own, drawn from the seed):
  couponmark           `coupon watermark robust-embed --key K --id HEX16` and
                       `robust-detect --key K --json` (a keyed 64-bit id; exit 3 = no mark found);
                       the key is 32 bytes drawn from the seed, in robust-keygen's format, so
                       that a run repeats exactly
  blind-watermark      WaterMark(password_wm, password_img) with read_wm(bits, mode='bit'),
                       embed(), and extract(wm_shape=64, mode='bit') (keyed by the two passwords)
  invisible-watermark  WatermarkEncoder.set_watermark('bits', bits).encode(bgr, 'dwtDctSvd') and
                       WatermarkDecoder('bits', 64).decode(bgr, 'dwtDctSvd') (no key). RivaGAN is
                       not run (it needs torch and model weights); imwatermark imports torch for
                       it, so a bare stand-in module is put in its place when torch is missing.
Recovered = the exact 64 bits back: robust-detect's id equals the marked id; for a peer, all 64
extracted bits equal the embedded ones. The peers always return 64 bits (they have no "no mark"
answer), so every miss of theirs is a wrong payload; Couponmark answers "none" (exit 3) or an id.

What the peers are given: the transformed copy as it is, read with cv2.imread (as their own
examples do). blind-watermark's blocks follow the picture's size, and its README undoes a resize
or a crop with the original's shape (recover_crop, resizing back) before extracting; a user who
holds only a copy has no such shape, so it extracts with the copy's own shape. Couponmark gets
the same file (PNG, JPEG or WebP) and searches scale, crop and rotation itself.

The pictures (seeded, written to the work folder): 8 flat coupon-like artworks drawn with Pillow
(solid or two-colour backgrounds, borders, big text such as "20% OFF", shapes, bar codes; 320x160
to 1600x800, one on pure white, one thin line drawing on white 600x600) and 6 photo-like ones
(gradients, seeded multi-octave value noise, soft blurred shapes, fine grain; 640x480 to
1280x720). --pictures N takes the first N of a fixed flat/photo alternation (past 14 the kinds
repeat with new seeds); --peer-pictures N runs the peers on only the first N of them.

The transformations, applied with Pillow to each tool's marked PNG with the same fixed
parameters for every tool (lossless results are written as PNG): as marked; JPEG 75, 50, 30;
WebP 75, 50; resize 0.5x, 0.75x, 2x (bicubic); crop 10% off every side, 25% off the bottom, 25%
off the right; pasted into a white canvas with 10% margins; pasted at 80% width into a 1170x2532
phone screen (status bar, grey interface rectangles) saved as JPEG 80; rotated 1, 3 and 5
degrees (bicubic, expanded, white corners); height x0.8; width x1.2; mirrored; combined (rotate
2, height x0.9, white canvas with 10% margins, JPEG 70).

Also measured: PSNR of each marked PNG against its original (RGB, all channels), the answers
that are not the marked payload, Couponmark's answer on the unmarked originals (it should find
nothing there), and the median detect time per picture: for Couponmark the whole
`robust-detect` process (it has no in-process API to time), for the peers in-process
(cv2.imread + extract). The times are medians over every detection (all pictures and
transformations), so they mix picture sizes alike for all tools.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import datetime
import io
import json
import math
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import time
import types
import warnings
from pathlib import Path

warnings.filterwarnings("ignore")

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont, ImageOps  # noqa: E402

from peer_tools import Failure, cpu_model, run, version  # noqa: E402

DEFAULT_SEED = 20261201
FLATS, PHOTOS = 8, 6
BITS = 64
BICUBIC = Image.Resampling.BICUBIC
TOOLS = ("couponmark", "blind-watermark", "invisible-watermark")
HEADINGS = {"couponmark": "Couponmark", "blind-watermark": "blind-watermark",
            "invisible-watermark": "invisible-watermark dwtDctSvd"}


# ---------------------------------------------------------------- helpers

def font(size: int):
    try:
        return ImageFont.load_default(size=size)  # Pillow >= 10.1 with FreeType
    except TypeError:
        return ImageFont.load_default()


def bits_of(ident: int) -> list[int]:
    return [(ident >> (BITS - 1 - i)) & 1 for i in range(BITS)]


def int_of(bits) -> int:
    v = 0
    for b in bits:
        v = (v << 1) | (1 if b else 0)
    return v


def psnr(a: Path, b: Path) -> float:
    with Image.open(a) as x, Image.open(b) as y:
        diff = ImageChops.difference(x.convert("RGB"), y.convert("RGB"))
    hist = diff.histogram()
    n = diff.size[0] * diff.size[1] * 3
    sse = sum(count * ((i % 256) ** 2) for i, count in enumerate(hist))
    if sse == 0:
        return float("inf")
    return 10 * math.log10(255 ** 2 * n / sse)


# ---------------------------------------------------------------- the pictures

def palette(rng: random.Random) -> tuple:
    """A background, a contrasting ink and an accent."""
    pairs = [((200, 32, 48), (255, 255, 255)), ((20, 40, 90), (255, 205, 60)), ((255, 214, 0), (30, 30, 30)),
             ((0, 120, 90), (250, 250, 240)), ((250, 240, 225), (120, 20, 40)), ((90, 40, 140), (255, 240, 250)),
             ((240, 110, 20), (255, 255, 255)), ((225, 238, 250), (10, 60, 120))]
    bg, ink = rng.choice(pairs)
    accent = tuple(rng.randrange(256) for _ in range(3))
    return bg, ink, accent


def centred_text(d: ImageDraw.ImageDraw, box, text: str, size: int, fill) -> None:
    f = font(size)
    l, t, r, b = d.textbbox((0, 0), text, font=f)
    x0, y0, x1, y1 = box
    d.text(((x0 + x1 - (r - l)) // 2 - l, (y0 + y1 - (b - t)) // 2 - t), text, fill=fill, font=f)


def bar_code(d: ImageDraw.ImageDraw, rng: random.Random, x: int, y0: int, x_end: int, y1: int, ink) -> None:
    while x < x_end:
        bar = rng.choice((2, 3, 5))
        d.rectangle([x, y0, x + bar - 1, y1], fill=ink)
        x += bar + rng.choice((2, 3, 4))


def flat(kind: int, rng: random.Random) -> tuple[str, Image.Image]:
    """One of the 8 flat coupon-like artworks."""
    bg, ink, accent = palette(rng)
    if kind == 0:  # small solid coupon
        w, h = 320, 160
        im = Image.new("RGB", (w, h), bg)
        d = ImageDraw.Draw(im)
        d.rectangle([0, 0, w - 1, h - 1], outline=ink, width=4)
        centred_text(d, (0, 10, w, 110), "20% OFF", 56, ink)
        centred_text(d, (0, 110, w, 150), "members only", 18, ink)
        return "flat 320x160, solid", im
    if kind == 1:  # two-colour halves
        w, h = 800, 400
        im = Image.new("RGB", (w, h), bg)
        d = ImageDraw.Draw(im)
        d.rectangle([w * 3 // 5, 0, w, h], fill=accent)
        d.rectangle([6, 6, w - 7, h - 7], outline=ink, width=6)
        for _ in range(5):
            x, y, r = rng.randrange(w * 3 // 5, w), rng.randrange(h), rng.randrange(15, 50)
            d.ellipse([x - r, y - r, x + r, y + r], fill=ink)
        centred_text(d, (20, 40, w * 3 // 5, 250), "BUY 1 GET 1", 70, ink)
        centred_text(d, (20, 260, w * 3 // 5, 340), "until 2026-12-31", 28, ink)
        return "flat 800x400, two colours", im
    if kind == 2:  # big solid coupon
        w, h = 1600, 800
        im = Image.new("RGB", (w, h), bg)
        d = ImageDraw.Draw(im)
        d.rectangle([20, 20, w - 21, h - 21], outline=accent, width=24)
        for _ in range(8):  # stars as polygons
            cx, cy, r = rng.randrange(100, w - 100), rng.randrange(100, h - 100), rng.randrange(20, 60)
            d.regular_polygon((cx, cy, r), 5, rotation=rng.randrange(72), fill=accent)
        centred_text(d, (0, 100, w, 560), "50% OFF", 300, ink)
        centred_text(d, (0, 580, w, 720), "ALL SHOES THIS WEEKEND", 72, ink)
        return "flat 1600x800, solid", im
    if kind == 3:  # on pure white
        w, h = 600, 300
        im = Image.new("RGB", (w, h), (255, 255, 255))
        d = ImageDraw.Draw(im)
        d.rectangle([10, 10, w - 11, h - 11], outline=(0, 0, 0), width=2)
        centred_text(d, (0, 30, w, 190), "FREE COFFEE", 72, (0, 0, 0))
        centred_text(d, (0, 200, w, 260), "with any pastry", 28, (90, 90, 90))
        return "flat 600x300, pure white", im
    if kind == 4:  # thin line drawing on white
        w, h = 600, 600
        im = Image.new("RGB", (w, h), (255, 255, 255))
        d = ImageDraw.Draw(im)
        d.rectangle([30, 30, w - 31, h - 31], outline=(0, 0, 0), width=1)
        for _ in range(6):
            x, y, r = rng.randrange(100, 500), rng.randrange(100, 500), rng.randrange(30, 120)
            d.ellipse([x - r, y - r, x + r, y + r], outline=(0, 0, 0), width=rng.choice((1, 2)))
        for _ in range(10):
            d.line([rng.randrange(40, 560), rng.randrange(40, 560), rng.randrange(40, 560),
                    rng.randrange(40, 560)], fill=(0, 0, 0), width=1)
        d.text((50, 520), "10% OFF", fill=(0, 0, 0), font=font(36))
        return "line drawing 600x600, white", im
    if kind == 5:  # horizontal bands
        w, h = 1200, 600
        im = Image.new("RGB", (w, h), bg)
        d = ImageDraw.Draw(im)
        d.rectangle([0, 0, w, 120], fill=accent)
        d.rectangle([0, h - 120, w, h], fill=accent)
        centred_text(d, (0, 0, w, 120), "SPRING SALE", 64, ink)
        centred_text(d, (0, 130, w, 470), "$5 OFF", 220, ink)
        bar_code(d, rng, 60, h - 100, 500, h - 20, ink)
        return "flat 1200x600, bands", im
    if kind == 6:  # pastel with rounded boxes and a bar code
        w, h = 1000, 500
        im = Image.new("RGB", (w, h), tuple(200 + c // 5 for c in accent))
        d = ImageDraw.Draw(im)
        d.rounded_rectangle([30, 30, 640, 470], radius=40, fill=(255, 255, 255), outline=ink, width=5)
        d.rounded_rectangle([680, 60, 960, 440], radius=30, fill=bg)
        centred_text(d, (30, 60, 640, 300), "SAVE 30%", 110, (40, 40, 40))
        bar_code(d, rng, 80, 340, 590, 440, (40, 40, 40))
        centred_text(d, (680, 60, 960, 440), "CODE\nX7Q2", 60, ink)
        return "flat 1000x500, pastel", im
    # kind 7: diagonal two colours, a ticket with perforation
    w, h = 480, 240
    im = Image.new("RGB", (w, h), bg)
    d = ImageDraw.Draw(im)
    d.polygon([(w * 2 // 3, 0), (w, 0), (w, h), (w // 3, h)], fill=accent)
    for y in range(8, h, 16):
        d.ellipse([w - 24, y, w - 16, y + 8], fill=(255, 255, 255))
    centred_text(d, (0, 20, w - 30, 160), "2 FOR 1", 64, ink)
    centred_text(d, (0, 160, w - 30, 220), "cinema tickets", 22, ink)
    return "flat 480x240, diagonal", im


PHOTO_SIZES = ((800, 600), (1024, 768), (640, 480), (1200, 800), (800, 800), (1280, 720))


def value_noise(rng: random.Random, w: int, h: int, octaves: int = 7) -> Image.Image:
    """Seeded multi-octave value noise (L): random grids of 2, 4, 8, ... cells across,
    upscaled bicubically, each octave at half the weight of the one before (as in photographs,
    coarse structure dominates)."""
    acc = None
    for k in range(octaves):
        gw = 2 ** (k + 1) + 1
        gh = max(2, round((gw - 1) * h / w) + 1)
        layer = Image.frombytes("L", (gw, gh), rng.randbytes(gw * gh)).resize((w, h), BICUBIC)
        acc = layer if acc is None else Image.blend(acc, layer, 1 / (2 ** (k + 1) - 1))
    return ImageOps.autocontrast(acc, cutoff=1)


def photo(kind: int, rng: random.Random) -> tuple[str, Image.Image]:
    """One of the photo-like pictures: a coloured gradient, multi-octave noise (shared luminance,
    coarse colour variation), soft blurred shapes, fine grain in -3..+3."""
    w, h = PHOTO_SIZES[kind % len(PHOTO_SIZES)]
    colour = lambda: tuple(rng.randrange(256) for _ in range(3))  # noqa: E731
    grad = (Image.linear_gradient("L").resize((512, 512), BICUBIC)
            .rotate(rng.randrange(360), resample=BICUBIC).crop((128, 128, 384, 384)).resize((w, h), BICUBIC))
    base = ImageOps.colorize(grad, colour(), colour())
    dark, light = tuple(c // 3 for c in colour()), tuple(128 + c // 2 for c in colour())
    base = Image.blend(base, ImageOps.colorize(value_noise(rng, w, h), dark, light), 0.5)
    tint = Image.merge("RGB", [value_noise(rng, w, h, octaves=3) for _ in range(3)])
    base = Image.blend(base, tint, 0.2)
    shapes = base.copy()
    d = ImageDraw.Draw(shapes)
    mask = Image.new("L", (w, h), 0)
    dm = ImageDraw.Draw(mask)
    for _ in range(rng.randrange(5, 10)):
        x, y = rng.randrange(w), rng.randrange(h)
        rx, ry = rng.randrange(w // 20, w // 4), rng.randrange(h // 20, h // 4)
        d.ellipse([x - rx, y - ry, x + rx, y + ry], fill=colour())
        dm.ellipse([x - rx, y - ry, x + rx, y + ry], fill=rng.randrange(120, 230))
    base = Image.composite(shapes.filter(ImageFilter.GaussianBlur(6)), base,
                           mask.filter(ImageFilter.GaussianBlur(max(w, h) // 60)))
    table = bytes(i % 7 for i in range(256))
    grain = Image.frombytes("RGB", (w, h), rng.randbytes(w * h * 3).translate(table))
    return f"photo-like {w}x{h}", ImageChops.add(base, grain, scale=1.0, offset=-3)


def make_pictures(seed: int, count: int, folder: Path) -> list[dict]:
    """The first `count` pictures of the alternation flat, photo, flat, photo, ... (8 flat and 6
    photo-like per 14), each with its own seeded generator and 64-bit id."""
    order = []
    for i in range(max(FLATS, PHOTOS)):
        if i < FLATS:
            order.append(("flat", i))
        if i < PHOTOS:
            order.append(("photo", i))
    folder.mkdir(parents=True, exist_ok=True)
    pictures = []
    for n in range(count):
        kind, k = order[n % len(order)]
        rng = random.Random(f"{seed}:{n}")
        label, im = (flat if kind == "flat" else photo)(k, rng)
        path = folder / f"{n:02d}-{label.replace(' ', '-').replace(',', '')}.png"
        im.save(path, format="PNG")
        pictures.append({"index": n, "label": label, "kind": kind, "path": path, "size": im.size,
                         "id": random.Random(f"{seed}:id:{n}").getrandbits(BITS)})
    return pictures


# ---------------------------------------------------------------- the transformations

def resize(im, fx, fy=None):
    fy = fx if fy is None else fy
    return im.resize((max(1, round(im.width * fx)), max(1, round(im.height * fy))), BICUBIC)


def crop(im, left=0.0, top=0.0, right=0.0, bottom=0.0):
    w, h = im.size
    return im.crop((round(w * left), round(h * top), w - round(w * right), h - round(h * bottom)))


def canvas(im, margin=0.10):
    mx, my = round(im.width * margin), round(im.height * margin)
    out = Image.new("RGB", (im.width + 2 * mx, im.height + 2 * my), (255, 255, 255))
    out.paste(im, (mx, my))
    return out


def rotate(im, degrees):
    return im.rotate(degrees, resample=BICUBIC, expand=True, fillcolor=(255, 255, 255))


def phone(im):
    """The picture at 80% of a 1170x2532 phone screen's width, among a status bar, a navigation
    bar, grey cards and a tab bar."""
    W, H = 1170, 2532
    screen = Image.new("RGB", (W, H), (242, 242, 247))
    d = ImageDraw.Draw(screen)
    d.rectangle([0, 0, W, 140], fill=(255, 255, 255))
    d.text((70, 45), "9:41", fill=(0, 0, 0), font=font(48))
    for i in range(4):
        d.rectangle([W - 330 + i * 22, 95 - 12 * (i + 1), W - 316 + i * 22, 95], fill=(0, 0, 0))
    d.rounded_rectangle([W - 170, 55, W - 70, 100], radius=12, outline=(0, 0, 0), width=4)
    d.rectangle([W - 162, 63, W - 100, 92], fill=(0, 0, 0))
    d.rectangle([0, 140, W, 300], fill=(249, 249, 249))
    d.text((60, 190), "Wallet", fill=(0, 0, 0), font=font(64))
    tw = round(W * 0.8)
    th = round(im.height * tw / im.width)
    top = 360
    screen.paste(im.resize((tw, th), BICUBIC), ((W - tw) // 2, top))
    y = top + th + 60
    while y + 180 < H - 280:
        d.rounded_rectangle([60, y, W - 60, y + 180], radius=28, fill=(229, 229, 234))
        d.rounded_rectangle([100, y + 40, 520, y + 80], radius=10, fill=(200, 200, 206))
        y += 220
    d.rectangle([0, H - 250, W, H], fill=(249, 249, 249))
    for i in range(4):
        cx = W * (2 * i + 1) // 8
        d.ellipse([cx - 35, H - 200, cx + 35, H - 130], fill=(174, 174, 178))
    return screen


def combined(im):
    return canvas(resize(rotate(im, 2), 1.0, 0.9))


# (family, name, function, (format, quality)); the function takes and returns an RGB picture.
PNG = ("PNG", None)
TRANSFORMS = (
    ("none", "as marked", lambda im: im, PNG),
    ("JPEG", "JPEG 75", lambda im: im, ("JPEG", 75)),
    ("JPEG", "JPEG 50", lambda im: im, ("JPEG", 50)),
    ("JPEG", "JPEG 30", lambda im: im, ("JPEG", 30)),
    ("WebP", "WebP 75", lambda im: im, ("WEBP", 75)),
    ("WebP", "WebP 50", lambda im: im, ("WEBP", 50)),
    ("resize", "resize 0.5x", lambda im: resize(im, 0.5), PNG),
    ("resize", "resize 0.75x", lambda im: resize(im, 0.75), PNG),
    ("resize", "resize 2x", lambda im: resize(im, 2.0), PNG),
    ("crop", "crop 10% off every side", lambda im: crop(im, 0.1, 0.1, 0.1, 0.1), PNG),
    ("crop", "crop 25% off the bottom", lambda im: crop(im, bottom=0.25), PNG),
    ("crop", "crop 25% off the right", lambda im: crop(im, right=0.25), PNG),
    ("paste", "white canvas, 10% margins", canvas, PNG),
    ("paste", "phone screen 1170x2532 at 80% width, JPEG 80", phone, ("JPEG", 80)),
    ("rotate", "rotate 1°", lambda im: rotate(im, 1), PNG),
    ("rotate", "rotate 3°", lambda im: rotate(im, 3), PNG),
    ("rotate", "rotate 5°", lambda im: rotate(im, 5), PNG),
    ("stretch", "height x0.8", lambda im: resize(im, 1.0, 0.8), PNG),
    ("stretch", "width x1.2", lambda im: resize(im, 1.2, 1.0), PNG),
    ("mirror", "mirrored", ImageOps.mirror, PNG),
    ("combined", "rotate 2°, height x0.9, canvas, JPEG 70", combined, ("JPEG", 70)),
)


def transform(marked: Path, out_stem: Path, fn, fmt) -> Path:
    with Image.open(marked) as im:
        pic = fn(im.convert("RGB"))
    kind, quality = fmt
    if kind == "PNG":
        out = out_stem.with_suffix(".png")
        pic.save(out, format="PNG", compress_level=1)
    else:
        out = out_stem.with_suffix(".jpg" if kind == "JPEG" else ".webp")
        pic.save(out, format=kind, quality=quality)
    return out


# ---------------------------------------------------------------- the three tools
#
# embed(src, out, ident) writes a marked PNG or raises Refused; detect(path) returns
# (answer: int or None, ms), None meaning "no mark found / could not read".

class Refused(Exception):
    pass


class Couponmark:
    name = "couponmark"
    timing = "whole process"

    def __init__(self, coupon: str, work: Path, seed: int):
        # The key comes from the seed (32 bytes, base64: the format robust-keygen writes), so a
        # run repeats exactly; a fresh key per run would make the counts move between runs.
        self.coupon = coupon
        self.key = work / "robust.key"
        self.key.write_text(base64.b64encode(random.Random(f"{seed}:couponmark-key").randbytes(32)).decode() + "\n")
        self.key.chmod(0o600)
        self.missing = None
        self.version = ""
        self.errors: list[str] = []

    def embed(self, src: Path, out: Path, ident: int) -> None:
        run([self.coupon, "watermark", "robust-embed", "--key", self.key, "--id", f"{ident:016x}", src, out])

    def detect(self, path: Path) -> tuple[int | None, float]:
        start = time.perf_counter()
        done = subprocess.run([self.coupon, "watermark", "robust-detect", "--key", str(self.key), "--json",
                               str(path)], capture_output=True, text=True)
        ms = (time.perf_counter() - start) * 1000.0
        if done.returncode == 0:
            return int(json.loads(done.stdout)["id"], 16), ms
        if done.returncode != 3:
            self.errors.append(f"{path.name}: exit {done.returncode}: {done.stderr.strip()[-200:]}")
        return None, ms


def private_copy(coupon: str, work: Path) -> tuple[Path, str]:
    """The binary copied into the work folder, so that a rebuild during the run (the linker
    rewriting it: "Text file busy") neither stops nor changes the measurement. Returns the copy
    and when the original was built."""
    src = Path(shutil.which(coupon) or coupon)
    dst = work / "coupon"
    for attempt in range(6):
        try:
            built = datetime.datetime.fromtimestamp(src.stat().st_mtime, datetime.timezone.utc)
            shutil.copy2(src, dst)
            run([dst, "--help"])
            return dst, f"built {built:%Y-%m-%d %H:%M} UTC"
        except (OSError, Failure) as e:
            if attempt == 5:
                raise Failure(f"could not copy a working {src}: {e}") from None
            time.sleep(5)  # being rebuilt: wait for the linker
    raise AssertionError


def import_cv2():
    import cv2  # noqa: F401
    import numpy  # noqa: F401
    return cv2, numpy


class BlindWatermark:
    name = "blind-watermark"
    timing = "in-process"

    def __init__(self, seed: int):
        self.version = version("blind-watermark")
        self.missing = None
        try:
            self.cv2, self.np = import_cv2()
            with contextlib.redirect_stdout(io.StringIO()):
                import blind_watermark
                blind_watermark.bw_notes.close()  # its banner, printed once otherwise
            self.WaterMark = blind_watermark.WaterMark
        except Exception as e:  # noqa: BLE001  missing or broken: reported, not fatal
            self.missing = f"{type(e).__name__}: {e}"
        # Its key: two integer passwords (numpy RandomState seeds).
        rng = random.Random(f"{seed}:blind-watermark")
        self.password_wm, self.password_img = rng.randrange(1, 2 ** 31), rng.randrange(1, 2 ** 31)
        self.errors: list[str] = []

    def embed(self, src: Path, out: Path, ident: int) -> None:
        bwm = self.WaterMark(password_wm=self.password_wm, password_img=self.password_img)
        bwm.read_img(filename=str(src))
        bwm.read_wm([bool(b) for b in bits_of(ident)], mode="bit")
        img = bwm.embed()  # float, clipped to 0..255; its embed(filename=) saves it with cv2.imwrite
        self.cv2.imwrite(str(out), self.np.rint(img).astype(self.np.uint8))

    def detect(self, path: Path) -> tuple[int | None, float]:
        start = time.perf_counter()
        try:
            bwm = self.WaterMark(password_wm=self.password_wm, password_img=self.password_img)
            got = bwm.extract(filename=str(path), wm_shape=BITS, mode="bit")
            answer = int_of(got)
        except Exception as e:  # noqa: BLE001  e.g. a copy too small for 64 blocks
            self.errors.append(f"{path.name}: {type(e).__name__}: {e}")
            answer = None
        return answer, (time.perf_counter() - start) * 1000.0


class InvisibleWatermark:
    name = "invisible-watermark"
    timing = "in-process"

    def __init__(self):
        self.version = version("invisible-watermark")
        self.missing = None
        try:
            self.cv2, self.np = import_cv2()
            try:
                import imwatermark
            except ModuleNotFoundError as e:
                if e.name != "torch":
                    raise
                # imwatermark imports torch at the top of its RivaGAN module, which is not run.
                sys.modules["torch"] = types.ModuleType("torch")
                import imwatermark
            self.Encoder, self.Decoder = imwatermark.WatermarkEncoder, imwatermark.WatermarkDecoder
        except Exception as e:  # noqa: BLE001
            self.missing = f"{type(e).__name__}: {e}"
        self.errors: list[str] = []

    def embed(self, src: Path, out: Path, ident: int) -> None:
        bgr = self.cv2.imread(str(src), self.cv2.IMREAD_COLOR)
        enc = self.Encoder()
        enc.set_watermark("bits", bits_of(ident))
        try:
            marked = enc.encode(bgr, "dwtDctSvd")
        except RuntimeError as e:  # "image too small, should be larger than 256x256"
            raise Refused(str(e)) from None
        self.cv2.imwrite(str(out), marked)

    def detect(self, path: Path) -> tuple[int | None, float]:
        start = time.perf_counter()
        try:
            bgr = self.cv2.imread(str(path), self.cv2.IMREAD_COLOR)
            got = self.Decoder("bits", BITS).decode(bgr, "dwtDctSvd")
            answer = int_of(got)
        except Exception as e:  # noqa: BLE001  e.g. a copy under 256x256 pixels' area
            self.errors.append(f"{path.name}: {type(e).__name__}: {e}")
            answer = None
        return answer, (time.perf_counter() - start) * 1000.0


# ---------------------------------------------------------------- main

def main() -> int:
    t0 = time.perf_counter()
    ap = argparse.ArgumentParser(description="Couponmark's robust layer beside blind-watermark and "
                                             "invisible-watermark (dwtDctSvd).")
    ap.add_argument("--coupon", default=os.environ.get("COUPON", ".build/release/coupon"))
    ap.add_argument("--coupon-note", default="", help="what the header says about couponmark")
    ap.add_argument("--work", type=Path,
                    default=Path(__file__).resolve().parent / ".work" / "compare-peers-robust")
    ap.add_argument("--pictures", type=int, default=FLATS + PHOTOS,
                    help=f"pictures (default {FLATS + PHOTOS}: {FLATS} flat, {PHOTOS} photo-like)")
    ap.add_argument("--peer-pictures", type=int, default=None,
                    help="run the peers on only the first N pictures (default: all)")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"seed of pictures, ids and keys (default {DEFAULT_SEED})")
    ap.add_argument("--json", type=Path, default=None, help="also write every number to this file")
    args = ap.parse_args()
    if args.pictures < 1:
        ap.error("--pictures must be at least 1")
    peer_n = args.pictures if args.peer_pictures is None else min(args.peer_pictures, args.pictures)
    if peer_n < 0:
        ap.error("--peer-pictures must not be negative")

    work = args.work
    shutil.rmtree(work, ignore_errors=True)
    (work / "marked").mkdir(parents=True)
    (work / "copies").mkdir()
    load_before = os.getloadavg()[0]
    started = datetime.datetime.now(datetime.timezone.utc)

    coupon, built = private_copy(args.coupon, work)
    pictures = make_pictures(args.seed, args.pictures, work / "pictures")
    tools = {"couponmark": Couponmark(str(coupon), work, args.seed), "blind-watermark": BlindWatermark(args.seed),
             "invisible-watermark": InvisibleWatermark()}
    count = {t: (args.pictures if t == "couponmark" else peer_n) for t in TOOLS}

    # Per tool: marked paths, PSNRs, refusals; per (transform, tool): recovered, wrong, times.
    marked: dict = {t: {} for t in TOOLS}
    psnrs: dict = {t: [] for t in TOOLS}
    refused: dict = {t: [] for t in TOOLS}
    embed_ms: dict = {t: [] for t in TOOLS}
    recovered = {(name, t): 0 for _, name, _, _ in TRANSFORMS for t in TOOLS}
    wrong = {t: 0 for t in TOOLS}
    reads = {t: 0 for t in TOOLS}
    detect_ms: dict = {t: [] for t in TOOLS}
    results = []
    false_marks = 0

    for pic in pictures:
        for t in TOOLS:
            tool = tools[t]
            if tool.missing or pic["index"] >= count[t]:
                continue
            out = work / "marked" / f"{pic['path'].stem}.{t}.png"
            start = time.perf_counter()
            try:
                tool.embed(pic["path"], out, pic["id"])
            except Refused as e:
                refused[t].append(f"{pic['label']}: {e}")
                continue
            embed_ms[t].append((time.perf_counter() - start) * 1000.0)
            marked[t][pic["index"]] = out
            psnrs[t].append(psnr(pic["path"], out))
        answer, _ = tools["couponmark"].detect(pic["path"])
        false_marks += answer is not None

        for family, name, fn, fmt in TRANSFORMS:
            for t in TOOLS:
                src = marked[t].get(pic["index"])
                if src is None:
                    continue
                copy = transform(src, work / "copies" / f"{pic['path'].stem}.{t}", fn, fmt)
                answer, ms = tools[t].detect(copy)
                copy.unlink(missing_ok=True)
                ok = answer == pic["id"]
                recovered[(name, t)] += ok
                reads[t] += 1
                wrong[t] += answer is not None and not ok
                detect_ms[t].append(ms)
                results.append({"picture": pic["index"], "transform": name, "family": family, "tool": t,
                                "recovered": ok, "answer": None if answer is None else f"{answer:016x}",
                                "bit_errors": None if answer is None else bin(answer ^ pic["id"]).count("1"),
                                "ms": round(ms, 2)})

    # ---- output
    def header_tool(t: str) -> str:
        tool = tools[t]
        return f"{t} not installed" if tool.missing else f"{t} {tool.version}"
    try:
        import cv2
        libs = f"OpenCV {cv2.__version__}, numpy {version('numpy')}, PyWavelets {version('PyWavelets')}, "
    except Exception:  # noqa: BLE001
        libs = ""
    note = f" {args.coupon_note or args.coupon}, {built}"
    header = (f"compare-peers --robust: {started:%Y-%m-%d %H:%M} UTC; nproc {len(os.sched_getaffinity(0))}, "
              f"{cpu_model()}; couponmark{note}; {header_tool('blind-watermark')}, "
              f"{header_tool('invisible-watermark')}; {libs}Pillow {Image.__version__}, "
              f"Python {platform.python_version()}; seed {args.seed}")
    print(header)
    print()

    def cell(t: str, fill) -> str:
        return "not installed" if tools[t].missing else fill(t)

    print("| family | transformation | " + " | ".join(HEADINGS[t] for t in TOOLS) + " |")
    print("|---|---|" + "--:|" * len(TOOLS))
    for family, name, _, _ in TRANSFORMS:
        print(f"| {family} | {name} | " + " | ".join(cell(t, lambda t: f"{recovered[(name, t)]}/{count[t]}")
                                                  for t in TOOLS) + " |")
    totals = {t: sum(recovered[(name, t)] for _, name, _, _ in TRANSFORMS) for t in TOOLS}
    print(f"| all | all {len(TRANSFORMS)} transformations | "
          + " | ".join(cell(t, lambda t: f"{totals[t]}/{count[t] * len(TRANSFORMS)}") for t in TOOLS) + " |")

    def fmt_psnr(t: str) -> str:
        v = psnrs[t]
        return "n/a" if not v else f"{statistics.mean(v):.1f} ({min(v):.1f})"
    print("| quality | PSNR of the marked PNG, dB: mean (lowest) | " + " | ".join(cell(t, fmt_psnr) for t in TOOLS) + " |")
    print("| errors | wrong id: an answer that is not the marked payload | "
          + " | ".join(cell(t, lambda t: f"{wrong[t]}/{reads[t]}") for t in TOOLS) + " |")
    print(f"| errors | unmarked original read as marked | {false_marks}/{args.pictures} | "
          + " | ".join(cell(t, lambda t: "n/a (always answers)") for t in TOOLS[1:]) + " |")

    def fmt_ms(t: str) -> str:
        v = detect_ms[t]
        return "n/a" if not v else f"{statistics.median(v):.0f} ({tools[t].timing})"
    print("| time | median detect ms per picture | " + " | ".join(cell(t, fmt_ms) for t in TOOLS) + " |")
    print()

    notes = []
    for t in TOOLS:
        tool = tools[t]
        if tool.missing:
            notes.append(f"{t}: not installed ({tool.missing})")
            continue
        n_marked = len(marked[t])
        if n_marked < count[t]:
            notes.append(f"{t}: marked {n_marked} of {count[t]} pictures; refused: {'; '.join(refused[t])} "
                         f"(a refused picture counts as not recovered)")
        if tool.errors:
            notes.append(f"{t}: {len(tool.errors)} reads failed with an error (counted as no answer), "
                         f"e.g. {tool.errors[0]}")
    if peer_n < args.pictures:
        notes.append(f"the peers ran on the first {peer_n} of the {args.pictures} pictures only")
    notes.append("the peers always return 64 bits (no 'no mark' answer): each of their misses is a wrong id; "
                 "they extract from the copy as it is, with the copy's own size (no original to restore it)")
    for n in notes:
        print(f"notes: {n}")
    total_s = time.perf_counter() - t0
    print(f"compare-peers --robust: total {total_s:.0f} s; 1-minute load average {load_before:.2f} at the "
          f"start, {os.getloadavg()[0]:.2f} at the end (above ~0.5, others share the cores)")

    if args.json:
        doc = {
            "header": header, "seed": args.seed, "total_s": round(total_s, 1),
            "pictures": [{"index": p["index"], "label": p["label"], "file": str(p["path"]), "size": list(p["size"]),
                          "id": f"{p['id']:016x}"} for p in pictures],
            "transforms": [{"family": f, "name": n} for f, n, _, _ in TRANSFORMS],
            "tools": {t: {"version": tools[t].version, "missing": tools[t].missing, "pictures": count[t],
                          "marked": len(marked[t]), "refused": refused[t],
                          "recovered": {n: recovered[(n, t)] for _, n, _, _ in TRANSFORMS},
                          "recovered_total": totals[t], "reads": reads[t], "wrong": wrong[t],
                          "psnr": [round(v, 2) for v in psnrs[t]],
                          "psnr_mean": round(statistics.mean(psnrs[t]), 2) if psnrs[t] else None,
                          "psnr_min": round(min(psnrs[t]), 2) if psnrs[t] else None,
                          "embed_ms_median": round(statistics.median(embed_ms[t]), 1) if embed_ms[t] else None,
                          "detect_ms_median": round(statistics.median(detect_ms[t]), 1) if detect_ms[t] else None,
                          "detect_timing": tools[t].timing, "errors": tools[t].errors}
                      for t in TOOLS},
            "unmarked_read_as_marked": false_marks,
            "results": results,
            "notes": notes,
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(doc, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Failure as e:
        print(f"compare-peers: {e}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
