#!/usr/bin/env python3
"""Write the seed corpora under fixtures/fuzz/ that need no Swift.

Usage (from anywhere; standard library only, output is byte-for-byte deterministic):
    python3 tools/make_fuzz_seeds.py

png-decode/    copies of the PngSuite and malformed fixtures and three real coupons
               (seed-* decode, bad-* are refused with an error)
jpeg-decode/   the JPEG fixtures of fixtures/codecs/ (seed-*) and, made from them, a file cut
               short and one whose frame header declares 65,500 x 65,500 pixels (bad-*)
webp-decode/   the WebP fixtures of fixtures/codecs/ (seed-*; the animation is bad-*), a file
               cut short and one whose VP8 header declares 16,383 x 16,383 pixels (bad-*)
terms-file/    the CSV and JSON terms files of the TermsFile tests and the watermark-v1 coupon
json-bodies/   one schema byte (0 join, 1 order, 2 product) and a request body from the
               server tests; one order carries base-valid.png as its base64 coupon_png

The watermark-extract/ and sealed-token-open/ seeds are marked and sealed by Swift code:
    COUPONMARK_WRITE_FUZZ_SEEDS=1 swift test --disable-xctest --filter SeedWriter
Files named crash-*, oom-* or timeout-* are fuzzer findings kept as regression inputs; this
script never removes them.
"""

from __future__ import annotations

import base64
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
OUT = FIXTURES / "fuzz"


def png_seeds() -> None:
    out = OUT / "png-decode"
    out.mkdir(parents=True, exist_ok=True)
    for path in sorted((FIXTURES / "png" / "pngsuite").glob("*.png")):
        kind = "bad" if path.name.startswith("x") else "seed"
        shutil.copyfile(path, out / f"{kind}-pngsuite-{path.name}")
    for path in sorted((FIXTURES / "png" / "malformed").glob("*.png")):
        kind = "seed" if path.name == "base-valid.png" else "bad"
        shutil.copyfile(path, out / f"{kind}-malformed-{path.name}")
    shutil.copyfile(FIXTURES / "watermark-v1" / "coupon.png", out / "seed-coupon-watermark-v1.png")
    shutil.copyfile(FIXTURES / "watermark-v1" / "legacy-rgba.png", out / "seed-legacy-rgba.png")
    shutil.copyfile(FIXTURES / "art" / "sample-coupon.png", out / "seed-sample-coupon.png")


def codec_seeds() -> None:
    codecs = FIXTURES / "codecs"
    jpeg_out = OUT / "jpeg-decode"
    jpeg_out.mkdir(parents=True, exist_ok=True)
    for path in sorted(codecs.glob("*.jpg")):
        shutil.copyfile(path, jpeg_out / f"seed-codecs-{path.name}")
    jpeg = bytearray((codecs / "photo-420-q90.jpg").read_bytes())
    (jpeg_out / "bad-truncated.jpg").write_bytes(jpeg[: len(jpeg) - 200])
    offset = 2
    while jpeg[offset + 1] not in (0xC0, 0xC1, 0xC2):  # walk the markers to the frame header
        offset += 2 + (jpeg[offset + 2] << 8 | jpeg[offset + 3])
    jpeg[offset + 5 : offset + 9] = bytes([0xFF, 0xDC, 0xFF, 0xDC])  # height, width 65,500
    (jpeg_out / "bad-huge-dimensions.jpg").write_bytes(jpeg)

    webp_out = OUT / "webp-decode"
    webp_out.mkdir(parents=True, exist_ok=True)
    for path in sorted(codecs.glob("*.webp")):
        kind = "bad" if path.name == "animated.webp" else "seed"
        shutil.copyfile(path, webp_out / f"{kind}-codecs-{path.name}")
    webp = bytearray((codecs / "photo-q80.webp").read_bytes())
    (webp_out / "bad-truncated.webp").write_bytes(webp[: len(webp) // 2])
    webp[26:30] = bytes([0xFF, 0x3F, 0xFF, 0x3F])  # VP8 width and height 16,383
    (webp_out / "bad-huge-dimensions.webp").write_bytes(webp)


TERMS = {
    "seed-csv-mixed.csv": """product_id,title,kind,value,currency,valid_from,valid_until,serial,max_uses_total,max_uses_per_member
p1,"Spring, 15% off",rate,1500,EUR,2026-12-01,2027-01-31,S-1,100,
p2,Five off,amount,500,EUR,2026-12-01T09:00:00Z,2027-01-31T18:00:00Z,S-2,,0
p3,Broken,rate,20000,EUR,2026-12-01,2027-01-31,S-3,,
p4,No currency,amount,500,,2026-12-01,2027-01-31,,,
p5,Backwards,rate,100,EUR,2027-12-01,2027-01-31,,,
""",
    "seed-csv-fixture.csv": """product_id,product_name,title,kind,value,currency,valid_from,valid_until,serial
prod_fixture,Alpha Fixture Kettle,Spring Sale,rate,1500,EUR,2026-12-01,2027-01-31,CPN-2026-000777
""",
    "seed-json-array.json": """[{"product_id":"p1","title":"A","kind":"rate","value":1000,"currency":"EUR",
  "valid_from":"2026-12-01","valid_until":"2026-12-31"},
 {"product_id":"p1","title":"B","kind":"amount","value":250,"currency":"USD",
  "valid_from":"2026-12-01T08:00:00Z","valid_until":"2026-12-31","serial":"S-9","max_uses_total":5,"max_uses_per_member":0,"product_name":"Kettle"},
 "not an object"]
""",
}


def terms_seeds() -> None:
    out = OUT / "terms-file"
    out.mkdir(parents=True, exist_ok=True)
    for name, text in TERMS.items():
        (out / name).write_text(text)


def json_seeds() -> None:
    png = base64.b64encode((FIXTURES / "png" / "malformed" / "base-valid.png").read_bytes()).decode()
    bodies = {
        ("join", 0): [
            '{"kind":"individual","name":"Ann","email":"Ann@Example.org","company":null}',
            '{"kind":"corporate","name":"Buyer","email":"buy@corp.example","company":{"name":"Corp","registration_number":"HRB 1"}}',
            '{"kind":"robot","name":"A","email":"a@b.co"}',
        ],
        ("order", 1): [
            '{"product_id":"prod_1","quantity":2}',
            '{"product_id":"prod_1","quantity":1,"coupon_png":null}',
            '{"product_id":"prod_1","quantity":1,"coupon_png":"%s"}' % png,
        ],
        ("product", 2): [
            '{"sku":"KT-1","name":"Kettle","description":"Boils water","price":{"amount":4999,"currency":"EUR"}}',
            '{"sku":" X ","name":"Mug","price":{"amount":0,"currency":"ZZZ"}}',
        ],
    }
    out = OUT / "json-bodies"
    out.mkdir(parents=True, exist_ok=True)
    for (tag, schema), texts in bodies.items():
        for index, body in enumerate(texts, start=1):
            (out / f"seed-{tag}-{index}.json").write_bytes(bytes([schema]) + body.encode())


if __name__ == "__main__":
    png_seeds()
    codec_seeds()
    terms_seeds()
    json_seeds()
