#!/usr/bin/python3
"""Writes torch_pool.json: output sizes of torch.nn.MaxPool2d and AvgPool2d
(with and without ceil_mode) over a grid, and whether torch raises.

Run with Debian's PyTorch: /usr/bin/python3 testdata/gen_torch_pool.py
Each case is [op (0 = max, 1 = avg), h, w, k, stride, pad, ceil, out_h, out_w, ok];
out_h and out_w are 0 when torch raised (ok = 0).
"""
import itertools
import json
import os

import torch
import torch.nn as nn

torch.set_grad_enabled(False)
cases = []
for op, h, k, s, p, ceil in itertools.product([0, 1], range(1, 13), [1, 2, 3, 5], [1, 2, 3], [0, 1, 2], [0, 1]):
    w = h + 3
    cls = nn.MaxPool2d if op == 0 else nn.AvgPool2d
    try:
        y = cls(k, stride=s, padding=p, ceil_mode=bool(ceil))(torch.zeros(1, 2, h, w))
        cases.append([op, h, w, k, s, p, ceil, y.shape[2], y.shape[3], 1])
    except RuntimeError:
        cases.append([op, h, w, k, s, p, ceil, 0, 0, 0])
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "torch_pool.json")
with open(path, "w") as f:
    f.write('{"torch": %s,\n"cases": [\n' % json.dumps(torch.__version__))
    f.write(",\n".join(json.dumps(c, separators=(",", ":")) for c in cases))
    f.write("\n]}\n")
print(len(cases), "cases;", sum(c[-1] for c in cases), "valid")
