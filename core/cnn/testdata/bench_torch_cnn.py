#!/usr/bin/python3
"""Times torch.nn.functional.conv2d in float64 on one thread at the shapes of
core/cnn's BenchmarkConv (same names), forward and forward + backward (input and
weight gradients), and prints GFLOP/s of process CPU time (user+sys,
time.process_time) and of wall time, best of 5 rounds after a warm-up.

Usage (torch on OpenBLAS, one thread):
  OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 /usr/bin/python3 bench_torch_cnn.py
Debian's torch uses whichever libblas.so.3 the alternatives point to; to time it
on OpenBLAS without switching them, unpack libopenblas0-pthread (apt-get download,
dpkg -x) and put its openblas-pthread directory first in LD_LIBRARY_PATH.
"""
import time

import torch
import torch.nn.functional as F

SHAPES = [  # name, n, cin, h, w, cout, k, stride, pad, dilation, groups
    ("featuremap-1x28-k3", 1, 1, 28, 28, 1, 3, 1, 1, 1, 1),
    ("stem-1to8-k5", 1, 1, 28, 28, 8, 5, 1, 2, 1, 1),
    ("mix-8to16-1x1", 1, 8, 28, 28, 16, 1, 1, 0, 1, 1),
    ("conv-16to32-k3", 1, 16, 28, 28, 32, 3, 1, 1, 1, 1),
    ("conv-16to32-k3-s2", 1, 16, 28, 28, 32, 3, 2, 1, 1, 1),
    ("direct-192to32-k5", 1, 192, 28, 28, 32, 5, 1, 2, 1, 1),
    ("reduce-192to16-1x1", 1, 192, 28, 28, 16, 1, 1, 0, 1, 1),
    ("after-16to32-k5", 1, 16, 28, 28, 32, 5, 1, 2, 1, 1),
    ("resnet20-b64-16to16-k3", 64, 16, 14, 14, 16, 3, 1, 1, 1, 1),
]


def timed(fn, flop):
    for _ in range(3):
        fn()
    # Rounds of about 0.2 s.
    t0 = time.perf_counter()
    fn()
    once = max(time.perf_counter() - t0, 1e-6)
    reps = max(1, int(0.2 / once))
    wall = cpu = float("inf")
    for _ in range(5):
        t0, c0 = time.perf_counter(), time.process_time()
        for _ in range(reps):
            fn()
        wall = min(wall, (time.perf_counter() - t0) / reps)
        cpu = min(cpu, (time.process_time() - c0) / reps)
    return flop / cpu / 1e9, flop / wall / 1e9, cpu * 1e6


def main():
    torch.set_num_threads(1)
    torch.manual_seed(1)
    print(f"torch {torch.__version__}, threads={torch.get_num_threads()}, float64")
    print(f"{'shape':28s} {'pass':7s} {'cpu GFLOP/s':>12s} {'wall GFLOP/s':>13s} {'cpu µs':>10s}")
    for name, n, cin, h, w, cout, k, s, p, d, g in SHAPES:
        x = torch.randn(n, cin, h, w, dtype=torch.float64)
        wt = torch.randn(cout, cin // g, k, k, dtype=torch.float64)
        b = torch.randn(cout, dtype=torch.float64)
        y = F.conv2d(x, wt, b, s, p, d, g)
        macs = y.numel() * (cin // g) * k * k
        dy = torch.randn_like(y)
        xg, wg, bg = x.clone().requires_grad_(), wt.clone().requires_grad_(), b.clone().requires_grad_()

        def fwd():
            with torch.no_grad():
                F.conv2d(x, wt, b, s, p, d, g)

        def fwdbwd():
            xg.grad = wg.grad = bg.grad = None
            F.conv2d(xg, wg, bg, s, p, d, g).backward(dy)

        for pass_, fn, flop in (("fwd", fwd, 2 * macs), ("fwdbwd", fwdbwd, 6 * macs)):
            c, wl, us = timed(fn, flop)
            print(f"{name:28s} {pass_:7s} {c:12.2f} {wl:13.2f} {us:10.1f}")


if __name__ == "__main__":
    main()
