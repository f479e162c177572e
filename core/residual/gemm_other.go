//go:build !amd64

package residual

// hasAsm is false: only amd64 has an assembly kernel.
const hasAsm = false

func gemmAsm(*gemmArgs)    { panic("residual: no assembly kernel on this platform") }
func gemmRowAsm(*gemmArgs) { panic("residual: no assembly kernel on this platform") }

func sgdAsm(dst, p, g, m []float64, lr, mu, f float64) {
	panic("residual: no assembly kernel on this platform")
}
