package residual

import "golang.org/x/sys/cpu"

// hasAsm reports whether the AVX2/FMA kernel can run on this CPU.
var hasAsm = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// gemmAsm computes the fused product p describes (see gemmArgs) for
// p.m a multiple of 4 and p.n a multiple of 8, in blocks of 4×8 with eight
// AVX2 accumulators and FMA.
//
//go:noescape
func gemmAsm(p *gemmArgs)

// gemmRowAsm is gemmAsm for any p.m, a row at a time (blocks of 1×8),
// without colsum.
//
//go:noescape
func gemmRowAsm(p *gemmArgs)

// sgdAsm runs SGD with momentum, gradient scaled by f, over the first
// len(dst) entries (a multiple of 4; see optimizer.update), four at a time,
// rounding as the Go loop does.
//
//go:noescape
func sgdAsm(dst, p, g, m []float64, lr, mu, f float64)
