"""The networks core/convnet trains, written in PyTorch (imported by
gen_torch_convnet.py and bench_torch_convnet.py).

plain / resnet: He et al. 2015 §4.2's CIFAR design on grey images: a 3×3
convolution to `width` channels, three stages of n basic blocks (widths w, 2w,
4w; the first block of stages 2 and 3 with stride 2), global average pooling, a
linear layer to 10 classes. A basic block is conv3×3–BN–ReLU–conv3×3–BN, plus the
shortcut, then ReLU; plain omits the shortcut. With bottleneck blocks (their
§4.2's deeper CIFAR nets) a block is conv1×1–BN–ReLU–conv3×3–BN–ReLU–conv1×1–BN
to 4× the stage's width, plus the shortcut, then ReLU. Shortcut A: x[:, :, ::s, ::s] with
zero channels appended where the width grows; B: a 1×1 convolution (stride s) and
BN where the shape changes, the identity elsewhere. Without BN every convolution
has a bias and no BN follows it.

inception: a small GoogLeNet: a 3×3 stem convolution, max pool 3×3/2 (padding 1),
modules 3a and 3b, max pool 3×3/2, module 4a, global average pooling, linear.
Its channel counts are GoogLeNet's (Table 1: the stem's 192 and modules 3a, 3b,
4a) times width/64, rounded half up, at least 1. Each convolution is followed by
BN (when bn) and a ReLU. A module with reductions has the four branches 1×1;
1×1→3×3; 1×1→5×5; max pool 3×3/1→1×1; without them (the paper's naive module)
1×1; 3×3; 5×5; max pool 3×3/1, the input's channels passing through.

Parameters are registered in the order core/convnet lists them.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class ConvUnit(nn.Module):
    """A convolution, BN when bn (the convolution then has no bias)."""

    def __init__(self, cin, cout, k, stride, pad, bn):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, k, stride, pad, bias=not bn)
        self.bn = nn.BatchNorm2d(cout) if bn else None

    def forward(self, x):
        x = self.conv(x)
        return self.bn(x) if self.bn is not None else x


class Block(nn.Module):
    def __init__(self, cin, cout, stride, bn, residual, shortcut):
        super().__init__()
        self.u1 = ConvUnit(cin, cout, 3, stride, 1, bn)
        self.u2 = ConvUnit(cout, cout, 3, 1, 1, bn)
        self.residual, self.stride, self.pad = residual, stride, cout - cin
        self.proj = None
        if residual and shortcut == "B" and (stride != 1 or cin != cout):
            self.proj = ConvUnit(cin, cout, 1, stride, 0, bn)

    def forward(self, x):
        out = self.u2(F.relu(self.u1(x)))
        if self.residual:
            if self.proj is not None:
                out = out + self.proj(x)
            elif self.stride != 1 or self.pad != 0:
                out = out + F.pad(x[:, :, ::self.stride, ::self.stride], (0, 0, 0, 0, 0, self.pad))
            else:
                out = out + x
        return F.relu(out)


class Bottleneck(nn.Module):
    """1×1 to the stage's width, 3×3 (with the block's stride), 1×1 to 4× the width,
    each with BN, ReLUs between; the shortcut as in Block."""

    def __init__(self, cin, width, stride, bn, residual, shortcut):
        super().__init__()
        cout = 4 * width
        self.u1 = ConvUnit(cin, width, 1, 1, 0, bn)
        self.u2 = ConvUnit(width, width, 3, stride, 1, bn)
        self.u3 = ConvUnit(width, cout, 1, 1, 0, bn)
        self.residual, self.stride, self.pad = residual, stride, cout - cin
        self.proj = None
        if residual and shortcut == "B" and (stride != 1 or cin != cout):
            self.proj = ConvUnit(cin, cout, 1, stride, 0, bn)

    def forward(self, x):
        out = self.u3(F.relu(self.u2(F.relu(self.u1(x)))))
        if self.residual:
            if self.proj is not None:
                out = out + self.proj(x)
            elif self.stride != 1 or self.pad != 0:
                out = out + F.pad(x[:, :, ::self.stride, ::self.stride], (0, 0, 0, 0, 0, self.pad))
            else:
                out = out + x
        return F.relu(out)


class ResNet(nn.Module):
    def __init__(self, n, width, bn=True, residual=True, shortcut="A", bottleneck=False):
        super().__init__()
        self.stem = ConvUnit(1, width, 3, 1, 1, bn)
        blocks = []
        cin = width
        for stage in range(3):
            w = width << stage
            for i in range(n):
                stride = 2 if stage > 0 and i == 0 else 1
                if bottleneck:
                    blocks.append(Bottleneck(cin, w, stride, bn, residual, shortcut))
                    cin = 4 * w
                else:
                    blocks.append(Block(cin, w, stride, bn, residual, shortcut))
                    cin = w
        self.blocks = nn.Sequential(*blocks)
        self.fc = nn.Linear(cin, 10)

    def forward(self, x):
        x = F.relu(self.stem(x))
        x = self.blocks(x)
        return self.fc(x.mean((2, 3)))


def scaled(c, width):
    """GoogLeNet's channel count c times width/64, rounded half up, ≥ 1."""
    return max(1, (c * width + 32) // 64)


# GoogLeNet's Table 1: #1×1, #3×3 reduce, #3×3, #5×5 reduce, #5×5, pool proj.
MODULES = [("3a", (64, 96, 128, 16, 32, 32)), ("3b", (128, 128, 192, 32, 96, 64)), ("4a", (192, 96, 208, 16, 48, 64))]


class Inception(nn.Module):
    def __init__(self, cin, c, bn, reduce):
        super().__init__()
        c1, c3r, c3, c5r, c5, proj = c
        self.reduce = reduce
        if reduce:
            self.b1 = ConvUnit(cin, c1, 1, 1, 0, bn)
            self.b2r = ConvUnit(cin, c3r, 1, 1, 0, bn)
            self.b2 = ConvUnit(c3r, c3, 3, 1, 1, bn)
            self.b3r = ConvUnit(cin, c5r, 1, 1, 0, bn)
            self.b3 = ConvUnit(c5r, c5, 5, 1, 2, bn)
            self.b4 = ConvUnit(cin, proj, 1, 1, 0, bn)
            self.out = c1 + c3 + c5 + proj
        else:
            self.b1 = ConvUnit(cin, c1, 1, 1, 0, bn)
            self.b2 = ConvUnit(cin, c3, 3, 1, 1, bn)
            self.b3 = ConvUnit(cin, c5, 5, 1, 2, bn)
            self.out = c1 + c3 + c5 + cin

    def forward(self, x):
        p = F.max_pool2d(x, 3, 1, 1)
        if self.reduce:
            return torch.cat([F.relu(self.b1(x)), F.relu(self.b2(F.relu(self.b2r(x)))),
                              F.relu(self.b3(F.relu(self.b3r(x)))), F.relu(self.b4(p))], 1)
        return torch.cat([F.relu(self.b1(x)), F.relu(self.b2(x)), F.relu(self.b3(x)), p], 1)


class GoogLeNet(nn.Module):
    def __init__(self, width, bn=True, reduce=True):
        super().__init__()
        stem = scaled(192, width)
        self.stem = ConvUnit(1, stem, 3, 1, 1, bn)
        mods = []
        cin = stem
        for _, c in MODULES:
            m = Inception(cin, tuple(scaled(v, width) for v in c), bn, reduce)
            mods.append(m)
            cin = m.out
        self.mods = nn.ModuleList(mods)
        self.fc = nn.Linear(cin, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.stem(x)), 3, 2, 1)
        x = self.mods[1](self.mods[0](x))
        x = self.mods[2](F.max_pool2d(x, 3, 2, 1))
        return self.fc(x.mean((2, 3)))


def build(arch, n=3, width=8, bn=True, shortcut="A", reduce=True, block="basic"):
    if arch == "inception":
        return GoogLeNet(width, bn, reduce)
    return ResNet(n, width, bn, arch == "resnet", shortcut, block == "bottleneck")


def prepare(images, size):
    """images: (N, 1, 28, 28) of pixel/255; size 14 averages 2×2 blocks."""
    return F.avg_pool2d(images, 2) if size == 14 else images
