package gemm

import "golang.org/x/sys/cpu"

// HasAsm reports whether the assembly kernels can run on this CPU (and
// OS): they use 256-bit AVX instructions only, and round each product
// before adding it, as c += a·b does in Go (and gonum).
var HasAsm = cpu.X86.HasAVX

// HasFMA reports whether the fused multiply-add kernels (Op.FMA) can run.
var HasFMA = HasAsm && cpu.X86.HasFMA

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

// gemmFMAAsm is gemmAsm with each product fused into its sum (FMA).
//
//go:noescape
func gemmFMAAsm(p *args)

// gemmRowFMAAsm is gemmRowAsm with FMA.
//
//go:noescape
func gemmRowFMAAsm(p *args)

// HasAsm512 reports whether the AVX-512 kernels (blocks of 4×16) can run.
var HasAsm512 = HasAsm && cpu.X86.HasAVX512F

// gemm512Asm is gemmAsm in AVX-512 for p.n a multiple of 16.
//
//go:noescape
func gemm512Asm(p *args)

// gemm512FMAAsm is gemm512Asm with FMA.
//
//go:noescape
func gemm512FMAAsm(p *args)
