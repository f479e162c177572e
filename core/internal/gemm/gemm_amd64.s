#include "textflag.h"

// args field offsets.
#define M 0
#define N 8
#define K 16
#define A 24
#define RSA 32
#define CSA 40
#define B 48
#define LDB 56
#define C 64
#define LDC 72
#define BIAS 80
#define R 88
#define MASK 96
#define RELU 104
#define COLSUM 112
#define ACC 120

// func gemmAsm(p *args)
//
// Registers: AX args; BX row i; R13 column offset j (bytes); SI the A
// pointer, DX the B pointer (both advance with p); CX the p counter;
// R8 rsA, R9 3·rsA, R10 csA, R11 ldb, R12 ldc (bytes); Y0–Y7 the 4×8
// accumulators (row r in Y(2r), Y(2r+1)); Y8–Y14 B, broadcast A and
// products; Y15 0 (in the epilogue). With colsum, the first block of
// rows also sums the B panel it reads into Y15 and Y12: colsum[j] = Σ_p B[p, j],
// from 0 in order.
//
// Each product is rounded before it is added (VMULPD then VADDPD, not FMA)
// and the sum runs over p in order, starting from the bias: the rounding
// of the scalar loop c += a·b and of gonum's Dgemm, so results match them
// bit for bit. BenchmarkGemm reports the GFLOP/s of CPU time of each path
// (this kernel, its FMA variant, the AVX-512 ones in gemm512_amd64.s).
TEXT ·gemmAsm(SB), NOSPLIT, $0-8
	MOVQ p+0(FP), AX
	MOVQ RSA(AX), R8
	LEAQ (R8)(R8*2), R9
	MOVQ CSA(AX), R10
	MOVQ LDB(AX), R11
	MOVQ LDC(AX), R12
	VXORPD Y15, Y15, Y15
	XORQ R13, R13

jloop:
	MOVQ N(AX), CX
	SHLQ $3, CX
	CMPQ R13, CX
	JGE  done
	XORQ BX, BX

iloop:
	CMPQ BX, M(AX)
	JGE  jnext

	// Accumulators start at C (acc: C += A·B), at the bias, or at 0.
	CMPQ ACC(AX), $0
	JNE  accum
	MOVQ BIAS(AX), DI
	TESTQ DI, DI
	JZ   zero
	VMOVUPD (DI)(R13*1), Y0
	VMOVUPD 32(DI)(R13*1), Y1
	VMOVUPD Y0, Y2
	VMOVUPD Y1, Y3
	VMOVUPD Y0, Y4
	VMOVUPD Y1, Y5
	VMOVUPD Y0, Y6
	VMOVUPD Y1, Y7
	JMP  kstart

zero:
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	VXORPD Y4, Y4, Y4
	VXORPD Y5, Y5, Y5
	VXORPD Y6, Y6, Y6
	VXORPD Y7, Y7, Y7

	JMP  kstart

accum:
	MOVQ BX, DI
	IMULQ R12, DI
	ADDQ R13, DI
	ADDQ C(AX), DI
	LEAQ (R12)(R12*2), CX
	VMOVUPD (DI), Y0
	VMOVUPD 32(DI), Y1
	VMOVUPD (DI)(R12*1), Y2
	VMOVUPD 32(DI)(R12*1), Y3
	VMOVUPD (DI)(R12*2), Y4
	VMOVUPD 32(DI)(R12*2), Y5
	VMOVUPD (DI)(CX*1), Y6
	VMOVUPD 32(DI)(CX*1), Y7

kstart:
	MOVQ K(AX), CX
	TESTQ CX, CX
	JZ   epi
	MOVQ BX, SI
	IMULQ R8, SI
	ADDQ A(AX), SI
	MOVQ B(AX), DX
	ADDQ R13, DX
	TESTQ BX, BX
	JNZ  kloop
	CMPQ COLSUM(AX), $0
	JNE  ksum

kloop:
	VMOVUPD (DX), Y8
	VMOVUPD 32(DX), Y9
	VBROADCASTSD (SI), Y10
	VMULPD Y8, Y10, Y14
	VADDPD Y14, Y0, Y0
	VMULPD Y9, Y10, Y10
	VADDPD Y10, Y1, Y1
	VBROADCASTSD (SI)(R8*1), Y11
	VMULPD Y8, Y11, Y14
	VADDPD Y14, Y2, Y2
	VMULPD Y9, Y11, Y11
	VADDPD Y11, Y3, Y3
	VBROADCASTSD (SI)(R8*2), Y12
	VMULPD Y8, Y12, Y14
	VADDPD Y14, Y4, Y4
	VMULPD Y9, Y12, Y12
	VADDPD Y12, Y5, Y5
	VBROADCASTSD (SI)(R9*1), Y13
	VMULPD Y8, Y13, Y14
	VADDPD Y14, Y6, Y6
	VMULPD Y9, Y13, Y13
	VADDPD Y13, Y7, Y7
	ADDQ R10, SI
	ADDQ R11, DX
	DECQ CX
	JNZ  kloop
	JMP  epi

ksum:
	CMPQ ACC(AX), $0
	JNE  ksumacc
	VXORPD Y15, Y15, Y15
	VXORPD Y12, Y12, Y12
	JMP  ksumloop

ksumacc:
	MOVQ COLSUM(AX), DI
	VMOVUPD (DI)(R13*1), Y15
	VMOVUPD 32(DI)(R13*1), Y12

ksumloop:
	VMOVUPD (DX), Y8
	VMOVUPD 32(DX), Y9
	VADDPD Y8, Y15, Y15
	VADDPD Y9, Y12, Y12
	VBROADCASTSD (SI), Y10
	VMULPD Y8, Y10, Y14
	VADDPD Y14, Y0, Y0
	VMULPD Y9, Y10, Y10
	VADDPD Y10, Y1, Y1
	VBROADCASTSD (SI)(R8*1), Y11
	VMULPD Y8, Y11, Y14
	VADDPD Y14, Y2, Y2
	VMULPD Y9, Y11, Y11
	VADDPD Y11, Y3, Y3
	VBROADCASTSD (SI)(R8*2), Y10
	VMULPD Y8, Y10, Y14
	VADDPD Y14, Y4, Y4
	VMULPD Y9, Y10, Y10
	VADDPD Y10, Y5, Y5
	VBROADCASTSD (SI)(R9*1), Y11
	VMULPD Y8, Y11, Y14
	VADDPD Y14, Y6, Y6
	VMULPD Y9, Y11, Y11
	VADDPD Y11, Y7, Y7
	ADDQ R10, SI
	ADDQ R11, DX
	DECQ CX
	JNZ  ksumloop
	MOVQ COLSUM(AX), SI
	VMOVUPD Y15, (SI)(R13*1)
	VMOVUPD Y12, 32(SI)(R13*1)

epi:
	VXORPD Y15, Y15, Y15
	// DI = byte offset of the block in C (and R, M); CX = 3·ldc.
	MOVQ BX, DI
	IMULQ R12, DI
	ADDQ R13, DI
	LEAQ (R12)(R12*2), CX

	MOVQ R(AX), SI
	TESTQ SI, SI
	JZ   nor
	ADDQ DI, SI
	VADDPD (SI), Y0, Y0
	VADDPD 32(SI), Y1, Y1
	VADDPD (SI)(R12*1), Y2, Y2
	VADDPD 32(SI)(R12*1), Y3, Y3
	VADDPD (SI)(R12*2), Y4, Y4
	VADDPD 32(SI)(R12*2), Y5, Y5
	VADDPD (SI)(CX*1), Y6, Y6
	VADDPD 32(SI)(CX*1), Y7, Y7

nor:
	MOVQ MASK(AX), SI
	TESTQ SI, SI
	JZ   nomask
	ADDQ DI, SI
	// Y8 = (0 < M), ordered: false for NaN.
	VCMPPD $0x11, (SI), Y15, Y8
	VANDPD Y8, Y0, Y0
	VCMPPD $0x11, 32(SI), Y15, Y9
	VANDPD Y9, Y1, Y1
	VCMPPD $0x11, (SI)(R12*1), Y15, Y8
	VANDPD Y8, Y2, Y2
	VCMPPD $0x11, 32(SI)(R12*1), Y15, Y9
	VANDPD Y9, Y3, Y3
	VCMPPD $0x11, (SI)(R12*2), Y15, Y8
	VANDPD Y8, Y4, Y4
	VCMPPD $0x11, 32(SI)(R12*2), Y15, Y9
	VANDPD Y9, Y5, Y5
	VCMPPD $0x11, (SI)(CX*1), Y15, Y8
	VANDPD Y8, Y6, Y6
	VCMPPD $0x11, 32(SI)(CX*1), Y15, Y9
	VANDPD Y9, Y7, Y7

nomask:
	CMPQ RELU(AX), $0
	JE   store
	// max(0, x) with x second: a NaN x is kept.
	VMAXPD Y0, Y15, Y0
	VMAXPD Y1, Y15, Y1
	VMAXPD Y2, Y15, Y2
	VMAXPD Y3, Y15, Y3
	VMAXPD Y4, Y15, Y4
	VMAXPD Y5, Y15, Y5
	VMAXPD Y6, Y15, Y6
	VMAXPD Y7, Y15, Y7

store:
	MOVQ C(AX), SI
	ADDQ DI, SI
	VMOVUPD Y0, (SI)
	VMOVUPD Y1, 32(SI)
	VMOVUPD Y2, (SI)(R12*1)
	VMOVUPD Y3, 32(SI)(R12*1)
	VMOVUPD Y4, (SI)(R12*2)
	VMOVUPD Y5, 32(SI)(R12*2)
	VMOVUPD Y6, (SI)(CX*1)
	VMOVUPD Y7, 32(SI)(CX*1)
	ADDQ $4, BX
	JMP  iloop

jnext:
	ADDQ $64, R13
	JMP  jloop

done:
	VZEROUPPER
	RET

// func gemmRowAsm(p *args)
//
// As gemmAsm for any p.m and p.n a multiple of 8, one row at a time (for
// the rows blocks of 4 leave, and batches under 4): blocks of 1×8 in Y0, Y1,
// products added in order of p. It ignores colsum.
TEXT ·gemmRowAsm(SB), NOSPLIT, $0-8
	MOVQ p+0(FP), AX
	MOVQ RSA(AX), R8
	MOVQ CSA(AX), R10
	MOVQ LDB(AX), R11
	MOVQ LDC(AX), R12
	XORQ R13, R13

rjloop:
	MOVQ N(AX), CX
	SHLQ $3, CX
	CMPQ R13, CX
	JGE  rdone
	XORQ BX, BX

riloop:
	CMPQ BX, M(AX)
	JGE  rjnext
	CMPQ ACC(AX), $0
	JNE  raccum
	MOVQ BIAS(AX), DI
	TESTQ DI, DI
	JZ   rzero
	VMOVUPD (DI)(R13*1), Y0
	VMOVUPD 32(DI)(R13*1), Y1
	JMP  rkstart

rzero:
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	JMP  rkstart

raccum:
	MOVQ BX, DI
	IMULQ R12, DI
	ADDQ R13, DI
	ADDQ C(AX), DI
	VMOVUPD (DI), Y0
	VMOVUPD 32(DI), Y1

rkstart:
	MOVQ K(AX), CX
	TESTQ CX, CX
	JZ   repi
	MOVQ BX, SI
	IMULQ R8, SI
	ADDQ A(AX), SI
	MOVQ B(AX), DX
	ADDQ R13, DX

rkloop:
	VBROADCASTSD (SI), Y10
	VMULPD (DX), Y10, Y8
	VADDPD Y8, Y0, Y0
	VMULPD 32(DX), Y10, Y9
	VADDPD Y9, Y1, Y1
	ADDQ R10, SI
	ADDQ R11, DX
	DECQ CX
	JNZ  rkloop

repi:
	VXORPD Y15, Y15, Y15
	MOVQ BX, DI
	IMULQ R12, DI
	ADDQ R13, DI
	MOVQ R(AX), SI
	TESTQ SI, SI
	JZ   rnor
	VADDPD (SI)(DI*1), Y0, Y0
	VADDPD 32(SI)(DI*1), Y1, Y1

rnor:
	MOVQ MASK(AX), SI
	TESTQ SI, SI
	JZ   rnomask
	VCMPPD $0x11, (SI)(DI*1), Y15, Y8
	VANDPD Y8, Y0, Y0
	VCMPPD $0x11, 32(SI)(DI*1), Y15, Y9
	VANDPD Y9, Y1, Y1

rnomask:
	CMPQ RELU(AX), $0
	JE   rstore
	VMAXPD Y0, Y15, Y0
	VMAXPD Y1, Y15, Y1

rstore:
	MOVQ C(AX), SI
	VMOVUPD Y0, (SI)(DI*1)
	VMOVUPD Y1, 32(SI)(DI*1)
	INCQ BX
	JMP  riloop

rjnext:
	ADDQ $64, R13
	JMP  rjloop

rdone:
	VZEROUPPER
	RET

// func gemmFMAAsm(p *args)
//
// gemmAsm with each product fused into its accumulator (VFMADD231PD, one
// rounding, as math.FMA). Generated from gemmAsm by replacing each VMULPD,
// VADDPD pair; labels are local to each TEXT block.

TEXT ·gemmFMAAsm(SB), NOSPLIT, $0-8
	MOVQ p+0(FP), AX
	MOVQ RSA(AX), R8
	LEAQ (R8)(R8*2), R9
	MOVQ CSA(AX), R10
	MOVQ LDB(AX), R11
	MOVQ LDC(AX), R12
	VXORPD Y15, Y15, Y15
	XORQ R13, R13

jloop:
	MOVQ N(AX), CX
	SHLQ $3, CX
	CMPQ R13, CX
	JGE  done
	XORQ BX, BX

iloop:
	CMPQ BX, M(AX)
	JGE  jnext

	// Accumulators start at C (acc: C += A·B), at the bias, or at 0.
	CMPQ ACC(AX), $0
	JNE  accum
	MOVQ BIAS(AX), DI
	TESTQ DI, DI
	JZ   zero
	VMOVUPD (DI)(R13*1), Y0
	VMOVUPD 32(DI)(R13*1), Y1
	VMOVUPD Y0, Y2
	VMOVUPD Y1, Y3
	VMOVUPD Y0, Y4
	VMOVUPD Y1, Y5
	VMOVUPD Y0, Y6
	VMOVUPD Y1, Y7
	JMP  kstart

zero:
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	VXORPD Y4, Y4, Y4
	VXORPD Y5, Y5, Y5
	VXORPD Y6, Y6, Y6
	VXORPD Y7, Y7, Y7

	JMP  kstart

accum:
	MOVQ BX, DI
	IMULQ R12, DI
	ADDQ R13, DI
	ADDQ C(AX), DI
	LEAQ (R12)(R12*2), CX
	VMOVUPD (DI), Y0
	VMOVUPD 32(DI), Y1
	VMOVUPD (DI)(R12*1), Y2
	VMOVUPD 32(DI)(R12*1), Y3
	VMOVUPD (DI)(R12*2), Y4
	VMOVUPD 32(DI)(R12*2), Y5
	VMOVUPD (DI)(CX*1), Y6
	VMOVUPD 32(DI)(CX*1), Y7

kstart:
	MOVQ K(AX), CX
	TESTQ CX, CX
	JZ   epi
	MOVQ BX, SI
	IMULQ R8, SI
	ADDQ A(AX), SI
	MOVQ B(AX), DX
	ADDQ R13, DX
	TESTQ BX, BX
	JNZ  kloop
	CMPQ COLSUM(AX), $0
	JNE  ksum

kloop:
	VMOVUPD (DX), Y8
	VMOVUPD 32(DX), Y9
	VBROADCASTSD (SI), Y10
	VFMADD231PD Y8, Y10, Y0
	VFMADD231PD Y9, Y10, Y1
	VBROADCASTSD (SI)(R8*1), Y11
	VFMADD231PD Y8, Y11, Y2
	VFMADD231PD Y9, Y11, Y3
	VBROADCASTSD (SI)(R8*2), Y12
	VFMADD231PD Y8, Y12, Y4
	VFMADD231PD Y9, Y12, Y5
	VBROADCASTSD (SI)(R9*1), Y13
	VFMADD231PD Y8, Y13, Y6
	VFMADD231PD Y9, Y13, Y7
	ADDQ R10, SI
	ADDQ R11, DX
	DECQ CX
	JNZ  kloop
	JMP  epi

ksum:
	CMPQ ACC(AX), $0
	JNE  ksumacc
	VXORPD Y15, Y15, Y15
	VXORPD Y12, Y12, Y12
	JMP  ksumloop

ksumacc:
	MOVQ COLSUM(AX), DI
	VMOVUPD (DI)(R13*1), Y15
	VMOVUPD 32(DI)(R13*1), Y12

ksumloop:
	VMOVUPD (DX), Y8
	VMOVUPD 32(DX), Y9
	VADDPD Y8, Y15, Y15
	VADDPD Y9, Y12, Y12
	VBROADCASTSD (SI), Y10
	VFMADD231PD Y8, Y10, Y0
	VFMADD231PD Y9, Y10, Y1
	VBROADCASTSD (SI)(R8*1), Y11
	VFMADD231PD Y8, Y11, Y2
	VFMADD231PD Y9, Y11, Y3
	VBROADCASTSD (SI)(R8*2), Y10
	VFMADD231PD Y8, Y10, Y4
	VFMADD231PD Y9, Y10, Y5
	VBROADCASTSD (SI)(R9*1), Y11
	VFMADD231PD Y8, Y11, Y6
	VFMADD231PD Y9, Y11, Y7
	ADDQ R10, SI
	ADDQ R11, DX
	DECQ CX
	JNZ  ksumloop
	MOVQ COLSUM(AX), SI
	VMOVUPD Y15, (SI)(R13*1)
	VMOVUPD Y12, 32(SI)(R13*1)

epi:
	VXORPD Y15, Y15, Y15
	// DI = byte offset of the block in C (and R, M); CX = 3·ldc.
	MOVQ BX, DI
	IMULQ R12, DI
	ADDQ R13, DI
	LEAQ (R12)(R12*2), CX

	MOVQ R(AX), SI
	TESTQ SI, SI
	JZ   nor
	ADDQ DI, SI
	VADDPD (SI), Y0, Y0
	VADDPD 32(SI), Y1, Y1
	VADDPD (SI)(R12*1), Y2, Y2
	VADDPD 32(SI)(R12*1), Y3, Y3
	VADDPD (SI)(R12*2), Y4, Y4
	VADDPD 32(SI)(R12*2), Y5, Y5
	VADDPD (SI)(CX*1), Y6, Y6
	VADDPD 32(SI)(CX*1), Y7, Y7

nor:
	MOVQ MASK(AX), SI
	TESTQ SI, SI
	JZ   nomask
	ADDQ DI, SI
	// Y8 = (0 < M), ordered: false for NaN.
	VCMPPD $0x11, (SI), Y15, Y8
	VANDPD Y8, Y0, Y0
	VCMPPD $0x11, 32(SI), Y15, Y9
	VANDPD Y9, Y1, Y1
	VCMPPD $0x11, (SI)(R12*1), Y15, Y8
	VANDPD Y8, Y2, Y2
	VCMPPD $0x11, 32(SI)(R12*1), Y15, Y9
	VANDPD Y9, Y3, Y3
	VCMPPD $0x11, (SI)(R12*2), Y15, Y8
	VANDPD Y8, Y4, Y4
	VCMPPD $0x11, 32(SI)(R12*2), Y15, Y9
	VANDPD Y9, Y5, Y5
	VCMPPD $0x11, (SI)(CX*1), Y15, Y8
	VANDPD Y8, Y6, Y6
	VCMPPD $0x11, 32(SI)(CX*1), Y15, Y9
	VANDPD Y9, Y7, Y7

nomask:
	CMPQ RELU(AX), $0
	JE   store
	// max(0, x) with x second: a NaN x is kept.
	VMAXPD Y0, Y15, Y0
	VMAXPD Y1, Y15, Y1
	VMAXPD Y2, Y15, Y2
	VMAXPD Y3, Y15, Y3
	VMAXPD Y4, Y15, Y4
	VMAXPD Y5, Y15, Y5
	VMAXPD Y6, Y15, Y6
	VMAXPD Y7, Y15, Y7

store:
	MOVQ C(AX), SI
	ADDQ DI, SI
	VMOVUPD Y0, (SI)
	VMOVUPD Y1, 32(SI)
	VMOVUPD Y2, (SI)(R12*1)
	VMOVUPD Y3, 32(SI)(R12*1)
	VMOVUPD Y4, (SI)(R12*2)
	VMOVUPD Y5, 32(SI)(R12*2)
	VMOVUPD Y6, (SI)(CX*1)
	VMOVUPD Y7, 32(SI)(CX*1)
	ADDQ $4, BX
	JMP  iloop

jnext:
	ADDQ $64, R13
	JMP  jloop

done:
	VZEROUPPER
	RET

// func gemmRowFMAAsm(p *args)
//
// gemmRowAsm with fused multiply-adds.

TEXT ·gemmRowFMAAsm(SB), NOSPLIT, $0-8
	MOVQ p+0(FP), AX
	MOVQ RSA(AX), R8
	MOVQ CSA(AX), R10
	MOVQ LDB(AX), R11
	MOVQ LDC(AX), R12
	XORQ R13, R13

rjloop:
	MOVQ N(AX), CX
	SHLQ $3, CX
	CMPQ R13, CX
	JGE  rdone
	XORQ BX, BX

riloop:
	CMPQ BX, M(AX)
	JGE  rjnext
	CMPQ ACC(AX), $0
	JNE  raccum
	MOVQ BIAS(AX), DI
	TESTQ DI, DI
	JZ   rzero
	VMOVUPD (DI)(R13*1), Y0
	VMOVUPD 32(DI)(R13*1), Y1
	JMP  rkstart

rzero:
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	JMP  rkstart

raccum:
	MOVQ BX, DI
	IMULQ R12, DI
	ADDQ R13, DI
	ADDQ C(AX), DI
	VMOVUPD (DI), Y0
	VMOVUPD 32(DI), Y1

rkstart:
	MOVQ K(AX), CX
	TESTQ CX, CX
	JZ   repi
	MOVQ BX, SI
	IMULQ R8, SI
	ADDQ A(AX), SI
	MOVQ B(AX), DX
	ADDQ R13, DX

rkloop:
	VBROADCASTSD (SI), Y10
	VFMADD231PD (DX), Y10, Y0
	VFMADD231PD 32(DX), Y10, Y1
	ADDQ R10, SI
	ADDQ R11, DX
	DECQ CX
	JNZ  rkloop

repi:
	VXORPD Y15, Y15, Y15
	MOVQ BX, DI
	IMULQ R12, DI
	ADDQ R13, DI
	MOVQ R(AX), SI
	TESTQ SI, SI
	JZ   rnor
	VADDPD (SI)(DI*1), Y0, Y0
	VADDPD 32(SI)(DI*1), Y1, Y1

rnor:
	MOVQ MASK(AX), SI
	TESTQ SI, SI
	JZ   rnomask
	VCMPPD $0x11, (SI)(DI*1), Y15, Y8
	VANDPD Y8, Y0, Y0
	VCMPPD $0x11, 32(SI)(DI*1), Y15, Y9
	VANDPD Y9, Y1, Y1

rnomask:
	CMPQ RELU(AX), $0
	JE   rstore
	VMAXPD Y0, Y15, Y0
	VMAXPD Y1, Y15, Y1

rstore:
	MOVQ C(AX), SI
	VMOVUPD Y0, (SI)(DI*1)
	VMOVUPD Y1, 32(SI)(DI*1)
	INCQ BX
	JMP  riloop

rjnext:
	ADDQ $64, R13
	JMP  rjloop

rdone:
	VZEROUPPER
	RET
