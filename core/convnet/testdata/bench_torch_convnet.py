#!/usr/bin/python3
"""Times one training step (forward, cross-entropy, backward, SGD with momentum 0.9
and weight decay 1e-4) of the networks core/convnet trains, in float64 on one
thread, for comparison with Go's BenchmarkStep (same names):

  OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 /usr/bin/python3 bench_torch_convnet.py [NAME…]

Debian's torch uses whichever libblas.so.3 the alternatives point to; to time it
on OpenBLAS without switching them, unpack libopenblas0-pthread (apt-get download,
dpkg -x) and put its openblas-pthread directory first in LD_LIBRARY_PATH.

Prints, per network, the process CPU time (user+sys, time.process_time) and the
wall time of one step: the best of 5 rounds of about 1 s each, after warm-up.
"""
import sys
import time

import torch
import torch.nn.functional as F

from torchnets import build

# name: arch, n, width, size, batch, bn, shortcut — the same as BenchmarkStep's.
NETS = {}
for size in (14, 28):
    for width in (8, 16, 32):
        NETS[f"resnet-n3-w{width}-s{size}-b64"] = ("resnet", 3, width, size, 64, True, "A")
NETS["plain-n3-w8-s14-b64"] = ("plain", 3, 8, 14, 64, True, "A")
NETS["resnet-n1-w8-s14-b64"] = ("resnet", 1, 8, 14, 64, True, "A")
NETS["inception-w8-s14-b64"] = ("inception", 0, 8, 14, 64, True, "A")
NETS["inception-w8-s28-b64"] = ("inception", 0, 8, 28, 64, True, "A")


def bench(arch, n, width, size, batch, bn, shortcut):
    torch.manual_seed(1)
    net = build(arch, n, width, bn, shortcut).double()
    net.train()
    opt = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9, weight_decay=1e-4)
    x = torch.rand(batch, 1, size, size, dtype=torch.float64)
    y = torch.randint(0, 10, (batch,))

    def step():
        opt.zero_grad()
        loss = F.cross_entropy(net(x), y)
        loss.backward()
        opt.step()

    for _ in range(5):
        step()
    t0 = time.perf_counter()
    step()
    once = max(time.perf_counter() - t0, 1e-6)
    reps = max(3, int(1.0 / once))
    cpu = wall = float("inf")
    for _ in range(5):
        t0, c0 = time.perf_counter(), time.process_time()
        for _ in range(reps):
            step()
        wall = min(wall, (time.perf_counter() - t0) / reps)
        cpu = min(cpu, (time.process_time() - c0) / reps)
    return cpu, wall


def main():
    torch.set_num_threads(1)
    names = sys.argv[1:] or list(NETS)
    print(f"torch {torch.__version__}, threads={torch.get_num_threads()}, float64")
    print(f"{'net':28s} {'cpu ms/step':>12s} {'wall ms/step':>13s}")
    for name in names:
        cpu, wall = bench(*NETS[name])
        print(f"{name:28s} {cpu * 1e3:12.2f} {wall * 1e3:13.2f}", flush=True)


if __name__ == "__main__":
    main()
