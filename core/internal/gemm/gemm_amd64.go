package gemm

import "golang.org/x/sys/cpu"

// HasAsm reports whether the assembly kernels can run on this CPU (and
// OS): they use 256-bit AVX instructions only. FMA is left out on purpose:
// a fused multiply-add rounds once where c += a·b rounds twice, and the
// results would no longer match the pure-Go path and gonum bit for bit.
var HasAsm = cpu.X86.HasAVX

// gemmAsm computes the fused product p describes (see args) for
// p.m a multiple of 4 and p.n a multiple of 8, in blocks of 4×8 with eight
// AVX accumulators, each product rounded, then added.
//
//go:noescape
func gemmAsm(p *args)

// gemmRowAsm is gemmAsm for any p.m, a row at a time (blocks of 1×8),
// without colsum.
//
//go:noescape
func gemmRowAsm(p *args)
