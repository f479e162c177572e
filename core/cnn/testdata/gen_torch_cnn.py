#!/usr/bin/python3
"""Writes torch_cnn.json: outputs and gradients of PyTorch 1.13 (float64, CPU) for
core/cnn's layers, over random shapes (odd sizes, stride > kernel, dilation,
groups, ceil_mode, padding). Usage: /usr/bin/python3 gen_torch_cnn.py

The inputs are not stored: every tensor is filled, in torch's order (NCHW,
row-major), from lcg(seed), a 64-bit linear congruential generator whose values
(top 24 bits, scaled to [-1, 1)) are exact in float64, and which the Go test
repeats. Each case records the seeds it used.
"""
import json
import random

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
MASK = (1 << 64) - 1


def lcg(seed, n):
    s = (seed * 0x9E3779B97F4A7C15 + 1) & MASK
    out = []
    for _ in range(n):
        s = (s * 6364136223846793005 + 1442695040888963407) & MASK
        out.append((s >> 40) / float(1 << 23) - 1.0)
    return out


def filled(seed, *shape):
    n = 1
    for d in shape:
        n *= d
    return torch.tensor(lcg(seed, n)).reshape(shape)


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def out_size(i, k, s, p, d):
    return (i + 2 * p - d * (k - 1) - 1) // s + 1


def conv_cases(rng):
    # Fixed cases first: 1×1 convolutions read in place (with groups), and
    # shapes large enough for the kernel's 4×8 blocks; then random ones.
    fixed = [(2, 6, 8, 1, 1, 1, 1, 0, 1, 5, 7, True), (1, 6, 4, 2, 1, 1, 1, 0, 1, 3, 3, False),
             (2, 5, 8, 1, 3, 3, 1, 1, 1, 9, 9, True), (1, 4, 12, 1, 5, 5, 2, 2, 1, 11, 10, True)]
    cases = []
    seed = 1000
    while len(cases) < 30:
        g = rng.choice([1, 1, 1, 2, 3])
        cin = g * rng.randint(1, 3)
        cout = g * rng.randint(1, 3)
        kh, kw = rng.randint(1, 4), rng.randint(1, 4)
        s = rng.choice([1, 1, 2, 3, 5])
        p = rng.randint(0, 2)
        d = rng.choice([1, 1, 2, 3])
        h, w = rng.randint(1, 11), rng.randint(1, 11)
        n = rng.randint(1, 3)
        bias = rng.random() < 0.7
        if fixed:
            n, cin, cout, g, kh, kw, s, p, d, h, w, bias = fixed.pop(0)
        oh, ow = out_size(h, kh, s, p, d), out_size(w, kw, s, p, d)
        if oh < 1 or ow < 1:
            continue
        seed += 10
        x = filled(seed, n, cin, h, w).requires_grad_()
        wt = filled(seed + 1, cout, cin // g, kh, kw).requires_grad_()
        b = filled(seed + 2, cout).requires_grad_() if bias else None
        y = F.conv2d(x, wt, b, stride=s, padding=p, dilation=d, groups=g)
        dy = filled(seed + 3, *y.shape)
        y.backward(dy)
        cases.append(dict(n=n, cin=cin, cout=cout, h=h, w=w, kh=kh, kw=kw, stride=s, pad=p, dilation=d,
                          groups=g, bias=bias, seed=seed, out=list(y.shape), y=flat(y), dx=flat(x.grad),
                          dw=flat(wt.grad), db=flat(b.grad) if bias else None))
    return cases


def pool_cases(rng):
    cases = []
    seed = 5000
    while len(cases) < 16:
        avg = len(cases) % 2 == 1
        k = rng.randint(1, 4)
        s = rng.randint(1, 3)
        p = rng.randint(0, k // 2)
        ceil = rng.random() < 0.5
        inc = rng.random() < 0.5
        n, c, h, w = rng.randint(1, 2), rng.randint(1, 3), rng.randint(1, 10), rng.randint(1, 10)
        seed += 10
        x = filled(seed, n, c, h, w).requires_grad_()
        try:
            if avg:
                y = F.avg_pool2d(x, k, s, p, ceil_mode=ceil, count_include_pad=inc)
            else:
                y = F.max_pool2d(x, k, s, p, ceil_mode=ceil)
        except RuntimeError:
            continue
        if y.numel() == 0:
            continue
        dy = filled(seed + 1, *y.shape)
        y.backward(dy)
        cases.append(dict(avg=avg, k=k, stride=s, pad=p, ceil=ceil, include_pad=inc, n=n, c=c, h=h, w=w,
                          seed=seed, out=list(y.shape), y=flat(y), dx=flat(x.grad)))
    return cases


def bn_cases():
    cases = []
    seed = 7000
    for training, (n, c, h, w) in [(True, (2, 3, 4, 5)), (True, (3, 2, 1, 1)), (True, (1, 4, 3, 3)),
                                   (False, (2, 3, 4, 5)), (False, (1, 2, 3, 1))]:
        seed += 10
        bn = torch.nn.BatchNorm2d(c)
        with torch.no_grad():
            bn.weight.copy_(filled(seed, c))
            bn.bias.copy_(filled(seed + 1, c))
            bn.running_mean.copy_(filled(seed + 2, c))
            bn.running_var.copy_(filled(seed + 3, c).abs() + 0.5)
        bn.train(training)
        x = (3 * filled(seed + 4, n, c, h, w) + 1).requires_grad_()
        y = bn(x)
        dy = filled(seed + 5, n, c, h, w)
        y.backward(dy)
        cases.append(dict(training=training, n=n, c=c, h=h, w=w, seed=seed, y=flat(y), dx=flat(x.grad),
                          dweight=flat(bn.weight.grad), dbias=flat(bn.bias.grad),
                          running_mean=flat(bn.running_mean), running_var=flat(bn.running_var)))
    return cases


def net_case():
    """A small CNN end to end: conv → BN → ReLU → max pool → grouped, strided
    conv → ReLU → average pool (ceil) → global average pool → linear →
    cross-entropy, every gradient."""
    seed = 9000
    n = 3
    x = filled(seed, n, 1, 12, 11).requires_grad_()
    labels = [3, 0, 9]
    c1 = torch.nn.Conv2d(1, 4, 3, padding=1)
    bn = torch.nn.BatchNorm2d(4)
    c2 = torch.nn.Conv2d(4, 6, 3, stride=2, padding=1, dilation=1, groups=2, bias=False)
    fc = torch.nn.Linear(6, 10)
    with torch.no_grad():
        c1.weight.copy_(filled(seed + 1, 4, 1, 3, 3))
        c1.bias.copy_(filled(seed + 2, 4))
        bn.weight.copy_(filled(seed + 3, 4))
        bn.bias.copy_(filled(seed + 4, 4))
        c2.weight.copy_(filled(seed + 5, 6, 2, 3, 3))
        fc.weight.copy_(filled(seed + 6, 10, 6))
        fc.bias.copy_(filled(seed + 7, 10))
    h = F.relu(bn(c1(x)))
    h = F.max_pool2d(h, 2)
    h = F.relu(c2(h))
    h = F.avg_pool2d(h, 2, ceil_mode=True)
    h = F.adaptive_avg_pool2d(h, 1).flatten(1)
    logits = fc(h)
    loss = F.cross_entropy(logits, torch.tensor(labels))
    loss.backward()
    return dict(seed=seed, n=n, labels=labels, loss=float(loss), logits=flat(logits), dx=flat(x.grad),
                c1_dw=flat(c1.weight.grad), c1_db=flat(c1.bias.grad), bn_dw=flat(bn.weight.grad),
                bn_db=flat(bn.bias.grad), c2_dw=flat(c2.weight.grad), fc_dw=flat(fc.weight.grad),
                fc_db=flat(fc.bias.grad))


def main():
    rng = random.Random(24)
    out = dict(torch=torch.__version__, lcg_check=lcg(7, 4), conv=conv_cases(rng), pool=pool_cases(rng),
               bn=bn_cases(), net=net_case())
    with open("torch_cnn.json", "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
