#!/usr/bin/python3
"""Times one PyTorch training step (forward + backward + SGD-momentum step) of the
plain and residual MLPs that core/residual trains, for comparison with Go's
BenchmarkStep. Usage: /usr/bin/python3 bench_torch_residual.py [threads]

With "loop" it instead times whole training loops, as `nnlab run residual` runs
them: /usr/bin/python3 bench_torch_residual.py loop DEPTH WIDTH BATCH STEPS [threads]
trains the plain and then the residual net in float64 for STEPS steps of SGD
(lr=0.05, momentum 0.9) with clip_grad_norm_(5), nnlab's defaults, and prints
the process CPU time (user+sys, time.process_time) and wall time of the two
loops together: the best of 3 rounds, each after 10 warm-up steps. The import
and the construction of the nets are not timed.

Shapes: depth=30 blocks of two width×width linear layers, width=32, batch=128,
input 2 → width, output width → 2, softmax cross-entropy; SGD lr=0.01 momentum=0.9;
weights from nn.Linear's default init (as residual's default init "torch").

Prints, per dtype and net, the best of 5 rounds of the wall time per step and the
process CPU time per step (the latter is steadier on a shared machine).
"""
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):
    def __init__(self, depth, width, residual):
        super().__init__()
        self.residual = residual
        self.inp = nn.Linear(2, width)
        self.blocks = nn.ModuleList()
        for _ in range(depth):
            self.blocks.append(nn.ModuleList([nn.Linear(width, width), nn.Linear(width, width)]))
        self.out = nn.Linear(width, 2)

    def forward(self, x):
        h = F.relu(self.inp(x))
        for l1, l2 in self.blocks:
            f = l2(F.relu(l1(h)))
            h = F.relu(h + f) if self.residual else F.relu(f)
        return self.out(h)


def bench(dtype, residual, threads, depth=30, width=32, batch=128, steps=300):
    torch.manual_seed(1)
    net = Net(depth, width, residual).to(dtype)
    opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
    x = torch.randn(batch, 2, dtype=dtype)
    y = torch.randint(0, 2, (batch,))

    def step():
        opt.zero_grad()
        loss = F.cross_entropy(net(x), y)
        loss.backward()
        opt.step()

    for _ in range(30):
        step()
    wall = cpu = float("inf")
    n = steps // 5
    for _ in range(5):
        t0, c0 = time.perf_counter(), time.process_time()
        for _ in range(n):
            step()
        wall = min(wall, (time.perf_counter() - t0) / n)
        cpu = min(cpu, (time.process_time() - c0) / n)
    return wall, cpu


def loop(depth, width, batch, steps, threads):
    torch.set_num_threads(threads)
    dtype = torch.float64
    nets = []
    for residual in (False, True):
        torch.manual_seed(1)
        net = Net(depth, width, residual).to(dtype)
        opt = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9)
        nets.append((net, opt))
    x = torch.randn(batch, 2, dtype=dtype)
    y = torch.randint(0, 2, (batch,))

    def train(n):
        for net, opt in nets:
            for _ in range(n):
                opt.zero_grad()
                loss = F.cross_entropy(net(x), y)
                loss.backward()
                torch.nn.utils.clip_grad_norm_(net.parameters(), 5.0)
                opt.step()

    train(10)
    wall = cpu = float("inf")
    for _ in range(3):
        t0, c0 = time.perf_counter(), time.process_time()
        train(steps)
        wall = min(wall, time.perf_counter() - t0)
        cpu = min(cpu, time.process_time() - c0)
    print(f"torch {torch.__version__} threads={threads} depth={depth} width={width} batch={batch} steps={steps}: "
          f"cpu {cpu:.3f} s, wall {wall:.3f} s (both nets, best of 3)")


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "loop":
        a = [int(v) for v in sys.argv[2:]]
        loop(a[0], a[1], a[2], a[3], a[4] if len(a) > 4 else 1)
        return
    threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    torch.set_num_threads(threads)
    print(f"torch {torch.__version__}, threads={torch.get_num_threads()}")
    for dtype in (torch.float32, torch.float64):
        for residual in (False, True):
            wall, cpu = bench(dtype, residual, threads)
            name = "residual" if residual else "plain"
            print(f"{str(dtype):14s} {name:8s} wall {wall * 1e3:7.3f} ms/step, cpu {cpu * 1e3:7.3f} ms/step")


if __name__ == "__main__":
    main()
