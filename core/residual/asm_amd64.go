package residual

import "golang.org/x/sys/cpu"

// hasAsm reports whether the assembly SGD step can run on this CPU (and
// OS): it uses 256-bit AVX instructions only.
var hasAsm = cpu.X86.HasAVX

// useAsm selects the assembly SGD step; switched off by tests that check
// the pure-Go path.
var useAsm = hasAsm

// sgdAsm runs SGD with momentum, gradient scaled by f, over the first
// len(dst) entries (a multiple of 4; see optimizer.update), four at a time,
// rounding as the Go loop does.
//
//go:noescape
func sgdAsm(dst, p, g, m []float64, lr, mu, f float64)
