//go:build !amd64

package gemm

// HasAsm is false: only amd64 has an assembly kernel.
const HasAsm = false

// HasFMA is false: only amd64 has an assembly kernel.
const HasFMA = false

func gemmAsm(*args)       { panic("gemm: no assembly kernel on this platform") }
func gemmRowAsm(*args)    { panic("gemm: no assembly kernel on this platform") }
func gemmFMAAsm(*args)    { panic("gemm: no assembly kernel on this platform") }
func gemmRowFMAAsm(*args) { panic("gemm: no assembly kernel on this platform") }

// HasAsm512 is false: only amd64 has an assembly kernel.
const HasAsm512 = false

func gemm512Asm(*args)    { panic("gemm: no assembly kernel on this platform") }
func gemm512FMAAsm(*args) { panic("gemm: no assembly kernel on this platform") }
