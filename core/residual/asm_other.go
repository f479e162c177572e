//go:build !amd64

package residual

// hasAsm is false: only amd64 has an assembly SGD step.
const hasAsm = false

// useAsm is false: there is nothing to select.
const useAsm = false

func sgdAsm(dst, p, g, m []float64, lr, mu, f float64) {
	panic("residual: no assembly kernel on this platform")
}
