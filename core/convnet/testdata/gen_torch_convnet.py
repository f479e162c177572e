#!/usr/bin/python3
"""Writes torch_convnet.json: three training steps of PyTorch 1.13 (float64, CPU) on
the networks core/convnet trains (torchnets.py), from parameters and batches that
both sides fill from the same generator, with BN in training mode; then the
running statistics and the logits of an evaluation batch in eval mode.

Usage: /usr/bin/python3 gen_torch_convnet.py

Per case: the parameters' names and shapes (model.named_parameters()), the loss
of each step, every gradient of the first step (before any update), every
parameter after the three SGD steps (lr 0.05, momentum 0.9, weight decay 5e-4),
the BN running means and variances after them, and the eval-mode logits.

Filling: value i of lcg(seed) is the generator's top 24 bits scaled to [-1, 1)
(exact in float64; the Go test repeats it). Parameter j (in named_parameters
order) is lcg(seed + j) times √(6/fan_in) for a weight with more than one
dimension (fan_in = its size over its first dimension), 1 + 0.2·lcg for a BN
weight, 0.1·lcg for any bias. Images are 28×28 with values (lcg + 1)/2, averaged
over 2×2 blocks for size 14; label i is ⌊5·(lcg_i + 1)⌋.
"""
import json
import math

import torch
import torch.nn.functional as F

from torchnets import build, prepare

torch.set_default_dtype(torch.float64)
MASK = (1 << 64) - 1


def lcg(seed, n):
    s = (seed * 0x9E3779B97F4A7C15 + 1) & MASK
    out = []
    for _ in range(n):
        s = (s * 6364136223846793005 + 1442695040888963407) & MASK
        out.append((s >> 40) / float(1 << 23) - 1.0)
    return out


def flat(ts):
    """The values of the tensors, rounded to 13 significant digits (5e-14
    relative: far inside the Go test's 1e-10)."""
    return [float("%.13g" % v) for t in ts for v in t.detach().reshape(-1).tolist()]


CASES = [
    dict(name="resnet-A-bn-s14", arch="resnet", n=1, width=2, size=14, bn=True, shortcut="A", reduce=True, batch=4),
    dict(name="bottleneck-A-bn-s14", arch="resnet", n=1, width=2, size=14, bn=True, shortcut="A", reduce=True, batch=4, block="bottleneck"),
    dict(name="bottleneck-B-bn-s14-n2", arch="resnet", n=2, width=2, size=14, bn=True, shortcut="B", reduce=True, batch=3, block="bottleneck"),
    dict(name="resnet-B-bn-s14", arch="resnet", n=1, width=2, size=14, bn=True, shortcut="B", reduce=True, batch=4),
    dict(name="resnet-A-bn-s28", arch="resnet", n=1, width=2, size=28, bn=True, shortcut="A", reduce=True, batch=3),
    dict(name="plain-nobn-s14", arch="plain", n=1, width=2, size=14, bn=False, shortcut="A", reduce=True, batch=4),
    dict(name="resnet-A-nobn-s14", arch="resnet", n=1, width=2, size=14, bn=False, shortcut="A", reduce=True, batch=4),
    dict(name="inception-bn-s14", arch="inception", n=0, width=2, size=14, bn=True, shortcut="A", reduce=True, batch=4),
    dict(name="inception-naive-nobn-s28", arch="inception", n=0, width=1, size=28, bn=False, shortcut="A", reduce=False, batch=2),
]


def run(case, seed):
    model = build(case["arch"], case["n"], case["width"], case["bn"], case["shortcut"], case["reduce"],
                  case.get("block", "basic")).double()
    names, shapes = [], []
    with torch.no_grad():
        for j, (name, p) in enumerate(model.named_parameters()):
            v = torch.tensor(lcg(seed + j, p.numel())).reshape(p.shape)
            if p.dim() > 1:
                v = v * math.sqrt(6 / (p.numel() // p.shape[0]))
            elif ".bn." in name and name.endswith("weight"):
                v = 1 + 0.2 * v
            else:
                v = 0.1 * v
            p.copy_(v)
            names.append(name)
            shapes.append(list(p.shape))
    b, size = case["batch"], case["size"]

    def batch(k):
        x = (torch.tensor(lcg(seed + 1000 + k, b * 28 * 28)).reshape(b, 1, 28, 28) + 1) / 2
        y = [min(9, int(5 * (v + 1))) for v in lcg(seed + 2000 + k, b)]
        return prepare(x, size), torch.tensor(y)

    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
    model.train()
    losses, grad0 = [], None
    for k in range(3):
        x, y = batch(k)
        opt.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        losses.append(loss.item())
        if k == 0:
            grad0 = flat([p.grad for p in model.parameters()])
        opt.step()
    bns = [m for m in model.modules() if isinstance(m, torch.nn.BatchNorm2d)]
    model.eval()
    x, _ = batch(3)
    with torch.no_grad():
        logits = model(x)
    losses = [float("%.13g" % v) for v in losses]
    return dict(case, block=case.get("block", "basic"), seed=seed, names=names, shapes=shapes, loss=losses, grad0=grad0,
                params3=flat(model.parameters()), running_mean=flat([m.running_mean for m in bns]),
                running_var=flat([m.running_var for m in bns]), eval_logits=flat([logits]))


def main():
    out = dict(torch=torch.__version__, lcg_check=lcg(7, 3), cases=[])
    for i, case in enumerate(CASES):
        out["cases"].append(run(case, 100 * (i + 1)))
    with open("torch_convnet.json", "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
