#!/usr/bin/env python3
"""Write the pictures under fixtures/readme (the README's) and fixtures/art (artwork samples)
with the real binaries, as a user makes them.

fixtures/readme: the walkthrough of README.md. A demo server (`coupon-server seed-demo`,
then `serve` on a free loopback port) in a temporary folder; a member joins, gets the
espresso coupon (minted.png), reveals it (revealed.png), paints "90% OFF" over its discount
panel (painted.png) and reveals that (tampered-revealed.png: the edit is outlined).

fixtures/readme/robust-*: the robust layer on an unmarked coupon (see robust_pictures).

fixtures/readme/copy-*: copies of the demo's espresso coupon as pictures travel (a JPEG 75,
a 2x screenshot saved as JPEG 80), which a member identifies, reveals and orders with; the
transcript is printed for the README (see copies_pictures).

fixtures/readme/personal-*: a personal coupon, minted and uploaded by a merchant with the
real commands, fetched by two members (personal-ada.png, personal-grace.png), what differs
between their copies (personal-difference.png, x16 around grey), and a JPEG of one copy
traced back to its member; the transcript is printed (see personal_pictures).

fixtures/art: a coupon minted with `coupon mint` from a fixed terms row (sample-coupon.png),
revealed (sample-revealed.png), with two 64x64 blocks painted over and revealed
(sample-tampered.png), and minted on a merchant's own background picture (sample-art.png).

Ids, keys and serials are random on each run, so the bytes differ between runs; the pictures
look the same. Only the loopback address is used.

Usage: tools/make-pictures (builds the binaries and Pillow's venv, then runs this), or
    tools/.venv/bin/python tools/make_pictures.py --coupon PATH --coupon-server PATH
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
README_DIR = ROOT / "fixtures" / "readme"
ART_DIR = ROOT / "fixtures" / "art"
# The artwork's own font (CouponArt's FontLocation: COUPONMARK_FONT_DIR, else Debian's DejaVu).
FONT = Path(os.environ.get("COUPONMARK_FONT_DIR", "/usr/share/fonts/truetype/dejavu")) / "DejaVuSans-Bold.ttf"
# The discount panel of an 800x400 coupon (CouponArtwork's layout), inside its 4 px frame.
PANEL = (50, 210, 542, 324)


def run(args, env=None, ok=(0,)):
    result = subprocess.run(args, env=env, capture_output=True, text=True)
    if result.returncode not in ok:
        sys.exit(f"make_pictures: {' '.join(map(str, args))} exited {result.returncode}:\n{result.stderr}")
    return result


def paint(source, target, boxes, text=None):
    """Paints `boxes` (x0, y0, x1, y1) with the colour inside the discount panel, and `text`."""
    image = Image.open(source).convert("RGB")
    draw = ImageDraw.Draw(image)
    fill = image.getpixel((PANEL[0] + 12, PANEL[1] + 12))
    for box in boxes:
        draw.rectangle(box, fill=fill)
    if text:
        font = ImageFont.truetype(str(FONT), 64)
        centre = ((PANEL[0] + PANEL[2]) // 2, (PANEL[1] + PANEL[3]) // 2)
        draw.text(centre, text, font=font, fill=(204, 34, 34), anchor="mm")
    image.save(target)


class Server:
    """`coupon-server serve --port 0` until stopped; `url` once it listens."""

    def __init__(self, binary, data):
        self.process = subprocess.Popen(
            [binary, "serve", "--port", "0", "--data", data],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        deadline = time.monotonic() + 30
        seen = ""
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:
                break
            seen += line
            match = re.search(r"127\.0\.0\.1:(\d+)", line)
            if match:
                self.url = f"http://127.0.0.1:{match.group(1)}"
                # Keep draining the log so the server never blocks on a full pipe.
                threading.Thread(target=self.process.stdout.read, daemon=True).start()
                return
        self.stop()
        sys.exit(f"make_pictures: coupon-server did not start:\n{seen}")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


def readme_pictures(coupon, server_binary, work):
    data = str(work / "data")
    run([server_binary, "seed-demo", "--data", data])
    server = Server(server_binary, data)
    try:
        env = dict(os.environ, COUPON_HOME=str(work / "member"))

        def client(*args, ok=(0,)):
            return run([coupon, *args, "--server", server.url], env=env, ok=ok)

        client("join", "--individual", "--name", "Ada Lovelace", "--email", "ada@example.com")
        products = json.loads(client("products", "--json").stdout)["products"]
        espresso = next(p for p in products if p["name"].startswith("Espresso"))
        minted, painted = README_DIR / "minted.png", README_DIR / "painted.png"
        client("get", espresso["id"], "--out", str(minted))
        run([coupon, "reveal", str(minted), "--out", str(README_DIR / "revealed.png")], env=env)
        paint(minted, painted, [(PANEL[0] + 4, PANEL[1] + 4, PANEL[2] - 4, PANEL[3] - 4)], "90% OFF")
        run([coupon, "reveal", str(painted), "--out", str(README_DIR / "tampered-revealed.png")], env=env, ok=(6,))
    finally:
        server.stop()


def merchant_art(path, width=333, height=217):
    """A busy, odd-sized stand-in for a merchant's `--art` picture: stripes and a disc."""
    image = Image.new("RGB", (width, height))
    colours = [(233, 87, 60), (250, 190, 70), (40, 120, 170)]
    pixels = image.load()
    for y in range(height):
        for x in range(width):
            dx, dy = x - width // 3, y - height // 2
            in_disc = dx * dx + dy * dy < (height // 3) ** 2
            pixels[x, y] = (255, 255, 255 - y % 64) if in_disc else colours[((x + y) // 23) % 3]
    image.save(path)


def art_samples(coupon, work):
    env = dict(os.environ, COUPON_HOME=str(work / "artist"))  # never the user's own profile
    keys = work / "keys"
    run([coupon, "keys", "init", "--out", str(keys)], env=env)
    terms = work / "terms.csv"
    terms.write_text(
        "product_id,product_name,title,kind,value,currency,valid_from,valid_until,serial\n"
        "prod_sample,Barista Espresso Machine · 1.8 L,Winter Sale,rate,1500,EUR,2026-12-01,2027-01-31,CPN-2026-000123\n",
        encoding="utf-8")
    reveal_key = ["--reveal-key", str(keys / "reveal.key")]
    mint = [coupon, "mint", "--terms", str(terms), "--issuer-key", str(keys / "issuer.key"), *reveal_key]
    run([*mint, "--out", str(work / "plain")], env=env)
    minted = work / "plain" / "CPN-2026-000123.png"
    shutil.copyfile(minted, ART_DIR / "sample-coupon.png")
    reveal = [coupon, "reveal", *reveal_key, "--issuer-pub", str(keys / "issuer.pub")]
    run([*reveal, str(minted), "--out", str(ART_DIR / "sample-revealed.png")], env=env)
    painted = work / "painted.png"
    paint(minted, painted, [(64, 96, 127, 159), (128, 96, 191, 159)])
    run([*reveal, str(painted), "--out", str(ART_DIR / "sample-tampered.png")], env=env, ok=(6,))
    merchant_art(work / "art.png")
    run([*mint, "--art", str(work / "art.png"), "--out", str(work / "art")], env=env)
    shutil.copyfile(work / "art" / "CPN-2026-000123.png", ART_DIR / "sample-art.png")


def difference(a, b, gain, target):
    """|b - a| shown around mid grey: 128 + gain x (b - a) per channel."""
    first, second = Image.open(a).convert("RGB"), Image.open(b).convert("RGB")
    ImageChops.subtract(second, first, scale=1 / gain, offset=128).save(target)


def robust_pictures(coupon, work):
    """fixtures/readme/robust-*.png: the sample coupon of fixtures/art, minted without the
    robust layer (the demo's coupons already carry the demo server's), with the robust layer added
    (robust-marked.png), what that layer changed (robust-difference.png, x16 around grey),
    what the fragile layer changes (fragile-difference.png: `coupon watermark embed` of 300
    bytes, x64 around grey), and a 2x screenshot of the marked coupon saved as JPEG 80
    (robust-screenshot.jpg), which `coupon watermark robust-detect` still reads."""
    minted = ART_DIR / "sample-coupon.png"
    run([coupon, "watermark", "robust-keygen", "--out", work / "robust.key"])
    run([coupon, "watermark", "robust-embed", "--key", work / "robust.key", "--id", "00c0ffee12345678",
         minted, README_DIR / "robust-marked.png"])
    difference(minted, README_DIR / "robust-marked.png", 16, README_DIR / "robust-difference.png")
    run([coupon, "watermark", "keygen", "--out", work / "fragile.key"])
    (work / "payload.bin").write_bytes(bytes((i * 37) % 256 for i in range(300)))
    run([coupon, "watermark", "embed", "--key", work / "fragile.key", "--payload", work / "payload.bin",
         minted, work / "fragile.png"])
    difference(minted, work / "fragile.png", 64, README_DIR / "fragile-difference.png")
    marked = Image.open(README_DIR / "robust-marked.png").convert("RGB")
    marked.resize((marked.width * 2, marked.height * 2), Image.BICUBIC).save(
        README_DIR / "robust-screenshot.jpg", quality=80)
    found = run([coupon, "watermark", "robust-detect", "--key", work / "robust.key",
                 README_DIR / "robust-screenshot.jpg", "--json"])
    if json.loads(found.stdout).get("id") != "00c0ffee12345678":
        sys.exit("make_pictures: the screenshot lost its robust mark")


def copies_pictures(coupon, server_binary, work):
    """fixtures/readme/copy-jpeg75.jpg and copy-screenshot.jpg: the demo's espresso coupon
    saved as JPEG 75, and shown on a 2x screen (bicubic) and saved as JPEG 80. A member then
    identifies the first, reveals the second (the server is asked) and orders with it; the
    commands and their output are printed, as the README shows them."""
    data = str(work / "copies-data")
    run([server_binary, "seed-demo", "--data", data])
    server = Server(server_binary, data)
    transcript = []
    try:
        env = dict(os.environ, COUPON_HOME=str(work / "copier"))

        def client(*args, ok=(0,), show=True):
            result = run([coupon, *args, "--server", server.url], env=env, ok=ok)
            if show:
                shown = " ".join(str(a) for a in args).replace(str(README_DIR) + "/", "")
                transcript.append(f"$ coupon {shown}\n{result.stderr}{result.stdout}".rstrip())
            return result

        client("join", "--individual", "--name", "Grace Hopper", "--email", "grace@example.com", show=False)
        products = json.loads(client("products", "--json", show=False).stdout)["products"]
        espresso = next(p for p in products if p["name"].startswith("Espresso"))
        original = work / "espresso.png"
        client("get", espresso["id"], "--out", str(original), show=False)
        picture = Image.open(original).convert("RGB")
        jpeg, shot = README_DIR / "copy-jpeg75.jpg", README_DIR / "copy-screenshot.jpg"
        picture.save(jpeg, quality=75)
        picture.resize((picture.width * 2, picture.height * 2), Image.BICUBIC).save(shot, quality=80)
        client("identify", str(jpeg))
        client("reveal", str(shot))
        client("order", espresso["id"], "--coupon", str(shot))
    finally:
        server.stop()
    print("\n".join(transcript))


def personal_pictures(coupon, server_binary, work):
    """fixtures/readme/personal-*.png: a merchant (its own issuer keys, `coupon-server
    merchant add`, `coupon merchant login`) mints a coupon signed `personal` from a terms
    file and uploads it; Ada and Grace join and each `coupon get` it: two copies that look
    the same and differ in every cell of their marks (the difference x16 around grey).
    Ada reveals hers; a JPEG 75 of Grace's is traced back to Grace by the merchant."""
    data = str(work / "personal-data")
    keys = work / "tea-keys"
    run([coupon, "keys", "init", "--out", keys])
    added = json.loads(run([server_binary, "merchant", "add", "--name", "Tea House", "--public-key",
                            keys / "issuer.pub", "--data", data, "--json"]).stdout)
    server = Server(server_binary, data)
    transcript = []
    try:
        def as_user(home, *args, ok=(0,), show=True):
            env = dict(os.environ, COUPON_HOME=str(work / home))
            result = run([coupon, *args, "--server", server.url], env=env, ok=ok)
            if show:
                shown = " ".join(str(a) for a in args).replace(str(README_DIR) + "/", "").replace(str(work) + "/", "")
                transcript.append(f"$ coupon {shown}\n{result.stderr}{result.stdout}".rstrip())
            return result

        as_user("tea", "merchant", "login", "--token", added["token"], show=False)
        product = json.loads(as_user("tea", "merchant", "add-product", "--sku", "TEA-1", "--name", "Green tea",
                                     "--price", "450", "--currency", "EUR", "--json", show=False).stdout)["id"]
        terms = work / "personal.csv"
        terms.write_text("product_id,product_name,title,kind,value,valid_from,valid_until,personal,serial\n"
                         f"{product},Green tea,Just for you,rate,2000,2026-01-01,2030-12-31,true,TEA-PERSONAL-1\n")
        env = dict(os.environ, COUPON_HOME=str(work / "tea"))
        run([coupon, "mint", "--terms", terms, "--out", work / "tea-coupons", "--issuer-key", keys / "issuer.key"], env=env)
        as_user("tea", "merchant", "upload", product, work / "tea-coupons" / "TEA-PERSONAL-1.png", show=False)
        copies = {}
        for name, email in [("ada", "ada@example.com"), ("grace", "grace@example.com")]:
            as_user(name, "join", "--individual", "--name", name.title(), "--email", email, show=False)
            copies[name] = README_DIR / f"personal-{name}.png"
            as_user(name, "get", product, "--out", copies[name], show=name == "ada")
        difference(copies["ada"], copies["grace"], 16, README_DIR / "personal-difference.png")
        as_user("ada", "reveal", copies["ada"])
        leaked = work / "leaked.jpg"
        Image.open(copies["grace"]).convert("RGB").save(leaked, quality=75)
        traced = as_user("tea", "merchant", "trace", leaked)
        if "personal copy of" not in traced.stdout:
            sys.exit("make_pictures: the leaked JPEG was not traced")
    finally:
        server.stop()
    print("\n".join(transcript))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--coupon", required=True)
    parser.add_argument("--coupon-server", required=True)
    parser.add_argument("--only", choices=["robust", "copies", "personal"],
                        help="only the robust layer's, the copies' or the personal coupon's pictures")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="couponmark-pictures-") as tmp:
        work = Path(tmp)
        if args.only is None:
            readme_pictures(args.coupon, args.coupon_server, work)
            art_samples(args.coupon, work)
        if args.only in (None, "robust"):
            robust_pictures(args.coupon, work)
        if args.only in (None, "copies"):
            copies_pictures(args.coupon, args.coupon_server, work)
        if args.only in (None, "personal"):
            personal_pictures(args.coupon, args.coupon_server, work)
    print(f"wrote {README_DIR.relative_to(ROOT)}/*" + ("" if args.only else f" and {ART_DIR.relative_to(ROOT)}/*.png"))


if __name__ == "__main__":
    main()
