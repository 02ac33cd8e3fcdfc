#!/usr/bin/python3
"""Baseline of PerceptSweep's per-net benchmark (bench --only nets): what a user would write instead of
`extract` for one net over a full-reference set, in plain Python torch.

For each pairs file row (dist, ref), grouped by reference as a careful user would: decode every image
with PIL (convert("RGB"), u8 / 255), forward each reference once and each distorted image once
(batch 1, torch.inference_mode()), and compute the LIVE sweep's readouts on every tap (--readouts:
l2, unit_l2, mean_std, and weighted, the LPIPS weighted sum, with a channel-weights file), the
reference's unit vectors and moments once per reference. One process, torch.set_num_threads(T)
intra-op threads (the same cores as the Java side). The model is loaded once (timed apart); each
round decodes, forwards and reads out everything again. Prints one JSON line:
{"torch": version, "threads": T, "load_seconds": s, "images": forwards per round, "pairs": n,
 "seconds": [wall per round], "user_seconds": [...], "system_seconds": [...] (process CPU per round, user
 and kernel), "checksum": sum of all distances}.

usage: bench_nets.py --model NAME.pt --pairs PAIRS.csv [--readouts l2,unit_l2] [--weights W.json] [--threads 2]
                     [--runs 3] [--warmups 1]
PAIRS.csv: columns dist,ref (paths, absolute or relative to the CSV's folder); other columns ignored.
Exits 3 with a message on stderr when torch cannot be imported.
"""
import argparse
import csv
import json
import os
import sys
import time


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", required=True)
    p.add_argument("--pairs", required=True)
    p.add_argument("--weights")
    p.add_argument("--readouts", default="l2,unit_l2")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--warmups", type=int, default=1)
    a = p.parse_args()
    try:
        import numpy as np
        import torch
        from PIL import Image
    except Exception as e:  # noqa: BLE001 - any import failure means "no torch here"
        print("bench_nets.py: cannot import torch, numpy or PIL (%s); install Debian's python3-torch and "
              "python3-pil" % e, file=sys.stderr)
        sys.exit(3)
    readouts = a.readouts.split(",")
    unknown = set(readouts) - {"l2", "unit_l2", "mean_std", "weighted"}
    if unknown or ("weighted" in readouts) != bool(a.weights):
        print("bench_nets.py: --readouts takes l2, unit_l2, mean_std, weighted (weighted with --weights); got %s"
              % a.readouts, file=sys.stderr)
        sys.exit(2)
    torch.set_num_threads(a.threads)
    base = os.path.dirname(os.path.abspath(a.pairs))
    rows = [(os.path.join(base, r["dist"]), os.path.join(base, r["ref"])) for r in csv.DictReader(open(a.pairs))]
    rows.sort(key=lambda r: (r[1], r[0]))

    t = time.perf_counter()
    model = torch.jit.load(a.model, map_location="cpu").eval()
    load_seconds = time.perf_counter() - t
    weights = None
    if a.weights:
        w = json.load(open(a.weights))["taps"]
        weights = [torch.tensor(v, dtype=torch.float32).view(1, -1, 1, 1) for v in w.values()]

    def image(path):
        u8 = np.asarray(Image.open(path).convert("RGB"))
        return torch.from_numpy(u8.astype(np.float32) / 255.0).permute(2, 0, 1).unsqueeze(0)

    def unit(x):
        return x / (x.pow(2).sum(1, keepdim=True).sqrt() + 1e-10)

    def moments(x):
        return x.mean((2, 3)), x.var((2, 3), unbiased=False)

    def one_round():
        forwards, checksum = 0, 0.0
        with torch.inference_mode():
            ref_path, ref, ref_u, ref_m = None, None, None, None
            for dist_path, rpath in rows:
                if rpath != ref_path:
                    ref_path = rpath
                    ref = model(image(rpath))
                    ref_u = [unit(x) for x in ref] if "unit_l2" in readouts or "weighted" in readouts else None
                    ref_m = [moments(x) for x in ref] if "mean_std" in readouts else None
                    forwards += 1
                d = model(image(dist_path))
                forwards += 1
                for i, (x, y) in enumerate(zip(ref, d)):
                    if "l2" in readouts:
                        checksum += float(torch.linalg.vector_norm(x - y))
                    if ref_u is not None:
                        du = (ref_u[i] - unit(y)) ** 2
                        if "unit_l2" in readouts:
                            checksum += float(du.sum(1).mean())
                        if weights is not None and i < len(weights):
                            checksum += float((du * weights[i]).sum(1).mean())
                    if ref_m is not None:
                        (ma, va), (mb, vb) = ref_m[i], moments(y)
                        checksum += float(((ma - mb) ** 2 + (va.sqrt() - vb.sqrt()) ** 2).sum().sqrt())
        return forwards, checksum

    seconds, user, system, forwards, checksum = [], [], [], 0, 0.0
    for r in range(a.warmups + a.runs):
        t, c = time.perf_counter(), os.times()
        forwards, checksum = one_round()
        wall, d = time.perf_counter() - t, os.times()
        if r >= a.warmups:
            seconds.append(wall)
            user.append(d.user - c.user)
            system.append(d.system - c.system)
        print("  torch %s: %.2f s wall, %.2f s user, %.2f s kernel (%d forwards)" % (
            "warm-up" if r < a.warmups else "run %d" % (r - a.warmups + 1), wall, d.user - c.user,
            d.system - c.system, forwards), file=sys.stderr, flush=True)
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "load_seconds": load_seconds,
                      "images": forwards, "pairs": len(rows), "seconds": seconds, "user_seconds": user,
                      "system_seconds": system, "checksum": checksum}))


if __name__ == "__main__":
    main()
