//go:build !amd64

package gemm

// HasAsm is false: only amd64 has an assembly kernel.
const HasAsm = false

func gemmAsm(*args)    { panic("gemm: no assembly kernel on this platform") }
func gemmRowAsm(*args) { panic("gemm: no assembly kernel on this platform") }
