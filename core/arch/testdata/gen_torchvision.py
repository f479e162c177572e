#!/usr/bin/python3
"""Writes torchvision.json: what torchvision's models report about themselves.

Run with Debian's PyTorch and torchvision 0.14: /usr/bin/python3 testdata/gen_torchvision.py

For each model (weights=None; googlenet with aux_logits=False, init_weights=False),
in eval mode on a 1x3x224x224 input:
  params   sum(p.numel() for p in model.parameters())
  buffers  sum(b.numel() for b in model.buffers())
  macs     multiply-accumulates of Conv2d and Linear layers, computed here from the
           hooked output shapes: out.numel() * in_channels/groups * kh * kw for a
           conv, out.numel() * in_features for a linear layer
  calls    every module call in the order forward pre-hooks fire (as torchinfo
           lists them): [dotted name, class name, output shape, parameters of the
           module including children, MACs of the call if conv/linear else 0]
For a few other input sizes only the top-level modules' output shapes and the
MACs are kept, and "probes" records whether a forward pass raises.
"""
import json
import os

import torch
import torchvision

torch.set_grad_enabled(False)


def build(name):
    if name == "googlenet":
        return torchvision.models.googlenet(weights=None, aux_logits=False, init_weights=False).eval()
    return getattr(torchvision.models, name)(weights=None).eval()


def trace(model, shape):
    calls, stack = [], []
    names = {m: n for n, m in model.named_modules() if n}

    def pre(m, inputs):
        calls.append([names[m], type(m).__name__, None, sum(p.numel() for p in m.parameters()), 0])
        stack.append(len(calls) - 1)

    def post(m, inputs, out):
        i = stack.pop()
        calls[i][2] = list(out.shape)
        if isinstance(m, torch.nn.Conv2d):
            kh, kw = m.kernel_size
            calls[i][4] = out.numel() * m.in_channels // m.groups * kh * kw
        elif isinstance(m, torch.nn.Linear):
            calls[i][4] = out.numel() * m.in_features

    hooks = []
    for m in names:
        hooks.append(m.register_forward_pre_hook(pre))
        hooks.append(m.register_forward_hook(post))
    out = model(torch.zeros(1, *shape))
    for h in hooks:
        h.remove()
    return list(out.shape), calls


models = {}
for name in ["googlenet", "resnet18", "resnet34", "resnet50", "resnet101", "resnet152"]:
    m = build(name)
    out, calls = trace(m, (3, 224, 224))
    models[name] = {
        "params": sum(p.numel() for p in m.parameters()),
        "buffers": sum(b.numel() for b in m.buffers()),
        "macs": sum(c[4] for c in calls),
        "output": out,
        "calls": calls,
    }

others = []
for name, shape in [("googlenet", (3, 160, 200)), ("googlenet", (3, 15, 15)), ("resnet50", (3, 100, 130)),
                    ("resnet18", (3, 1, 1)), ("resnet152", (3, 512, 384))]:
    out, calls = trace(build(name), shape)
    top = [[c[0], c[2]] for c in calls if "." not in c[0]]
    others.append({"model": name, "input": list(shape), "output": out, "macs": sum(c[4] for c in calls), "top": top})

probes = []
for name, shape in [("googlenet", (3, 8, 8)), ("googlenet", (3, 14, 14)), ("googlenet", (3, 15, 15)),
                    ("googlenet", (3, 224, 8)), ("resnet18", (3, 1, 1)), ("resnet50", (3, 16, 16))]:
    try:
        build(name)(torch.zeros(1, *shape))
        ok = True
    except RuntimeError:
        ok = False
    probes.append({"model": name, "input": list(shape), "ok": ok})

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "torchvision.json")
with open(path, "w") as f:
    f.write('{"torch": %s, "torchvision": %s,\n' % (json.dumps(torch.__version__), json.dumps(torchvision.__version__)))
    f.write('"probes": %s,\n' % json.dumps(probes))
    f.write('"others": [\n%s\n],\n' % ",\n".join(json.dumps(o, separators=(",", ":")) for o in others))
    f.write('"models": {\n')
    parts = []
    for name, d in models.items():
        head = {k: v for k, v in d.items() if k != "calls"}
        body = ",\n".join(json.dumps(c, separators=(",", ":")) for c in d["calls"])
        parts.append('%s: %s,\n"calls": [\n%s\n]}' % (json.dumps(name), json.dumps(head)[:-1], body))
    f.write(",\n".join(parts))
    f.write("\n}}\n")
for name, d in models.items():
    print(name, d["params"], d["macs"], len(d["calls"]))
print(probes)
