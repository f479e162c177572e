#!/usr/bin/python3
"""Writes torch_residual.json: the reference for core/residual's backprop and
optimizers, computed by PyTorch 1.13 in float64.

The net is the same as residual.Net: input layer 2 → width with ReLU, `depth`
blocks of two width×width layers (plain: h → relu(W2 relu(W1 h + b1) + b2);
residual: h → relu(h + W2 relu(W1 h + b1) + b2)), output layer width → 2,
mean softmax cross-entropy. Weights come from nn.Linear's default init under a
fixed seed and are stored (out×in, as nn.Linear.weight) together with the batch,
so the Go test rebuilds exactly this net.

Recorded for the plain and the residual net: the loss and every gradient at
those weights, and the losses and parameters of three steps of
SGD(lr, momentum=0.9) and of Adam(lr) on the same batch.

Run: /usr/bin/python3 gen_torch_residual.py   (from this directory)
"""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

DEPTH, WIDTH, BATCH = 3, 6, 10
SGD_LR, ADAM_LR, STEPS = 0.1, 0.01, 3


class Net(nn.Module):
    def __init__(self, depth, width, residual):
        super().__init__()
        self.residual = residual
        self.layers = nn.ModuleList([nn.Linear(2, width)])
        for _ in range(2 * depth):
            self.layers.append(nn.Linear(width, width))
        self.layers.append(nn.Linear(width, 2))

    def forward(self, x):
        h = F.relu(self.layers[0](x))
        for k in range(DEPTH):
            l1, l2 = self.layers[1 + 2 * k], self.layers[2 + 2 * k]
            f = l2(F.relu(l1(h)))
            h = F.relu(h + f) if self.residual else F.relu(f)
        return self.layers[-1](h)


def flat(t):
    return t.detach().reshape(-1).tolist()


def record(net, x, y):
    out = {}
    net.zero_grad()
    loss = F.cross_entropy(net(x), y)
    loss.backward()
    out["loss"] = loss.item()
    out["grad_w"] = [flat(l.weight.grad) for l in net.layers]
    out["grad_b"] = [flat(l.bias.grad) for l in net.layers]
    state = {k: v.clone() for k, v in net.state_dict().items()}
    for name, make in (("sgd", lambda p: torch.optim.SGD(p, lr=SGD_LR, momentum=0.9)),
                       ("adam", lambda p: torch.optim.Adam(p, lr=ADAM_LR))):
        net.load_state_dict(state)
        opt = make(net.parameters())
        losses = []
        for _ in range(STEPS):
            opt.zero_grad()
            loss = F.cross_entropy(net(x), y)
            loss.backward()
            opt.step()
            losses.append(loss.item())
        out[name] = {
            "losses": losses,
            "final_loss": F.cross_entropy(net(x), y).item(),
            "w": [flat(l.weight) for l in net.layers],
            "b": [flat(l.bias) for l in net.layers],
        }
    net.load_state_dict(state)
    return out


def main():
    torch.set_default_dtype(torch.float64)
    torch.manual_seed(20240611)
    x = torch.randn(BATCH, 2)
    y = torch.randint(0, 2, (BATCH,))
    plain = Net(DEPTH, WIDTH, residual=False)
    res = Net(DEPTH, WIDTH, residual=True)
    res.load_state_dict(plain.state_dict())
    fixture = {
        "torch": torch.__version__,
        "depth": DEPTH, "width": WIDTH, "batch": BATCH,
        "params": sum(p.numel() for p in plain.parameters()),
        "sgd_lr": SGD_LR, "adam_lr": ADAM_LR, "steps": STEPS,
        "x": flat(x), "y": y.tolist(),
        "w": [flat(l.weight) for l in plain.layers],
        "b": [flat(l.bias) for l in plain.layers],
        "plain": record(plain, x, y),
        "residual": record(res, x, y),
    }
    with open("torch_residual.json", "w") as f:
        json.dump(fixture, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
