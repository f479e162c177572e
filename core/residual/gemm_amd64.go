package residual

import "golang.org/x/sys/cpu"

// hasAsm reports whether the assembly kernels can run on this CPU (and
// OS): they use 256-bit AVX instructions only. FMA is left out on purpose:
// a fused multiply-add rounds once where c += a·b rounds twice, and the
// results would no longer match the pure-Go path and gonum bit for bit.
var hasAsm = cpu.X86.HasAVX

// gemmAsm computes the fused product p describes (see gemmArgs) for
// p.m a multiple of 4 and p.n a multiple of 8, in blocks of 4×8 with eight
// AVX accumulators, each product rounded, then added.
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
