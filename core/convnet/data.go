package convnet

// Downsample returns the (side/2)² averages of the 2×2 blocks of an
// image of side×side values (torch.nn.functional.avg_pool2d(x, 2)), side
// even.
func Downsample(img []float64, side int) []float64 {
	h := side / 2
	out := make([]float64, h*h)
	for y := 0; y < h; y++ {
		for x := 0; x < h; x++ {
			a := img[2*y*side+2*x] + img[2*y*side+2*x+1]
			b := img[(2*y+1)*side+2*x] + img[(2*y+1)*side+2*x+1]
			out[y*h+x] = (a + b) / 4
		}
	}
	return out
}
