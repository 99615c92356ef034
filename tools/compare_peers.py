#!/usr/bin/env python3
"""Couponmark beside its peers stegano and cryptosteganography, on the same images in one run.

Run through tools/compare-peers, which prepares the virtualenv (Pillow, stegano,
cryptosteganography) and the coupon binary:
    tools/compare-peers [--count N] [--runs N] [--photo-runs N] [--mint-runs N]

What it measures (medians of several runs; a first, untimed run of each warms caches and is the
one whose output is checked and measured):
  * embed+save and load+extract of the same 256 random bytes in three images:
      minted coupon 800x400   a real coupon from `coupon mint`, re-saved by Pillow (level 6); it
                              already carries mint's own watermark, so Couponmark's size cost
                              hides in it (see the next image)
      flat coupon 800x400     tools/bench_png.py's flat coupon-like picture, never marked
      photo 2048x2048         tools/bench_png.py's seeded gradient + noise picture
    Couponmark: `coupon watermark embed/extract`, one process per call (whole-process wall time,
    as a user runs it; it has no in-process API to time). stegano: lsb.hide(path, base64).save()
    and lsb.reveal() in-process, and the stegano-lsb command as a whole process.
    cryptosteganography: CryptoSteganography(key).hide()/.retrieve() in-process, and the same
    calls in a fresh `python -c` (its own command asks for the password on the terminal).
  * the size of each tool's PNG, and its ratio to the original file;
  * robustness: does the exact payload come back after painting a quarter-area rectangle
    (half width x half height, one colour) in the centre / at the top-left corner, after
    flipping 1% of the low bits (seeded), and after centre paint plus flips;
  * issue 4's performance goals (mint vs the codec floor, mint vs stegano, reveal vs stegano).
Ratios are peer / couponmark: above 1 means Couponmark is faster (or smaller).
"""

from __future__ import annotations

import argparse
import base64
import concurrent.futures
import csv
import json
import os
import platform
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path

warnings.filterwarnings("ignore")

from PIL import Image, ImageDraw  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_png  # noqa: E402  (the seeded test images)
from peer_tools import Failure, cpu_model, run, version  # noqa: E402

from stegano import lsb  # noqa: E402
from cryptosteganography import CryptoSteganography  # noqa: E402

SEED = 20240601
PAYLOAD_BYTES = 256
CRYPTO_PASSWORD = "compare-peers"
PAINT = (255, 0, 255)
REVEAL_TIMEOUT = 20  # seconds for one in-process peer reveal of an attacked picture
TOOLS = ("couponmark", "stegano", "cryptosteganography")
PY = sys.executable

CRYPTO_HIDE = ("import sys, warnings; warnings.filterwarnings('ignore')\n"
               "from cryptosteganography import CryptoSteganography as C\n"
               "C(sys.argv[1]).hide(sys.argv[2], sys.argv[3], open(sys.argv[4], 'rb').read())")
CRYPTO_RETRIEVE = ("import sys, warnings; warnings.filterwarnings('ignore')\n"
                   "from cryptosteganography import CryptoSteganography as C\n"
                   "r = C(sys.argv[1]).retrieve(sys.argv[2])\n"
                   "sys.exit(3) if r is None else open(sys.argv[3], 'wb')"
                   ".write(r.encode() if isinstance(r, str) else r)")


# ---------------------------------------------------------------- helpers

def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000.0


def interleaved(fns: dict, runs: int) -> dict:
    """Median ms of each function, timed round-robin: run 1 of each, then run 2 of each, ..."""
    samples: dict = {k: [] for k in fns}
    for _ in range(runs):
        for k, fn in fns.items():
            samples[k].append(timed(fn))
    return {k: statistics.median(v) for k, v in samples.items()}


class Alarm(Exception):
    pass


def _on_alarm(signum, frame):
    raise Alarm()


def within_limit(fn):
    """fn() or None when it raises or runs past REVEAL_TIMEOUT (stegano scans the whole
    picture in Python when its length prefix is damaged)."""
    old = signal.signal(signal.SIGALRM, _on_alarm)
    signal.alarm(REVEAL_TIMEOUT)
    try:
        return fn()
    except Exception:  # noqa: BLE001  any failure to read the payload back is a "no"
        return None
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def nproc() -> int:
    return len(os.sched_getaffinity(0))


def fmt_ms(v: float | None) -> str:
    if v is None:
        return "n/a"
    return f"{v:.2f}" if v < 10 else (f"{v:.1f}" if v < 1000 else f"{v:.0f}")


def fmt_ratio(peer: float | None, ours: float | None) -> str:
    return "n/a" if not peer or not ours else f"{peer / ours:.2f}"


# ---------------------------------------------------------------- the three tools

class Couponmark:
    def __init__(self, coupon: str, work: Path):
        self.coupon = coupon
        self.key = work / "wm.key"
        run([coupon, "watermark", "keygen", "--out", self.key])
        self.capacity: dict[str, int] = {}

    def embed(self, src: Path, out: Path, payload: Path) -> None:
        done = run([self.coupon, "watermark", "embed", "--key", self.key, "--payload", payload,
                    src, out, "--level", "6", "--filter", "adaptive"])
        m = re.search(r"capacity (\d+)", done.stderr + done.stdout)
        if m:
            self.capacity[src.name] = int(m.group(1))

    def extract_cli(self, src: Path, out: Path) -> None:
        run([self.coupon, "watermark", "extract", "--key", self.key, src, "--out", out])

    def recovered(self, src: Path, work: Path) -> bytes | None:
        got = work / "got.bin"
        got.unlink(missing_ok=True)
        done = subprocess.run([self.coupon, "watermark", "extract", "--key", str(self.key),
                               str(src), "--out", str(got)], capture_output=True)
        return got.read_bytes() if done.returncode == 0 and got.exists() else None


class Stegano:
    def embed(self, src: Path, out: Path, message: str) -> None:
        lsb.hide(str(src), message).save(str(out))

    def embed_cli(self, src: Path, out: Path, message: str) -> None:
        run([Path(PY).parent / "stegano-lsb", "hide", "-i", src, "-m", message, "-o", out])

    def extract(self, src: Path) -> bytes:
        return base64.b64decode(lsb.reveal(str(src)), validate=True)

    def extract_cli(self, src: Path) -> bytes:
        done = run([Path(PY).parent / "stegano-lsb", "reveal", "-i", src])
        return base64.b64decode(done.stdout.strip(), validate=True)


class Crypto:
    def __init__(self):
        self.cs = CryptoSteganography(CRYPTO_PASSWORD)

    def embed(self, src: Path, out: Path, payload: bytes) -> None:
        self.cs.hide(str(src), str(out), payload)

    def embed_cli(self, src: Path, out: Path, payload: Path) -> None:
        run([PY, "-c", CRYPTO_HIDE, CRYPTO_PASSWORD, src, out, payload])

    def extract(self, src: Path) -> bytes | None:
        r = self.cs.retrieve(str(src))
        return r.encode() if isinstance(r, str) else r

    def extract_cli(self, src: Path, out: Path) -> None:
        run([PY, "-c", CRYPTO_RETRIEVE, CRYPTO_PASSWORD, src, out])


# ---------------------------------------------------------------- attacks

def paint(im: Image.Image, where: str) -> Image.Image:
    w, h = im.size
    x0, y0 = (w // 4, h // 4) if where == "centre" else (0, 0)
    out = im.copy()
    ImageDraw.Draw(out).rectangle([x0, y0, x0 + w // 2 - 1, y0 + h // 2 - 1], fill=PAINT)
    return out


def flip_low_bits(im: Image.Image) -> Image.Image:
    """Flip the low bit of 1% of the channel samples, chosen with a fixed seed."""
    buf = bytearray(im.tobytes())
    rng = random.Random(SEED)
    for i in rng.sample(range(len(buf)), len(buf) // 100):
        buf[i] ^= 1
    return Image.frombytes(im.mode, im.size, bytes(buf))


ATTACKS = (
    ("survives paint, centre quarter", lambda im: paint(im, "centre")),
    ("survives paint, top-left quarter", lambda im: paint(im, "top-left")),
    ("survives 1% low-bit flips", flip_low_bits),
    ("survives centre paint + flips", lambda im: flip_low_bits(paint(im, "centre"))),
)


# ---------------------------------------------------------------- per-image comparison

def compare_image(label: str, original: Path, runs: int, work: Path, payload: bytes,
                  payload_file: Path, cm: Couponmark, st: Stegano, cr: Crypto) -> tuple[list[tuple], dict]:
    stem = original.stem
    message = base64.b64encode(payload).decode()
    out = {t: work / f"{stem}.{t}.png" for t in TOOLS}
    scratch = {t: work / f"{stem}.{t}.scratch.png" for t in TOOLS}
    got = work / f"{stem}.got.bin"

    # Warm-up runs, which also make the outputs that are checked, measured and attacked.
    cm.embed(original, out["couponmark"], payload_file)
    st.embed(original, out["stegano"], message)
    cr.embed(original, out["cryptosteganography"], payload)
    st.embed_cli(original, scratch["stegano"], message)
    cr.embed_cli(original, scratch["cryptosteganography"], payload_file)
    cm.extract_cli(out["couponmark"], got)
    checks = {
        "couponmark": got.read_bytes(),
        "stegano": st.extract(out["stegano"]),
        "stegano-lsb": st.extract_cli(scratch["stegano"]),
        "cryptosteganography": cr.extract(out["cryptosteganography"]),
    }
    cr.extract_cli(scratch["cryptosteganography"], got)
    checks["cryptosteganography (python -c)"] = got.read_bytes()
    for who, data in checks.items():
        if data != payload:
            raise Failure(f"{label}: {who} did not return the payload it was given")

    # One timed run of every cell per round, so that load from elsewhere falls on all alike.
    cells = {
        ("emb_whole", "couponmark"): lambda: cm.embed(original, scratch["couponmark"], payload_file),
        ("emb_whole", "stegano"): lambda: st.embed_cli(original, scratch["stegano"], message),
        ("emb_whole", "cryptosteganography"):
            lambda: cr.embed_cli(original, scratch["cryptosteganography"], payload_file),
        ("emb_inproc", "stegano"): lambda: st.embed(original, scratch["stegano"], message),
        ("emb_inproc", "cryptosteganography"):
            lambda: cr.embed(original, scratch["cryptosteganography"], payload),
        ("ext_whole", "couponmark"): lambda: cm.extract_cli(out["couponmark"], got),
        ("ext_whole", "stegano"): lambda: st.extract_cli(out["stegano"]),
        ("ext_whole", "cryptosteganography"): lambda: cr.extract_cli(out["cryptosteganography"], got),
        ("ext_inproc", "stegano"): lambda: st.extract(out["stegano"]),
        ("ext_inproc", "cryptosteganography"): lambda: cr.extract(out["cryptosteganography"]),
    }
    medians = interleaved(cells, runs)
    emb_whole, emb_inproc, ext_whole, ext_inproc = (
        {t: medians.get((what, t)) for t in TOOLS} for what in ("emb_whole", "emb_inproc", "ext_whole", "ext_inproc"))
    for p in scratch.values():
        p.unlink(missing_ok=True)

    base = original.stat().st_size
    size = {t: out[t].stat().st_size for t in TOOLS}

    robust = []
    for name, attack in ATTACKS:
        cells = {}
        for t in TOOLS:
            attacked = work / f"{stem}.{t}.attacked.png"
            with Image.open(out[t]) as im:
                attack(im.convert("RGB")).save(attacked, format="PNG", compress_level=1)
            if t == "couponmark":
                back = cm.recovered(attacked, work)
            elif t == "stegano":
                back = within_limit(lambda: st.extract(attacked))
            else:
                back = within_limit(lambda: cr.extract(attacked))
            cells[t] = "yes" if back == payload else "no"
            attacked.unlink(missing_ok=True)
        robust.append((name, cells))

    rows = [
        (label, f"embed+save ms, whole process (median of {runs})", emb_whole, emb_whole, "ms"),
        (label, "embed+save ms, in-process (ratio vs couponmark whole process)", emb_inproc, emb_whole, "ms"),
        (label, "load+extract ms, whole process", ext_whole, ext_whole, "ms"),
        (label, "load+extract ms, in-process (ratio vs couponmark whole process)", ext_inproc, ext_whole, "ms"),
        (label, f"output bytes (x original {base})", size, size, ("bytes", base)),
    ]
    for name, cells in robust:
        rows.append((label, name, cells, None, "yesno"))
    return rows, {"embed_inproc": emb_inproc, "extract_whole": ext_whole}


def render_row(row: tuple) -> str:
    label, what, cells, ours_from, kind = row
    if kind == "ms":
        vals = [fmt_ms(cells[t]) if cells[t] is not None else "n/a (CLI only)" for t in TOOLS]
        ours = ours_from["couponmark"]
        ratios = [fmt_ratio(cells[t], ours) for t in TOOLS[1:]]
    elif kind == "yesno":
        vals = [cells[t] for t in TOOLS]
        ratios = ["", ""]
    else:
        base = kind[1]
        vals = [f"{cells[t]} ({cells[t] / base:.2f}x)" for t in TOOLS]
        ratios = [fmt_ratio(cells[t], cells["couponmark"]) for t in TOOLS[1:]]
    return f"| {label} | {what} | " + " | ".join(vals + ratios) + " |"


# ---------------------------------------------------------------- issue 4's goals

def write_terms(path: Path, count: int) -> None:
    with path.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["product_id", "product_name", "title", "kind", "value", "currency",
                    "valid_from", "valid_until", "serial"])
        for i in range(count):
            kind, value = ("rate", 500 + (i * 37) % 4500) if i % 2 else ("amount", 100 + i % 5000)
            w.writerow([f"P{i % 41:03d}", f"Product {i % 41}", f"Member sale {i % 97}", kind, value,
                        "EUR", "2026-01-01", "2026-12-01", f"CP-{i:06d}"])


def floor_sample(files: list[Path], n: int) -> list[Path]:
    return sorted(files)[::max(1, len(files) // n)][:n]


def mint_and_floor(coupon: str, work: Path, keys: Path, terms: Path, count: int, runs: int,
                   jobs: int) -> dict:
    """Rounds of `coupon mint` (timed as a whole process), each followed by the codec floor on a
    sample of that round's coupons, so that load from elsewhere hits both alike. Medians."""
    walls, reported, encodes, decodes = [], [], [], []
    out = work / "mint"
    for _ in range(runs):
        shutil.rmtree(out, ignore_errors=True)
        start = time.perf_counter()
        done = run([coupon, "mint", "--terms", terms, "--out", out, "--issuer-key", keys / "issuer.key",
                    "--reveal-key", keys / "reveal.key", "--compression", MINT_LEVEL, "--filter", MINT_FILTER])
        walls.append(time.perf_counter() - start)
        last = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
        m = re.match(r"minted (\d+) coupons in ([\d.]+) s \(([\d.]+)/s\)", last)
        if not m or int(m.group(1)) != count:
            raise Failure(f"coupon mint: unexpected summary line {last!r}")
        reported.append(float(m.group(3)))
        minted = list(out.glob("*.png"))
        if len(minted) != count:
            raise Failure(f"coupon mint wrote {len(minted)} PNGs, expected {count}")
        encode_ms, decode_ms = codec_floor(coupon, floor_sample(minted, 100), jobs)
        encodes.append(encode_ms)
        decodes.append(decode_ms)
    return {"rate": count / statistics.median(walls), "reported": statistics.median(reported),
            "encode_ms": statistics.median(encodes), "decode_ms": statistics.median(decodes),
            "dir": out}


def parallel(jobs: int, fn, items):
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(fn, items))


# The settings `coupon mint` writes coupons with (passed to it explicitly), and the floor uses.
MINT_LEVEL, MINT_FILTER = "6", "none"


def codec_floor(coupon: str, files: list[Path], jobs: int) -> tuple[float, float]:
    """In-process encode (and decode) medians of the minted files, `jobs` processes at a time so
    every core is busy as during mint. Returns (median encode ms, median decode ms)."""
    def bench(p: Path) -> dict:
        done = run([coupon, "png", "bench", p, "--level", MINT_LEVEL, "--filter", MINT_FILTER, "--runs", "3", "--json"])
        return json.loads(done.stdout.strip().splitlines()[-1])
    reports = parallel(jobs, bench, files)
    return (statistics.median(r["encode_ms"] for r in reports),
            statistics.median(r["decode_ms"] for r in reports))


def recode_floor(coupon: str, files: list[Path], jobs: int, work: Path) -> tuple[float, bool]:
    """Whole-process `coupon png recode` of the files, `jobs` at a time: (images/s, byte-identical)."""
    out = work / "recode"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()

    def recode(p: Path) -> bool:
        target = out / p.name
        run([coupon, "png", "recode", p, target, "--level", MINT_LEVEL, "--filter", MINT_FILTER])
        return target.read_bytes() == p.read_bytes()
    start = time.perf_counter()
    same = parallel(jobs, recode, files)
    wall = time.perf_counter() - start
    shutil.rmtree(out, ignore_errors=True)
    return len(files) / wall, all(same)


# ---------------------------------------------------------------- main

def main() -> int:
    t0 = time.perf_counter()
    ap = argparse.ArgumentParser(description="Couponmark beside stegano and cryptosteganography.")
    ap.add_argument("--coupon", default=os.environ.get("COUPON", ".build/release/coupon"))
    ap.add_argument("--coupon-note", default="", help="what the header says about couponmark")
    ap.add_argument("--work", type=Path, default=Path(__file__).resolve().parent / ".work" / "compare-peers")
    ap.add_argument("--count", type=int, default=2000, help="coupons to mint for the goals (default 2000)")
    ap.add_argument("--runs", type=int, default=11, help="timed runs per 800x400 measurement (default 11)")
    ap.add_argument("--photo-runs", type=int, default=5, help="timed runs per 2048x2048 measurement (default 5)")
    ap.add_argument("--mint-runs", type=int, default=3, help="runs of `coupon mint` (default 3, median)")
    args = ap.parse_args()
    for name in ("count", "runs", "photo_runs", "mint_runs"):
        if getattr(args, name) < 1:
            ap.error(f"--{name.replace('_', '-')} must be at least 1")

    coupon = args.coupon
    work = args.work
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    jobs = nproc()

    # Keys and the coupons: one to use as artwork, then the full batch for the goals.
    keys = work / "keys"
    run([coupon, "keys", "init", "--out", keys])
    terms = work / "terms.csv"
    write_terms(terms, args.count)

    # Goal 1: mint against the codec floor (in-process encode of a sample of the same coupons);
    # whole-process recode of another sample shows the same settings give the same bytes.
    load_before = os.getloadavg()[0]
    goal1 = mint_and_floor(coupon, work, keys, terms, args.count, args.mint_runs, jobs)
    mint_rate, mint_reported = goal1["rate"], goal1["reported"]
    encode_ms, decode_ms = goal1["encode_ms"], goal1["decode_ms"]
    floor_rate = jobs * 1000.0 / encode_ms
    minted = sorted(goal1["dir"].glob("*.png"))
    coupon_png = work / "coupon-sample.png"
    shutil.copyfile(minted[0], coupon_png)
    rec_sample = floor_sample(minted, 200)
    recode_rate, identical = recode_floor(coupon, rec_sample, jobs, work)
    shutil.rmtree(goal1["dir"], ignore_errors=True)

    # The pictures, written by Pillow at its defaults (level 6).
    rng = random.Random(SEED)
    payload = rng.randbytes(PAYLOAD_BYTES)
    payload_file = work / "payload.bin"
    payload_file.write_bytes(payload)
    images = []
    with Image.open(coupon_png) as im:
        p = work / "minted-coupon-800x400.png"
        im.convert("RGB").save(p, format="PNG")
        images.append(("minted coupon 800x400", p, args.runs))
    for label, filename, make, runs in (("flat coupon 800x400", "flat-coupon-800x400.png", bench_png.coupon_image, args.runs),
                                        ("photo 2048x2048", "photo-2048x2048.png", bench_png.photo_image, args.photo_runs)):
        p = work / filename
        make().save(p, format="PNG")
        images.append((label, p, runs))

    cm, st, cr = Couponmark(coupon, work), Stegano(), Crypto()
    rows, stats = [], {}
    for label, path, runs in images:
        more, stats[label] = compare_image(label, path, runs, work, payload, payload_file, cm, st, cr)
        rows += more

    # Goal 2: mint's per-image rate against stegano's in-process embed+save of the same coupon
    # (the table's minted-coupon row). Goal 3: `coupon reveal` of a minted coupon against
    # `stegano-lsb reveal` of the same picture marked by stegano, both as whole processes,
    # timed round-robin together with the bare process starts.
    steg_rate = 1000.0 / stats["minted coupon 800x400"]["embed_inproc"]["stegano"]
    steg_marked = images[0][1].with_name(images[0][1].stem + ".stegano.png")
    reveal_cmd = [coupon, "reveal", coupon_png, "--reveal-key", keys / "reveal.key",
                  "--issuer-pub", keys / "issuer.pub", "--json"]
    first = json.loads(run(reveal_cmd).stdout)
    if first.get("tampered"):
        raise Failure("coupon reveal says the freshly minted coupon is tampered")
    g3 = interleaved({"reveal": lambda: run(reveal_cmd),
                      "stegano": lambda: st.extract_cli(steg_marked),
                      "start_cm": lambda: run([coupon, "--help"]),
                      "start_py": lambda: run([PY, "-c", "import stegano.lsb"])}, args.runs)
    reveal_ms, steg_reveal_ms, start_cm, start_py = g3["reveal"], g3["stegano"], g3["start_cm"], g3["start_py"]

    # ---- output
    note = f" {args.coupon_note}" if args.coupon_note else ""
    print(f"compare-peers: nproc {jobs}, {cpu_model()}; couponmark{note}; stegano {version('stegano')}, "
          f"cryptosteganography {version('cryptosteganography')}, Pillow {Image.__version__}, "
          f"Python {platform.python_version()}")
    print()
    print("| image | measure (medians) | couponmark (CLI, one process per call) | stegano | cryptosteganography "
          "| stegano / couponmark | cryptosteganography / couponmark |")
    print("|---|---|--:|--:|--:|--:|--:|")
    for row in rows:
        print(render_row(row))
    print()

    def verdict(ok: bool) -> str:
        return "PASS" if ok else "FAIL"
    g1 = mint_rate / floor_rate
    print(f"goal 1 {verdict(g1 >= 0.8)}: coupon mint of {args.count} on {jobs} cores {mint_rate:.1f}/s "
          f"(whole process, median of {args.mint_runs}; self-reported {mint_reported:.1f}/s) = {g1 * 100:.0f}% "
          f"of the codec floor {floor_rate:.1f}/s (need >= 80%)")
    print(f"  floor = {jobs} cores / {encode_ms:.2f} ms, the median in-process level-{MINT_LEVEL} filter-{MINT_FILTER} encode (mint's settings) of "
          f"{min(100, args.count)} minted PNGs after each mint (`coupon png bench`, {jobs} at a time); whole-process `coupon png recode` "
          f"of {len(rec_sample)} runs {recode_rate:.1f}/s with byte-identical output: "
          f"{'yes' if identical else 'NO'}, i.e. {jobs * 1000.0 / recode_rate - encode_ms - decode_ms:.1f} ms "
          f"per process beyond decode {decode_ms:.2f} + encode")
    g2 = mint_rate / steg_rate
    print(f"goal 2 {verdict(g2 >= 3)}: coupon mint {mint_rate:.1f}/s = {g2:.2f}x stegano's in-process embed+save "
          f"of the same 800x400 coupon {steg_rate:.1f}/s (need >= 3x); against stegano run on all {jobs} cores "
          f"({steg_rate * jobs:.1f}/s, ideal scaling) it is {g2 / jobs:.2f}x")
    r3 = steg_reveal_ms / reveal_ms
    print(f"goal 3 {verdict(r3 >= 5)}: coupon reveal (--json) {reveal_ms:.1f} ms vs stegano-lsb reveal {steg_reveal_ms:.1f} ms, "
          f"whole processes on the same 800x400 coupon: {r3:.1f}x (need >= 5x)")
    caps = []
    for label, path, _ in images[1:]:
        with Image.open(path) as im:
            w, h = im.size
        caps.append(f"{label.split()[-1]} couponmark {cm.capacity.get(path.name, '?')} / stegano "
                    f"{(w * h * 3 // 8 - 8) * 3 // 4}")
    print(f"notes: process start alone takes {start_cm:.1f} ms (`coupon --help`) and {start_py:.1f} ms "
          f"(`python -c 'import stegano.lsb'`); binary payload capacity in bytes, {'; '.join(caps)} "
          f"(couponmark: as `coupon watermark embed` reports it; stegano: 3 low bits per pixel of base64 "
          f"text from the first pixel on, with no error correction or key)")
    print(f"compare-peers: total {time.perf_counter() - t0:.0f} s; 1-minute load average {load_before:.2f} "
          f"before minting, {os.getloadavg()[0]:.2f} at the end (above ~0.5, others share the cores)")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Failure as e:
        print(f"compare-peers: {e}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
