"""The robust layer's design prototype (numpy + Pillow), kept as the reference that chose
its parameters; the Swift implementation is the product. Run: python3 tools/robust_mark_prototype.py
[AMPLITUDE] [IMAGE.png] (needs numpy, scipy, Pillow) for the survival table of one image.

Design (all lengths in frame units: the image scaled so that its shorter side is 400):
- Pattern: a keyed grid of cells (8 units) tiled with period 24 cells (192 units) from the
  top-left corner. Each cell holds +-1: a keyed chip for the 25% pilot cells, chip x coded
  bit for the others. The field is the cos^2 interpolation between cell centres (smooth,
  no dots), added to R, G and B alike (a luma change) with amplitude 1.8 x (1 + local
  activity, up to 1.5): PSNR about 41 dB on coupon artwork.
- Payload: 64-bit identifier + 40-bit HMAC-SHA256 tag, K=7 rate-1/2 convolutional code
  (171, 133 octal), 220 coded bits spread over the 432 data cells by a keyed interleave.
- Detection: resample to a shorter side of 200 (half the frame: cheaper, and the pattern
  survives it), whiten with Y - median7(Y) and a redescending clip (|d| <= 4 kept, fading
  to 0 at 8, edges drop out), then for each scale s in [0.985, 1.27] (crops of up to 10%
  per side make the frame look up to 1.25x larger; resizes are undone by the
  normalisation) fold the image modulo the tile, find the shift by cyclic correlation
  with the pilots, keep the best 3 scales, refine, and decode with soft Viterbi. Only a
  tag that verifies is an answer: at most 3 decodes of 40-bit tags, so a false positive
  is below 2^-38.
"""
import io, sys, time, hashlib, hmac
import numpy as np
import scipy.ndimage as nd
from PIL import Image

SHORT = 400           # canonical short side (units)
import os
C = int(os.environ.get("RC", 8))
N = int(os.environ.get("RN", 24))
T = C * N             # tile, units
PILOT_FRACTION = 0.25
ID_BITS, TAG_BITS = 64, 40
INFO = ID_BITS + TAG_BITS
G = (0o171, 0o133)    # K=7 rate 1/2
K = 7

key = np.random.default_rng(12345)
chips = key.choice([-1.0, 1.0], size=N * N)
perm = key.permutation(N * N)
npilot = int(N * N * PILOT_FRACTION)
pilot_cells = np.sort(perm[:npilot])
data_cells = np.sort(perm[npilot:])
CODED = 2 * (INFO + K - 1)
# which coded bit each data cell carries (interleaved by the permutation above)
cell_coded = key.permutation(len(data_cells)) % CODED
u = (np.arange(C) + 0.5) / C
bump1 = np.sin(np.pi * u) ** 2


def conv_encode(bits):
    state = 0
    out = []
    for b in list(bits) + [0] * (K - 1):
        state = ((state << 1) | int(b)) & 0x7F
        for g in G:
            out.append(bin(state & g).count('1') & 1)
    return np.array(out)


def viterbi(soft):
    """soft: positive means bit 1 (llr-like). returns INFO bits."""
    nst = 64
    metric = np.full(nst, -1e18); metric[0] = 0
    steps = len(soft) // 2
    back = np.zeros((steps, nst), np.int64)
    states = np.arange(nst)
    # for new state ns from prev ps with input b: full = (ps<<1|b) 7 bits; ns = full & 63
    outs = {}
    for full in range(128):
        outs[full] = [bin(full & g).count('1') & 1 for g in G]
    outarr = np.array([outs[f] for f in range(128)])  # 128 x 2
    sign = 2 * outarr - 1
    for t in range(steps):
        s = soft[2 * t: 2 * t + 2]
        branch = sign @ s  # 128
        # full = ps<<1 | b ; ps = full>>1 (6 bits of prev: full>>1 & 63), ns = full & 63
        full = np.arange(128)
        ps = full >> 1
        ns = full & 63
        cand = metric[ps] + branch
        new = np.full(nst, -1e18); arg = np.zeros(nst, np.int64)
        # each ns has two predecessors: full = ns | (hi<<6) -> ps = (ns>>1) | (hi<<5)
        c0 = cand[ns[:64]]  # full in 0..63 -> hi=0
        c1 = cand[64:128]
        pick = c1 > c0
        new = np.where(pick, c1, c0)
        arg = np.where(pick, 64 + np.arange(64), np.arange(64))
        back[t] = arg
        metric = new
    # traceback from state 0 (tail)
    st = 0
    bits = []
    for t in range(steps - 1, -1, -1):
        full = back[t][st]
        bits.append(full & 1)
        st = full >> 1
    bits = bits[::-1]
    return np.array(bits[:INFO])


def tag(idbits, k=b'robust-key'):
    d = hmac.new(k, np.packbits(idbits).tobytes(), hashlib.sha256).digest()
    return np.unpackbits(np.frombuffer(d, np.uint8))[:TAG_BITS]


def cell_signs(idbits):
    info = np.concatenate([idbits, tag(idbits)])
    coded = conv_encode(info)
    s = chips.copy()
    s[data_cells] *= 2.0 * coded[cell_coded] - 1.0
    return s


def luma(rgb):
    return rgb[..., 0] * 0.299 + rgb[..., 1] * 0.587 + rgb[..., 2] * 0.114


def pattern(h, w, signs):
    """pattern at image resolution: frame unit = short/SHORT pixels."""
    scale = min(h, w) / SHORT
    ys = (np.arange(h) + 0.5) / scale
    xs = (np.arange(w) + 0.5) / scale
    cy = (ys // C).astype(int) % N; fy = np.sin(np.pi * (ys % C) / C) ** 2
    cx = (xs // C).astype(int) % N; fx = np.sin(np.pi * (xs % C) / C) ** 2
    S = signs.reshape(N, N)
    if os.environ.get('RP', 'smooth') == 'bump':
        return S[cy][:, cx] * fy[:, None] * fx[None, :]
    # smooth: cos^2 interpolation between cell centres (partition of unity)
    def axis(v):
        c = v / C - 0.5
        i0 = np.floor(c).astype(int)
        t = c - i0
        w1 = np.sin(np.pi * t / 2) ** 2
        return i0 % N, (i0 + 1) % N, 1 - w1, w1
    y0, y1, wy0, wy1 = axis(ys)
    x0, x1, wx0, wx1 = axis(xs)
    return (S[y0][:, x0] * wy0[:, None] * wx0[None, :] + S[y0][:, x1] * wy0[:, None] * wx1[None, :]
            + S[y1][:, x0] * wy1[:, None] * wx0[None, :] + S[y1][:, x1] * wy1[:, None] * wx1[None, :])


def embed(rgb, idbits, amp, flat=1.0, gain=1.5):
    h, w, _ = rgb.shape
    W = pattern(h, w, cell_signs(idbits))
    Y = luma(rgb.astype(np.float64))
    act = np.sqrt(np.maximum(nd.uniform_filter((Y - nd.uniform_filter(Y, 3)) ** 2, 7), 0))
    m = flat + np.minimum(act / 8.0, gain)
    d = amp * W * m
    return np.clip(np.rint(rgb + d[..., None]), 0, 255).astype(np.uint8)


DS = int(os.environ.get("RDS", 2))


def normalise(Y):
    h, w = Y.shape
    f = SHORT / DS / min(h, w)
    if abs(f - 1) < 1e-9:
        return Y
    if f < 1:
        # area-average
        nh, nw = int(round(h * f)), int(round(w * f))
        return np.array(Image.fromarray(Y.astype(np.float32), 'F').resize((nw, nh), Image.BOX))
    return np.array(Image.fromarray(Y.astype(np.float32), 'F').resize((int(round(w * f)), int(round(h * f))), Image.BILINEAR))


pilot_signs = np.zeros(N * N); pilot_signs[pilot_cells] = chips[pilot_cells]
PP = np.kron(pilot_signs.reshape(N, N), np.outer(bump1, bump1))
FPP = np.conj(np.fft.fft2(PP))
YI, XI = None, None


def fold_at(Wh, s):
    h, w = Wh.shape
    s = s / DS
    ty = (np.floor((np.arange(h) + 0.5) / s).astype(int)) % T
    tx = (np.floor((np.arange(w) + 0.5) / s).astype(int)) % T
    fold = np.zeros((T, T)); cnt = np.zeros((T, T))
    idx = (ty[:, None] * T + tx[None, :]).ravel()
    fold = np.bincount(idx, Wh.ravel(), T * T).reshape(T, T)
    cnt = np.bincount(idx, None, T * T).reshape(T, T)
    return fold / np.maximum(cnt, 1)


def sync(fold):
    X = np.real(np.fft.ifft2(np.fft.fft2(fold) * FPP))
    dy, dx = np.unravel_index(np.argmax(X), X.shape)
    z = (X[dy, dx] - X.mean()) / X.std()
    return z, dy, dx


def decode(fold, dy, dx):
    al = np.roll(fold, (-dy, -dx), axis=(0, 1))
    cells = (al.reshape(N, C, N, C) * bump1[None, :, None, None] * bump1[None, None, None, :]).sum(axis=(1, 3)).ravel()
    soft = cells[data_cells] * chips[data_cells]
    acc = np.zeros(CODED); np.add.at(acc, cell_coded, soft)
    acc /= (np.abs(acc).mean() + 1e-12)
    info = viterbi(acc)
    idb, tg = info[:ID_BITS], info[ID_BITS:]
    ok = np.array_equal(tag(idb), tg)
    return idb, ok


def detect(rgb, med=int(os.environ.get("RMED", 7)), clip=4, z_min=4.0):
    Y = normalise(luma(rgb.astype(np.float64)))
    D = Y - nd.median_filter(Y, med)
    mode = os.environ.get('RW', 'tri')
    if mode == 'clip':
        Wh = np.clip(D, -clip, clip)
    elif mode == 'zero':
        Wh = np.where(np.abs(D) > clip * 1.5, 0.0, np.clip(D, -clip, clip))
    else:
        a = np.abs(D)
        Wh = np.where(a <= clip, D, np.sign(D) * np.maximum(0, 2 * clip - a))
    best = []
    for s in np.arange(0.985, 1.27, 0.0075):
        z, dy, dx = sync(fold_at(Wh, s))
        best.append((z, s, dy, dx))
    best.sort(reverse=True)
    tried = 0
    for z, s, dy, dx in best[:3]:
        # refine
        cands = [(z, s, dy, dx)]
        for ds in (-0.003, 0.003):
            f = fold_at(Wh, s + ds); z2, dy2, dx2 = sync(f); cands.append((z2, s + ds, dy2, dx2))
        z, s, dy, dx = max(cands)
        if z < z_min:
            continue
        tried += 1
        idb, ok = decode(fold_at(Wh, s), dy, dx)
        if ok:
            return dict(id=idb, z=round(z, 1), s=round(s, 4), shift=(int(dy), int(dx)), tried=tried)
    return dict(id=None, z=round(best[0][0], 1), s=round(best[0][1], 4), tried=tried)


def jpeg(rgb, q):
    b = io.BytesIO(); Image.fromarray(rgb).save(b, 'JPEG', quality=q); b.seek(0)
    return np.array(Image.open(b).convert('RGB'))


def webp(rgb, q):
    b = io.BytesIO(); Image.fromarray(rgb).save(b, 'WEBP', quality=q); b.seek(0)
    return np.array(Image.open(b).convert('RGB'))


def resize(rgb, f):
    h, w, _ = rgb.shape
    return np.array(Image.fromarray(rgb).resize((round(w * f), round(h * f)), Image.BICUBIC if f > 1 else Image.LANCZOS))


def crop(rgb, l=0, t=0, r=0, b=0):
    h, w, _ = rgb.shape
    return rgb[t:h - b, l:w - r]


def psnr(a, b):
    mse = np.mean((a.astype(float) - b.astype(float)) ** 2)
    return 10 * np.log10(255 ** 2 / mse)


def cases(m):
    w, h = m.shape[1], m.shape[0]
    return [
        ('identity', lambda: m),
        ('jpeg95', lambda: jpeg(m, 95)), ('jpeg75', lambda: jpeg(m, 75)), ('jpeg50', lambda: jpeg(m, 50)),
        ('webp80', lambda: webp(m, 80)), ('webp50', lambda: webp(m, 50)),
        ('x0.5', lambda: resize(m, .5)), ('x0.75', lambda: resize(m, .75)), ('x1.37', lambda: resize(m, 1.37)),
        ('x2', lambda: resize(m, 2)), ('x3', lambda: resize(m, 3)),
        ('crop4', lambda: crop(m, 4, 4, 4, 4)), ('cropL10', lambda: crop(m, l=w // 10)),
        ('cropT10', lambda: crop(m, t=h // 10)), ('cropTB10', lambda: crop(m, t=h // 10, b=h // 10)),
        ('cropAll10', lambda: crop(m, w // 10, h // 10, w // 10, h // 10)),
        ('2x+jpeg80', lambda: jpeg(resize(m, 2), 80)), ('3x+jpeg80', lambda: jpeg(resize(m, 3), 80)),
        ('0.75x+crop+jpeg75', lambda: jpeg(crop(resize(m, .75), 30, 15), 75)),
        ('0.5x+jpeg75', lambda: jpeg(resize(m, .5), 75)),
        ('crop10+jpeg50', lambda: jpeg(crop(m, w // 10, h // 10), 50)),
        ('webp50+x1.3', lambda: resize(webp(m, 50), 1.3)),
    ]


if __name__ == '__main__':
    amp = float(sys.argv[1]) if len(sys.argv) > 1 else 1.8
    path = sys.argv[2] if len(sys.argv) > 2 else 'minted.png'
    src = np.array(Image.open(path).convert('RGB'))
    idbits = np.random.default_rng(7).integers(0, 2, ID_BITS)
    t = time.time(); m = embed(src, idbits, amp); te = time.time() - t
    Image.fromarray(m).save('marked2.png')
    print('PSNR %.2f dB, embed %.0f ms, coded %d bits in %d data cells' % (psnr(src, m), te * 1000, CODED, len(data_cells)))
    ok_all = 0
    cs = cases(m)
    for name, f in cs:
        img = f()
        t = time.time(); r = detect(img); td = time.time() - t
        good = r['id'] is not None and np.array_equal(r['id'], idbits)
        ok_all += good
        print('%-20s %-4s z=%5.1f s=%.4f tried=%d  %4.0f ms' % (name, 'OK' if good else 'FAIL', r['z'], r['s'], r['tried'], td * 1000))
    r = detect(src)
    print('%-20s %s z=%.1f' % ('UNMARKED', 'none' if r['id'] is None else 'FALSE POSITIVE', r['z']))
    print('survived %d/%d' % (ok_all, len(cs)))
