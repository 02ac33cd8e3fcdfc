#!/usr/bin/python3
"""Float64 reference values of every readout, for every shared net and tap, on a few LIVE JPEG pairs
at their full size. The tests (ReadoutReferenceTest) hold the extract path to these values.

It shares nothing with the project but the model files: images are decoded by PIL, the nets run in
Debian's torch in float64 (`model.double()`, on the same u8 / 255 input), and every readout is
written out here from its definition with float64 sums. The project runs the nets in float32, as
the model-file contract says; the float32 forward's own effect on the readouts is printed per net
(torch's float32 forward, float64 readouts, against this reference), so the share of the 1e-4
tolerance that the engine's float32 arithmetic takes is on record.

usage: /usr/bin/python3 tools/readout_reference.py SHARED_DIR OUT.csv
(Debian's python3-torch and python3-pil; seconds to a minute per net on one core.)
"""
import csv
import json
import os
import sys

import numpy as np
import torch
from PIL import Image

# Four pairs of three references: one reference with a mild and a strong distortion (one group, one
# batch), a portrait image, and one whose sides are not multiples of the nets' strides.
PAIRS = [("jpeg/img143.png", "refimgs/ocean.png"), ("jpeg/img164.png", "refimgs/ocean.png"),
         ("jpeg/img168.png", "refimgs/womanhat.png"), ("jpeg/img148.png", "refimgs/manfishing.png")]
# Which LPIPS channel-weights file goes with which net (readout "weighted" and its pseudo-tap "sum").
WEIGHTS = {"alexnet-imagenet": "lpips-alex-v0.1.json", "squeezenet1_1-imagenet": "lpips-squeeze-v0.1.json"}
UNIT_EPS = 1e-10
DISTS_C1 = DISTS_C2 = 1e-6


def image(path):
    """RGB in [0,1], [1,3,H,W], float64 (PIL decodes; u8 / 255)."""
    u8 = np.asarray(Image.open(path).convert("RGB"))
    return torch.from_numpy(u8.astype(np.float64) / 255.0).permute(2, 0, 1).unsqueeze(0)


def unit(x):
    return x / (x.pow(2).sum(0, keepdim=True).sqrt() + UNIT_EPS)


def readouts(a, b, weights):
    """All readouts of one tap, a and b float64 [C,H,W], written from their definitions."""
    c, h, w = a.shape
    p = h * w
    d = a - b
    out = {"l2": d.pow(2).sum().sqrt(), "mse": d.pow(2).sum() / (c * p)}
    du2 = (unit(a) - unit(b)).pow(2)  # [C,H,W]
    out["unit_l2"] = du2.sum(0).mean()
    if weights is not None:
        out["weighted"] = (du2 * weights.view(-1, 1, 1)).sum(0).mean()
    fa, fb = a.reshape(c, p), b.reshape(c, p)
    ma, mb = fa.mean(1), fb.mean(1)
    va, vb = fa.var(1, unbiased=False), fb.var(1, unbiased=False)
    out["mean_std"] = ((ma - mb).pow(2) + (va.sqrt() - vb.sqrt()).pow(2)).sum().sqrt()
    ga, gb = fa @ fa.T / p, fb @ fb.T / p
    out["gram"] = (ga - gb).pow(2).sum().sqrt()
    cov = ((fa - ma[:, None]) * (fb - mb[:, None])).mean(1)
    s1 = (2 * ma * mb + DISTS_C1) / (ma.pow(2) + mb.pow(2) + DISTS_C1)
    s2 = (2 * cov + DISTS_C2) / (va + vb + DISTS_C2)
    out["dists"] = 1 - ((s1 + s2) / 2).mean()
    va_, vb_ = a.flatten(), b.flatten()
    out["cosine"] = 1 - (va_ @ vb_) / (va_.norm() * vb_.norm())
    return {k: float(v) for k, v in out.items()}


def main(shared, out_path):
    torch.set_num_threads(1)
    live = os.path.join(shared, "data", "live-jpeg")
    models = os.path.join(shared, "models")
    nets = sorted(f[:-3] for f in os.listdir(models) if f.endswith(".pt"))
    paths = sorted({p for pair in PAIRS for p in pair})
    images = {p: image(os.path.join(live, p)) for p in paths}
    rows = []
    for net in nets:
        card = json.load(open(os.path.join(models, net + ".json")))
        taps = [t["name"] for t in card["taps"]]
        model = torch.jit.load(os.path.join(models, net + ".pt")).eval()
        weights = None
        if net in WEIGHTS:
            w = json.load(open(os.path.join(models, WEIGHTS[net])))["taps"]
            weights = {t: torch.tensor(v, dtype=torch.float64) for t, v in w.items()}
        with torch.no_grad():
            # A net that cannot run in float64 (float32 constants inside) fails here: no silent fallback.
            acts = {p: [t[0] for t in model.double()(images[p])] for p in paths}
            model32 = torch.jit.load(os.path.join(models, net + ".pt")).eval()
            acts32 = {p: [t[0].double() for t in model32(images[p].float())] for p in paths}
        worst32 = 0.0
        for dist, ref in PAIRS:
            lpips = 0.0
            for i, tap in enumerate(taps):
                tap_w = weights.get(tap) if weights else None
                values = readouts(acts[ref][i], acts[dist][i], tap_w)
                v32 = readouts(acts32[ref][i], acts32[dist][i], tap_w)
                worst32 = max(worst32, max(abs(v32[k] - values[k]) / abs(values[k]) for k in values))
                for readout, value in values.items():
                    rows.append((net, dist, ref, tap, readout, value))
                if tap_w is not None:
                    lpips += values["weighted"]
            if weights:
                rows.append((net, dist, ref, "sum", "weighted", lpips))
        print(f"{net}: float32 forward vs this reference, largest relative readout difference {worst32:.2e}")
    with open(out_path, "w", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["net", "dist", "ref", "tap", "readout", "value"])
        for r in rows:
            out.writerow(list(r[:5]) + [repr(r[5])])
    print(f"{len(rows)} values of {len(nets)} nets on {len(PAIRS)} pairs -> {out_path}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
