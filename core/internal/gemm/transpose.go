package gemm

// Transpose sets dst (c×r) to the transpose of src (r×c), both row-major,
// in blocks of 4×4.
func Transpose(r, c int, src, dst []float64) {
	src, dst = src[:r*c], dst[:r*c]
	r4, c4 := r&^3, c&^3
	for i := 0; i < r4; i += 4 {
		for j := 0; j < c4; j += 4 {
			s0 := src[i*c+j : i*c+j+4]
			s1 := src[(i+1)*c+j : (i+1)*c+j+4]
			s2 := src[(i+2)*c+j : (i+2)*c+j+4]
			s3 := src[(i+3)*c+j : (i+3)*c+j+4]
			for q := range 4 {
				d := dst[(j+q)*r+i : (j+q)*r+i+4]
				d[0], d[1], d[2], d[3] = s0[q], s1[q], s2[q], s3[q]
			}
		}
		for j := c4; j < c; j++ {
			for q := i; q < i+4; q++ {
				dst[j*r+q] = src[q*c+j]
			}
		}
	}
	for i := r4; i < r; i++ {
		for j, x := range src[i*c : i*c+c] {
			dst[j*r+i] = x
		}
	}
}
