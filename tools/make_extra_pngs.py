#!/usr/bin/env python3
"""Write the extra conformance images fixtures/png/pngsuite/cm-*.png with pypng.

pypng's PngSuite subset lacks some kinds of PNG (8-bit grey+alpha, 1-bit palette, 16-bit
tRNS on grey and RGB, interlaced low-depth palettes). These are made here by pypng's own
encoder, deterministically, so the decoder is tested against an encoder other than libpng;
tools/make_goldens.py then computes their goldens like every other image.

Usage: tools/.venv/bin/python tools/make_extra_pngs.py && tools/.venv/bin/python tools/make_goldens.py
"""
import random
from pathlib import Path

import png

OUT = Path(__file__).resolve().parent.parent / "fixtures" / "png" / "pngsuite"


def write(name, width, height, rows, **kwargs):
    with open(OUT / name, "wb") as f:
        png.Writer(width, height, **kwargs).write(f, rows)


def main():
    rnd = random.Random(20261125)
    # 8-bit grey + alpha, plain and interlaced, odd sizes.
    for name, w, h, interlace in [("cm-ga8n.png", 13, 7, False), ("cm-ga8i.png", 17, 11, True)]:
        rows = [[rnd.randrange(256) for _ in range(w * 2)] for _ in range(h)]
        write(name, w, h, rows, greyscale=True, alpha=True, bitdepth=8, interlace=interlace)
    # 1-bit palette with a transparent entry; 2-bit palette, interlaced, partial tRNS.
    write("cm-p1t.png", 9, 5, [[(x + y) % 2 for x in range(9)] for y in range(5)],
          palette=[(10, 20, 30, 0), (200, 100, 50, 255)], bitdepth=1)
    write("cm-p2i.png", 19, 13, [[rnd.randrange(4) for _ in range(19)] for _ in range(13)],
          palette=[(0, 0, 0, 128), (255, 0, 0), (0, 255, 0), (0, 0, 255)], bitdepth=2, interlace=True)
    # 16-bit grey and RGB with tRNS matching some samples exactly (on the 16-bit value).
    grey = [[rnd.choice([0x1234, 0xFFFF, rnd.randrange(65536)]) for _ in range(11)] for _ in range(6)]
    write("cm-g16t.png", 11, 6, grey, greyscale=True, bitdepth=16, transparent=0x1234)
    rgb = [[v for _ in range(7) for v in rnd.choice([(0x0102, 0x0304, 0x0506), tuple(rnd.randrange(65536) for _ in range(3))])]
           for _ in range(5)]
    write("cm-c16t.png", 7, 5, rgb, greyscale=False, bitdepth=16, transparent=(0x0102, 0x0304, 0x0506))
    print("wrote 6 extra images to", OUT)


if __name__ == "__main__":
    main()
