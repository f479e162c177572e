#!/usr/bin/python3
"""Writes torch_residual_bn.json: the reference for core/residual's batch
normalization (forward and hand-written backprop) and for the optimizers on a
net with BN, computed by PyTorch 1.13 in float64.

The net is residual.Net with BN (residual.NewBNNet): input layer 2 → width,
`depth` blocks of two width×width layers and an output layer width → 2; every
linear layer but the output layer has no bias and is followed by
torch.nn.BatchNorm1d(width) (eps 1e-5) in training mode, before its ReLU:

  h = relu(bn0(W0 x))
  plain block:    h → relu(bn2(W2 relu(bn1(W1 h))))
  residual block: h → relu(h + bn2(W2 relu(bn1(W1 h))))
  logits = W_out h + b_out, mean softmax cross-entropy.

Weights come from nn.Linear's default init under a fixed seed; BN's γ and β
are drawn away from their defaults (1, 0) so that their gradients and roles
are exercised. Everything is stored (weights out×in, as nn.Linear.weight)
together with the batch, so the Go test rebuilds exactly this net.

Recorded for the plain and the residual net: the logits, the loss and every
gradient (W, γ, β, and the output layer's b) at those parameters, and the
losses and parameters after three steps of SGD(lr, momentum=0.9) and of
Adam(lr) on the same batch.

Run: /usr/bin/python3 gen_torch_residual_bn.py   (from this directory)
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
        self.layers = nn.ModuleList([nn.Linear(2, width, bias=False)])
        self.bns = nn.ModuleList([nn.BatchNorm1d(width)])
        for _ in range(2 * depth):
            self.layers.append(nn.Linear(width, width, bias=False))
            self.bns.append(nn.BatchNorm1d(width))
        self.out = nn.Linear(width, 2)

    def forward(self, x):
        h = F.relu(self.bns[0](self.layers[0](x)))
        for k in range(DEPTH):
            i1, i2 = 1 + 2 * k, 2 + 2 * k
            u = F.relu(self.bns[i1](self.layers[i1](h)))
            f = self.bns[i2](self.layers[i2](u))
            h = F.relu(h + f) if self.residual else F.relu(f)
        return self.out(h)


def flat(t):
    return t.detach().reshape(-1).tolist()


def params(net):
    return {
        "w": [flat(l.weight) for l in net.layers] + [flat(net.out.weight)],
        "gamma": [flat(b.weight) for b in net.bns],
        "beta": [flat(b.bias) for b in net.bns],
        "b_out": flat(net.out.bias),
    }


def record(net, x, y):
    out = {}
    net.train()
    net.zero_grad()
    logits = net(x)
    loss = F.cross_entropy(logits, y)
    loss.backward()
    out["logits"] = flat(logits)
    out["loss"] = loss.item()
    out["grad_w"] = [flat(l.weight.grad) for l in net.layers] + [flat(net.out.weight.grad)]
    out["grad_gamma"] = [flat(b.weight.grad) for b in net.bns]
    out["grad_beta"] = [flat(b.bias.grad) for b in net.bns]
    out["grad_b_out"] = flat(net.out.bias.grad)
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
        run = {"losses": losses, "final_loss": F.cross_entropy(net(x), y).item()}
        run.update(params(net))
        out[name] = run
    net.load_state_dict(state)
    return out


def main():
    torch.set_default_dtype(torch.float64)
    torch.manual_seed(20261201)
    x = torch.randn(BATCH, 2)
    y = torch.randint(0, 2, (BATCH,))
    plain = Net(DEPTH, WIDTH, residual=False)
    with torch.no_grad():
        for b in plain.bns:
            b.weight.uniform_(0.5, 1.5)
            b.bias.normal_(0, 0.3)
    res = Net(DEPTH, WIDTH, residual=True)
    res.load_state_dict(plain.state_dict())
    fixture = {
        "torch": torch.__version__,
        "depth": DEPTH, "width": WIDTH, "batch": BATCH, "eps": plain.bns[0].eps,
        "params": sum(p.numel() for p in plain.parameters()),
        "sgd_lr": SGD_LR, "adam_lr": ADAM_LR, "steps": STEPS,
        "x": flat(x), "y": y.tolist(),
        "plain": record(plain, x, y),
        "residual": record(res, x, y),
    }
    fixture.update(params(plain))
    with open("torch_residual_bn.json", "w") as f:
        json.dump(fixture, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
