#include "textflag.h"

// func sgdAsm(dst, p, g, m []float64, lr, mu, f float64)
//
// For i < len(dst) (a multiple of 4, ≤ the other lengths):
// b = mu·m[i] + f·g[i]; m[i] = b; dst[i] = p[i] − lr·b, each operation
// rounded as in Go (no FMA), four at a time.
TEXT ·sgdAsm(SB), NOSPLIT, $0-120
	MOVQ dst_base+0(FP), DI
	MOVQ dst_len+8(FP), CX
	MOVQ p_base+24(FP), SI
	MOVQ g_base+48(FP), DX
	MOVQ m_base+72(FP), BX
	VBROADCASTSD lr+96(FP), Y14
	VBROADCASTSD mu+104(FP), Y15
	VBROADCASTSD f+112(FP), Y13
	XORQ AX, AX
	SHRQ $2, CX
	JZ   done

loop:
	VMULPD (DX)(AX*8), Y13, Y3
	VMULPD (BX)(AX*8), Y15, Y0
	VADDPD Y3, Y0, Y0
	VMOVUPD Y0, (BX)(AX*8)
	VMULPD Y0, Y14, Y1
	VMOVUPD (SI)(AX*8), Y2
	VSUBPD Y1, Y2, Y2
	VMOVUPD Y2, (DI)(AX*8)
	ADDQ $4, AX
	DECQ CX
	JNZ  loop

done:
	VZEROUPPER
	RET
