#!/usr/bin/python3
"""Write torch_optim.json: trajectories of torch.optim optimizers on 2-D surfaces.

Run with Debian's PyTorch (float64 throughout, single-tensor code path):

    /usr/bin/python3 core/optim/testdata/gen_torch_optim.py

Gradients come from autograd on the surface's formula, so the fixture also
checks the Go package's closed-form gradients along every trajectory.
The Go test (optim_test.go) replays each case and compares every point.
"""
import json
import math
import os

import torch

torch.set_default_dtype(torch.float64)

A, B, ANGLE = 0.1, 2.0, 30.0


def quadratic(p):
    x, y = p[0], p[1]
    return A * x ** 2 + B * y ** 2


def rotated(p):
    x, y = p[0], p[1]
    t = math.radians(ANGLE)
    c, s = math.cos(t), math.sin(t)
    u, v = c * x + s * y, -s * x + c * y
    return A * u ** 2 + B * v ** 2


def rosenbrock(p):
    x, y = p[0], p[1]
    return (1 - x) ** 2 + 100 * (y - x ** 2) ** 2


def beale(p):
    x, y = p[0], p[1]
    return (1.5 - x + x * y) ** 2 + (2.25 - x + x * y ** 2) ** 2 + (2.625 - x + x * y ** 3) ** 2


SURFACES = {"quadratic": quadratic, "rotated": rotated, "rosenbrock": rosenbrock, "beale": beale}

CLASSES = {
    "sgd": torch.optim.SGD, "momentum": torch.optim.SGD, "nesterov": torch.optim.SGD,
    "adagrad": torch.optim.Adagrad, "rmsprop": torch.optim.RMSprop, "adadelta": torch.optim.Adadelta,
    "adam": torch.optim.Adam, "adamw": torch.optim.AdamW,
}

Q, R, RB, BE = (-5.0, -2.0), (-5.0, -2.0), (-1.5, 2.0), (1.0, 1.5)

# (optimizer, torch keyword arguments, surface, start). Keyword arguments not
# given take torch's defaults; the Go test checks that a zero Config field
# means the same default.
CASES = [
    ("sgd", dict(lr=0.4), "quadratic", Q),
    ("sgd", dict(lr=0.1, weight_decay=0.1), "rotated", R),
    ("sgd", dict(lr=0.01), "beale", BE),
    ("momentum", dict(lr=0.4, momentum=0.5), "quadratic", Q),
    ("momentum", dict(lr=0.1, momentum=0.9, dampening=0.3, weight_decay=0.05), "rotated", R),
    ("momentum", dict(lr=1e-3, momentum=0.9), "rosenbrock", RB),
    ("nesterov", dict(lr=0.3, momentum=0.8, nesterov=True), "quadratic", Q),
    ("nesterov", dict(lr=5e-4, momentum=0.9, nesterov=True, weight_decay=0.01), "rosenbrock", RB),
    ("adagrad", dict(lr=0.4), "quadratic", Q),
    ("adagrad", dict(lr=0.5, lr_decay=0.01, initial_accumulator_value=0.1, weight_decay=0.01, eps=1e-8), "rotated", R),
    ("adagrad", dict(lr=0.1), "rosenbrock", RB),
    ("rmsprop", dict(), "quadratic", Q),
    ("rmsprop", dict(lr=0.05, alpha=0.9, centered=True, momentum=0.5), "rotated", R),
    ("rmsprop", dict(lr=1e-3, momentum=0.9, weight_decay=0.01), "rosenbrock", RB),
    ("rmsprop", dict(lr=0.01, centered=True, eps=1e-6), "beale", BE),
    ("adadelta", dict(), "quadratic", Q),
    ("adadelta", dict(lr=2.0, rho=0.95, eps=1e-4, weight_decay=0.1), "rosenbrock", RB),
    ("adam", dict(lr=0.1), "quadratic", Q),
    ("adam", dict(lr=0.05, betas=(0.8, 0.99), amsgrad=True, weight_decay=0.1), "rotated", R),
    ("adam", dict(lr=0.01), "rosenbrock", RB),
    ("adam", dict(lr=0.1, betas=(0.0, 0.999)), "beale", BE),
    ("adamw", dict(lr=0.1), "quadratic", Q),
    ("adamw", dict(lr=0.05, weight_decay=0.5, amsgrad=True, eps=1e-6), "rotated", R),
]

STEPS = 50


def run(name, kwargs, surface, start):
    p = torch.tensor(start, requires_grad=True)
    opt = CLASSES[name]([p], foreach=False, **kwargs)
    f = SURFACES[surface]
    traj = [list(start)]
    for _ in range(STEPS):
        opt.zero_grad()
        f(p).backward()
        opt.step()
        traj.append([float(v) for v in p.detach()])
    return traj


def main():
    cases = []
    for name, kwargs, surface, start in CASES:
        kw = {k: (list(v) if isinstance(v, tuple) else v) for k, v in kwargs.items()}
        cases.append({"optimizer": name, "kwargs": kw, "surface": surface, "start": list(start),
                      "steps": STEPS, "trajectory": run(name, kwargs, surface, start)})
    out = {"torch": torch.__version__, "dtype": "float64", "a": A, "b": B, "angle": ANGLE, "cases": cases}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "torch_optim.json")
    with open(path, "w") as fh:
        fh.write("{\n")
        for k in ("torch", "dtype", "a", "b", "angle"):
            fh.write("%s: %s,\n" % (json.dumps(k), json.dumps(out[k])))
        fh.write('"cases": [\n')
        fh.write(",\n".join(json.dumps(c) for c in cases))
        fh.write("\n]}\n")


if __name__ == "__main__":
    main()
