//go:build !amd64

package residual

// hasAsm is false: only amd64 has an assembly kernel.
const hasAsm = false

func gemmAsm(*gemmArgs) { panic("residual: no assembly kernel on this platform") }
