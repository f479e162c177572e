#!/usr/bin/python3
"""Writes torch_adaptive.json: a fixed small dataset and the weights PyTorch's
torch.optim.SGD/Adagrad/RMSprop/Adam reach on it, step by step, in float64.

Run with Debian's PyTorch: /usr/bin/python3 testdata/gen_torch_adaptive.py
(from core/adaptive). The Go test TestTorchFixture replays the same batches
with the package's update rules and compares the weights to 1e-9 relative.
"""
import json
import os

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)

N, D, BATCH, STEPS = 12, 4, 3, 20
FREQ = [0.9, 0.5, 0.25, 0.1]  # probability that each feature is non-zero

g = torch.Generator().manual_seed(20240601)
present = torch.rand(N, D, generator=g) < torch.tensor(FREQ)
present[5, 3] = True  # make sure the rarest feature occurs at least once
X = torch.randn(N, D, generator=g) * present
w_true = torch.tensor([1.0, -1.0, 1.0, -1.0])
y_lin = X @ w_true + 0.1 * torch.randn(N, generator=g)
y_log = (torch.rand(N, generator=g) < torch.sigmoid(X @ w_true)).double()
W0 = [0.3, -0.2, 0.1, 0.5]


def batch(t):
    """Rows used at step t (0-based): BATCH consecutive rows, cycling."""
    return [(BATCH * t + i) % N for i in range(BATCH)]


def loss_fn(task, z, y):
    if task == "linear":
        return 0.5 * ((z - y) ** 2).mean()
    return F.binary_cross_entropy_with_logits(z, y)


def make(opt, w, hp):
    if opt == "sgd":
        return torch.optim.SGD([w], lr=hp["lr"])
    if opt == "adagrad":
        return torch.optim.Adagrad([w], lr=hp["lr"], eps=hp["eps"])
    if opt == "rmsprop":
        return torch.optim.RMSprop([w], lr=hp["lr"], alpha=hp["alpha"], eps=hp["eps"])
    if opt == "adam":
        return torch.optim.Adam([w], lr=hp["lr"], betas=(hp["beta1"], hp["beta2"]), eps=hp["eps"])
    raise ValueError(opt)


CASES = []
for task, y in (("linear", y_lin), ("logistic", y_log)):
    for hp in (
        dict(lr=0.1, eps=1e-8, alpha=0.99, beta1=0.9, beta2=0.999),
        dict(lr=0.03, eps=1e-10, alpha=0.9, beta1=0.5, beta2=0.75),
    ):
        for opt in ("sgd", "adagrad", "rmsprop", "adam"):
            w = torch.tensor(W0, requires_grad=True)
            o = make(opt, w, hp)
            losses, weights = [], []
            for t in range(STEPS):
                rows = batch(t)
                o.zero_grad()
                loss = loss_fn(task, X[rows] @ w, y[rows])
                loss.backward()
                o.step()
                losses.append(loss.item())
                weights.append(w.detach().tolist())
            CASES.append(dict(task=task, optimizer=opt, hyper=hp, loss=losses, weights=weights))

out = dict(
    torch_version=torch.__version__,
    batch=BATCH,
    steps=STEPS,
    X=X.tolist(),
    y_linear=y_lin.tolist(),
    y_logistic=y_log.tolist(),
    w0=W0,
    cases=CASES,
)
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "torch_adaptive.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
print("wrote", path, len(CASES), "cases")
