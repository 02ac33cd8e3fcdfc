#!/usr/bin/env python3
"""Baseline of PerceptSweep's benchmark 2: the same TorchScript run by Python torch in a tight loop.

Reads the forward batches the Java benchmark wrote (tensor file: int32 little-endian group count,
per group the batch count, per batch n, h, w and n*3*h*w float32 values), forwards every batch of
every group with torch.jit.load(MODEL) under torch.inference_mode(), on THREADS Python threads that
each take whole groups in order, with one intra-op thread each (torch.set_num_threads(1)): the same
layout as the Java side, one libtorch thread per worker. Prints one JSON line:
{"torch": version, "images": per run, "seconds": [...], "warmups": W, "threads": T, "graph_optimizer": on|off}.

The graph executor optimizer (profiling, fusion) is on by default in torch and off by default in
PerceptSweep's DJL side; --graph-optimizer off|on sets it in each worker thread, so both sides can
run with the same setting.

Usage: bench_torch.py --model NAME.pt --tensors FILE --threads T --runs R [--warmups W] [--graph-optimizer on|off]
Exits 3 with a message on stderr when torch cannot be imported.
"""
import argparse
import json
import struct
import sys
import threading
import time


def read_groups(path, torch):
    with open(path, "rb") as f:
        data = f.read()
    pos = 0

    def word():
        nonlocal pos
        (v,) = struct.unpack_from("<i", data, pos)
        pos += 4
        return v

    groups = []
    for _ in range(word()):
        batches = []
        for _ in range(word()):
            n, h, w = word(), word(), word()
            count = n * 3 * h * w
            t = torch.frombuffer(bytearray(data[pos:pos + 4 * count]), dtype=torch.float32)
            pos += 4 * count
            batches.append(t.reshape(n, 3, h, w))
        groups.append(batches)
    if pos != len(data):
        raise SystemExit("tensor file %s has %d trailing bytes" % (path, len(data) - pos))
    return groups


def one_run(model, groups, threads, torch, optimize):
    nxt = [0]
    lock = threading.Lock()
    counts = [0] * threads

    def worker(k):
        # The graph executor's optimizer switch is per thread (like DJL's), so it is set in each worker.
        with torch.jit.optimized_execution(optimize), torch.inference_mode():
            while True:
                with lock:
                    g = nxt[0]
                    nxt[0] += 1
                if g >= len(groups):
                    return
                for b in groups[g]:
                    model(b)
                    counts[k] += b.shape[0]

    ts = [threading.Thread(target=worker, args=(k,)) for k in range(threads)]
    t0 = time.perf_counter()
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return time.perf_counter() - t0, sum(counts)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", required=True)
    p.add_argument("--tensors", required=True)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--warmups", type=int, default=1)
    p.add_argument("--graph-optimizer", choices=["on", "off"], default="on",
                   help="TorchScript graph executor optimizer in each worker thread (torch.jit.optimized_execution)")
    a = p.parse_args()
    try:
        import torch
    except Exception as e:  # noqa: BLE001 - any import failure means "no torch here"
        print("bench_torch.py: cannot import torch (%s); install Debian's python3-torch" % e, file=sys.stderr)
        sys.exit(3)
    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    model = torch.jit.load(a.model, map_location="cpu").eval()
    groups = read_groups(a.tensors, torch)
    seconds = []
    images = 0
    for r in range(a.warmups + a.runs):
        s, images = one_run(model, groups, a.threads, torch, a.graph_optimizer == "on")
        if r >= a.warmups:
            seconds.append(s)
        print("  torch %s: %.3f s (%d)" % ("warm-up" if r < a.warmups else "run %d" % (r - a.warmups + 1), s, images),
              file=sys.stderr, flush=True)
    print(json.dumps({"torch": torch.__version__, "images": images, "seconds": seconds,
                      "warmups": a.warmups, "threads": a.threads, "graph_optimizer": a.graph_optimizer}))


if __name__ == "__main__":
    main()
