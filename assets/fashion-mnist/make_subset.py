#!/usr/bin/python3
"""Writes the Fashion-MNIST subset nnlab embeds: the first 3,000 training and the
first 1,000 test images and labels, as gzip-compressed IDX files with the
original names, from Debian's dataset-fashion-mnist
(/usr/share/datasets/fashion-mnist/). Image i of a subset is image i of the
full file. Usage: /usr/bin/python3 make_subset.py [SRC_DIR]

The gzip streams carry no name and no time, so the output is the same on
every run.
"""
import gzip
import struct
import sys

SRC = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/datasets/fashion-mnist"
COUNTS = {"train": 3000, "t10k": 1000}


def subset(name, n):
    with gzip.open(f"{SRC}/{name}", "rb") as f:
        data = f.read()
    magic, count = struct.unpack(">II", data[:8])
    ndims = magic & 0xFF
    dims = struct.unpack(">" + "I" * ndims, data[4:4 + 4 * ndims])
    size = 1
    for d in dims[1:]:
        size *= d
    head = data[:4] + struct.pack(">I", n) + data[8:4 + 4 * ndims]
    body = data[4 + 4 * ndims: 4 + 4 * ndims + n * size]
    assert len(body) == n * size
    with open(name, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as g:
            g.write(head + body)


for prefix, n in COUNTS.items():
    subset(f"{prefix}-images-idx3-ubyte.gz", n)
    subset(f"{prefix}-labels-idx1-ubyte.gz", n)
