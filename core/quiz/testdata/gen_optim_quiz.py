"""Reference values for the optimizer quiz kinds (core/quiz/optim.go), from
PyTorch's own optimizers (torch 1.13, float64):

- momentum_step: torch.optim.SGD(momentum=μ, dampening=d) on a gradient that
  stays g; after 3000 steps the step divided by g is the effective learning
  rate lr·(1 − d)/(1 − μ);
- adam_step: torch.optim.Adam's first step on a constant gradient (with its
  bias correction), and the step without it, lr·m₁/(√v₁ + ε), from the
  optimizer's state after that step (exp_avg, exp_avg_sq);
- adagrad_rate: torch.optim.Adagrad on one weight given gradients; its
  effective learning rate lr/(√sum + ε) from the state after the last step,
  and the weight;
- momentum_limit: SGD (plain, heavy ball, Nesterov) on a·x² + b·y² from
  (−5, −2) at 0.97 and 1.03 times the stability limit the quiz answers:
  the distance to the minimum after 3000 steps, which must shrink below and
  grow above the limit.

Run: /usr/bin/python3 gen_optim_quiz.py > optim_quiz.json
"""
import json
import torch

torch.set_default_dtype(torch.float64)


def momentum_step(lr, mu, d, g=1.0, steps=3000):
    p = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([p], lr=lr, momentum=mu, dampening=d)
    prev = p.detach().clone()
    for _ in range(steps):
        opt.zero_grad()
        p.grad = torch.full((1,), g)
        opt.step()
        step = (prev - p.detach()).item()
        prev = p.detach().clone()
    return step / g


def adam_first(g, lr, b1, b2, eps=1e-8):
    p = torch.zeros(1, requires_grad=True)
    opt = torch.optim.Adam([p], lr=lr, betas=(b1, b2), eps=eps)
    p.grad = torch.full((1,), g)
    opt.step()
    st = opt.state[p]
    corrected = -p.detach().item()
    uncorrected = lr * st["exp_avg"].item() / (st["exp_avg_sq"].sqrt().item() + eps)
    return corrected, uncorrected


def adagrad(lr, gs, eps=1e-10):
    p = torch.zeros(1, requires_grad=True)
    opt = torch.optim.Adagrad([p], lr=lr, eps=eps)
    for g in gs:
        p.grad = torch.full((1,), g)
        opt.step()
    s = opt.state[p]["sum"].item()
    return lr / (s ** 0.5 + eps), p.detach().item()


def distance_after(a, b, lr, mu, nesterov, steps=3000):
    p = torch.tensor([-5.0, -2.0], requires_grad=True)
    opt = torch.optim.SGD([p], lr=lr, momentum=mu, nesterov=nesterov)
    coef = torch.tensor([2 * a, 2 * b])
    for _ in range(steps):
        opt.zero_grad()
        p.grad = coef * p.detach()
        opt.step()
        n = p.detach().norm().item()
        if n > 1e100:
            break
    return n


out = {"momentum_step": [], "adam_step": [], "adagrad_rate": [], "momentum_limit": []}
for lr in (0.01, 0.05, 0.2):
    for mu in (0.5, 0.9, 0.95):
        for d in (0.0, 0.5, mu):
            out["momentum_step"].append({"lr": lr, "momentum": mu, "dampening": d, "effective_lr": momentum_step(lr, mu, d)})
for g in (0.01, 0.5, 40.0):
    for lr in (0.001, 0.1):
        for b1, b2 in ((0.9, 0.999), (0.8, 0.99), (0.99, 0.9999)):
            c, u = adam_first(g, lr, b1, b2)
            out["adam_step"].append({"g": g, "lr": lr, "beta1": b1, "beta2": b2, "corrected": c, "uncorrected": u})
for lr in (0.01, 0.5):
    for gs in ((1.0, 1.0), (2.0, 2.0, 2.0, 2.0), (1.0, -2.0, 0.5), (2.0, 0.0, 0.0, 1.0, 0.0, -1.0)):
        eff, theta = adagrad(lr, gs)
        out["adagrad_rate"].append({"lr": lr, "g": list(gs), "eff_lr": eff, "theta": theta})
for a, b in ((0.1, 0.4), (0.25, 1.0), (0.05, 0.8)):
    for mu in (0.5, 0.9):
        lmax = 2 * max(a, b)
        for name, mom, nes, limit in (("gd", 0.0, False, 2 / lmax),
                                      ("heavy_ball", mu, False, (2 + 2 * mu) / lmax),
                                      ("nesterov", mu, True, (2 + 2 * mu) / ((1 + 2 * mu) * lmax))):
            out["momentum_limit"].append({"a": a, "b": b, "momentum": mu, "method": name, "limit": limit,
                                          "below": distance_after(a, b, 0.97 * limit, mom, nes),
                                          "above": distance_after(a, b, 1.03 * limit, mom, nes)})
print(json.dumps(out, indent=1))
