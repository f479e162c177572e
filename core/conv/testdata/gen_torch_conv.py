#!/usr/bin/python3
"""Writes torch_conv.json: torch.nn.Conv2d's output shapes, parameter counts and
errors over a grid of configurations, plus one 1x1 convolution applied to a tensor.

Run with Debian's PyTorch: /usr/bin/python3 testdata/gen_torch_conv.py
Each case is [h, w, cin, cout, kh, kw, stride, pad, dilation, groups, bias,
out_h, out_w, params, macs, ok]; out_h..macs are 0 when torch raised (ok = 0).
MACs are computed here independently of the Go formula: the number of output
elements times the work per output element, y.numel() * kh*kw*cin/groups.
"""
import itertools
import json
import os

import torch
import torch.nn as nn

torch.set_grad_enabled(False)


def case(h, w, cin, cout, kh, kw, stride, pad, dil, groups, bias):
    row = [h, w, cin, cout, kh, kw, stride, pad, dil, groups, int(bias)]
    try:
        m = nn.Conv2d(cin, cout, (kh, kw), stride=stride, padding=pad,
                      dilation=dil, groups=groups, bias=bias)
        y = m(torch.zeros(1, cin, h, w))
    except (RuntimeError, ValueError):
        return row + [0, 0, 0, 0, 0]
    params = sum(p.numel() for p in m.parameters())
    macs = y.numel() * kh * kw * cin // groups
    return row + [y.shape[2], y.shape[3], params, macs, 1]


cases = []
# Geometry: every h, kernel, stride, padding and dilation (w and kw vary too).
for h, kh, stride, pad, dil in itertools.product(
        [1, 2, 3, 4, 5, 7, 8, 11], [1, 2, 3, 5, 7], [1, 2, 3], [0, 1, 2, 3], [1, 2, 3]):
    w, kw = 2 * h + 1, [3, 1, 2, 3, 5][[1, 2, 3, 5, 7].index(kh)]
    cases.append(case(h, w, 2, 3, kh, kw, stride, pad, dil, 1, True))
# Channels, groups and bias.
for cin, cout, groups, bias, (kh, kw) in itertools.product(
        [1, 2, 3, 4, 6, 8], [1, 2, 4, 6, 12], [1, 2, 3, 4], [False, True],
        [(1, 1), (3, 3), (3, 1), (1, 5)]):
    cases.append(case(6, 5, cin, cout, kh, kw, 1, 1, 1, groups, bias))
# Invalid values of each parameter (torch raises for each).
for kw in [dict(kh=0, kw=0), dict(stride=0), dict(pad=-1), dict(dil=0), dict(groups=0)]:
    a = dict(h=5, w=5, cin=2, cout=2, kh=3, kw=3, stride=1, pad=0, dil=1, groups=1, bias=True)
    a.update(kw)
    cases.append(case(**a))

# A 1x1 convolution with bias applied to a small tensor, in float64.
g = torch.Generator().manual_seed(7)
cin, cout, h, w = 3, 4, 2, 5
m = nn.Conv2d(cin, cout, 1).double()
with torch.no_grad():
    m.weight.copy_(torch.randn(cout, cin, 1, 1, generator=g, dtype=torch.float64))
    m.bias.copy_(torch.randn(cout, generator=g, dtype=torch.float64))
x = torch.randn(cin, h, w, generator=g, dtype=torch.float64)
y = m(x.unsqueeze(0))[0]
pointwise = {
    "cin": cin, "cout": cout, "h": h, "w": w,
    "weight": m.weight.reshape(cout, cin).flatten().tolist(),
    "bias": m.bias.tolist(),
    "input": x.flatten().tolist(),
    "output": y.flatten().tolist(),
}

out = {
    "torch": torch.__version__,
    "fields": ["h", "w", "cin", "cout", "kh", "kw", "stride", "pad", "dilation", "groups", "bias",
               "out_h", "out_w", "params", "macs", "ok"],
    "cases": cases,
    "pointwise": pointwise,
}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "torch_conv.json")
with open(path, "w") as f:
    f.write("{\n")
    f.write('"torch": %s,\n"fields": %s,\n"pointwise": %s,\n"cases": [\n' % (
        json.dumps(out["torch"]), json.dumps(out["fields"]), json.dumps(pointwise)))
    f.write(",\n".join(json.dumps(c, separators=(",", ":")) for c in cases))
    f.write("\n]\n}\n")
print(len(cases), "cases;", sum(c[-1] for c in cases), "valid")
