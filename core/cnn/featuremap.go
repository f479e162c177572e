package cnn

import (
	"context"
	"fmt"
	"math"

	"github.com/nnlab/nnlab/core/experiment"
	"github.com/nnlab/nnlab/core/fashion"
)

// Experiments lists the experiments that run real images through
// convolutions: feature_map, receptive_map, mix_map, inception_map and
// conv_speed.
func Experiments() []*experiment.Experiment {
	return []*experiment.Experiment{featureMapExperiment(), receptiveMapExperiment(), mixMapExperiment(), inceptionMapExperiment(), speedExperiment()}
}

// Kernels are the named 3×3 kernels of the feature_map experiment, in the
// order of its kernel parameter's choices, row-major.
var Kernels = []struct {
	Name    string
	Weights [9]float64
}{
	{"identity", [9]float64{0, 0, 0, 0, 1, 0, 0, 0, 0}},
	{"edge_x", [9]float64{-1, 0, 1, -2, 0, 2, -1, 0, 1}}, // Sobel x
	{"edge_y", [9]float64{-1, -2, -1, 0, 0, 0, 1, 2, 1}}, // Sobel y, its transpose
	{"blur", [9]float64{1.0 / 9, 1.0 / 9, 1.0 / 9, 1.0 / 9, 1.0 / 9, 1.0 / 9, 1.0 / 9, 1.0 / 9, 1.0 / 9}},
	{"sharpen", [9]float64{0, -1, 0, -1, 5, -1, 0, -1, 0}},
}

func kernelNames() []string {
	out := make([]string, len(Kernels))
	for i, k := range Kernels {
		out[i] = k.Name
	}
	return out
}

// kernelByName returns the weights of a named kernel.
func kernelByName(name string) ([9]float64, bool) {
	for _, k := range Kernels {
		if k.Name == name {
			return k.Weights, true
		}
	}
	return [9]float64{}, false
}

// FeatureMap is the feature_map experiment's result (and its --json):
// test image Image (pixels/255, Input[y][x]) convolved with a named 3×3
// kernel as torch.nn.functional.conv2d(input, kernel, stride=Stride,
// padding=Padding, dilation=Dilation) computes it (cross-correlation, no
// bias): Output[i][j].
type FeatureMap struct {
	Image      int         `json:"image"`
	Label      int         `json:"label"`
	Class      string      `json:"class"`
	KernelName string      `json:"kernel_name"`
	Kernel     [][]float64 `json:"kernel"`
	Stride     int         `json:"stride"`
	Padding    int         `json:"padding"`
	Dilation   int         `json:"dilation"`
	OutH       int         `json:"out_h"`
	OutW       int         `json:"out_w"`
	Input      [][]float64 `json:"input"`
	Output     [][]float64 `json:"output"`
}

// ConvolveImage convolves one grey image (h×w values, row-major) with a
// k×k kernel (row-major) as a 1→1-channel Conv2d without bias, returning
// the output map and its size.
func ConvolveImage(img []float64, h, w int, kernel []float64, k, stride, pad, dilation int) ([]float64, int, int, error) {
	cv, err := NewConv2d(1, 1, k, k, stride, pad, dilation, 1, false)
	if err != nil {
		return nil, 0, 0, err
	}
	if len(kernel) != k*k {
		return nil, 0, 0, fmt.Errorf("conv2d: a %d×%d kernel needs %d weights, got %d", k, k, k*k, len(kernel))
	}
	copy(cv.Weight, kernel)
	x, err := FromData(1, 1, h, w, img)
	if err != nil {
		return nil, 0, 0, err
	}
	y, err := cv.Forward(x)
	if err != nil {
		return nil, 0, 0, err
	}
	return y.Data, y.H, y.W, nil
}

// RunFeatureMap computes the feature_map result for test image index of
// the current Fashion-MNIST source (see fashion.Use).
func RunFeatureMap(index int, kernel string, stride, pad, dilation int) (*FeatureMap, []float64, []float64, error) {
	set, err := fashion.Test()
	if err != nil {
		return nil, nil, nil, err
	}
	if index < 0 || index >= set.N {
		return nil, nil, nil, imageRangeError(index, set.N)
	}
	kw, ok := kernelByName(kernel)
	if !ok {
		return nil, nil, nil, fmt.Errorf("feature_map: unknown kernel %q", kernel)
	}
	h, w := set.Rows, set.Cols
	in := make([]float64, h*w)
	for i, p := range set.Image(index) {
		in[i] = float64(p) / 255
	}
	out, oh, ow, err := ConvolveImage(in, h, w, kw[:], 3, stride, pad, dilation)
	if err != nil {
		return nil, nil, nil, err
	}
	label := int(set.Labels[index])
	fm := &FeatureMap{Image: index, Label: label, Class: fashion.Classes[label], KernelName: kernel,
		Kernel: rows(kw[:], 3, 3), Stride: stride, Padding: pad, Dilation: dilation, OutH: oh, OutW: ow,
		Input: rows(in, h, w), Output: rows(out, oh, ow)}
	return fm, in, out, nil
}

// RawPixel returns output pixel (i, j) of test image index convolved with
// a named kernel (as RunFeatureMap does) on the image's own 0–255 values
// rather than pixel/255: for the integer kernels an exact integer, 255
// times the feature map's value.
func RawPixel(index int, kernel string, stride, pad, dilation, i, j int) (float64, error) {
	set, err := fashion.Test()
	if err != nil {
		return 0, err
	}
	if index < 0 || index >= set.N {
		return 0, imageRangeError(index, set.N)
	}
	kw, ok := kernelByName(kernel)
	if !ok {
		return 0, fmt.Errorf("feature_map: unknown kernel %q", kernel)
	}
	h, w := set.Rows, set.Cols
	in := make([]float64, h*w)
	for k, p := range set.Image(index) {
		in[k] = float64(p)
	}
	out, oh, ow, err := ConvolveImage(in, h, w, kw[:], 3, stride, pad, dilation)
	if err != nil {
		return 0, err
	}
	if i < 0 || i >= oh || j < 0 || j >= ow {
		return 0, fmt.Errorf("feature_map: pixel (%d, %d) is outside the %d×%d map", i, j, oh, ow)
	}
	return out[i*ow+j], nil
}

// checkImage checks the image parameter of v against the test set in use
// (the embedded subset or the full one): every image experiment's
// Validate starts with it.
func checkImage(v experiment.Values) error {
	set, err := fashion.Test()
	if err != nil {
		return err
	}
	if i := v.Int("image"); i >= set.N {
		return imageRangeError(i, set.N)
	}
	return nil
}

func imageRangeError(index, n int) error {
	if n < fashion.FullTest {
		return experiment.Invalid([]string{"image"}, "rule.feature_map.image_subset",
			"image must be < {1} with the embedded subset, got {2}; the full test set (10,000 images) needs --data DIR with Fashion-MNIST's files (Debian: dataset-fashion-mnist)", n, index)
	}
	return experiment.Invalid([]string{"image"}, "rule.feature_map.image_range", "image must be < {1}, got {2}", n, index)
}

// rows splits a row-major h×w slice into nested rows (copied).
func rows(v []float64, h, w int) [][]float64 {
	out := make([][]float64, h)
	for i := range out {
		out[i] = append([]float64(nil), v[i*w:(i+1)*w]...)
	}
	return out
}

func featureMapExperiment() *experiment.Experiment {
	ip := experiment.IntParam
	return &experiment.Experiment{
		Name:    "feature_map",
		Summary: "A Fashion-MNIST test image convolved with a named 3×3 kernel: the input, the feature map and its size.",
		Params: experiment.Schema{
			ip("image", 0, 0, fashion.FullTest-1, "test image number"),
			{Name: "kernel", Kind: experiment.Enum, Default: "edge_x", Choices: kernelNames(), Help: "3×3 kernel"},
			ip("stride", 1, 1, 8, "stride"),
			ip("padding", 1, 0, 8, "zero padding on each side"),
			ip("dilation", 1, 1, 8, "spacing between kernel taps"),
			ip("row", 14, 0, 27, "row of the output pixel written out (the map's last row if it has fewer)"),
			ip("col", 14, 0, 27, "column of the output pixel written out (the map's last column if it has fewer)"),
		},
		Validate: checkImage,
		Run: func(ctx context.Context, v experiment.Values, _ experiment.Progress) (*experiment.Result, error) {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			fm, in, out, err := RunFeatureMap(v.Int("image"), v.String("kernel"), v.Int("stride"), v.Int("padding"), v.Int("dilation"))
			if err != nil {
				return nil, err
			}
			kw, _ := kernelByName(fm.KernelName)
			r := &experiment.Result{JSON: fm}
			r.AddScalar("out_h", "Output height", float64(fm.OutH), "px")
			r.AddScalar("out_w", "Output width", float64(fm.OutW), "px")
			r.AddScalar("label", "Label", float64(fm.Label), "")
			r.AddScalar("rf", "Receptive field of one output pixel", float64(2*fm.Dilation+1), "px")
			lo, hi := span2(out)
			r.AddScalar("out_min", "Smallest output value", lo, "")
			r.AddScalar("out_max", "Largest output value", hi, "")
			pi, pj := min(v.Int("row"), fm.OutH-1), min(v.Int("col"), fm.OutW-1)
			raw, err := RawPixel(fm.Image, fm.KernelName, fm.Stride, fm.Padding, fm.Dilation, pi, pj)
			if err != nil {
				return nil, err
			}
			r.AddScalar("pixel_row", "Row of the output pixel written out", float64(pi), "")
			r.AddScalar("pixel_col", "Column of the output pixel written out", float64(pj), "")
			r.AddScalar("pixel", "The output pixel (pixels/255)", out[pi*fm.OutW+pj], "")
			r.AddScalar("pixel_raw", "The output pixel on the image's 0–255 values", raw, "")
			r.Images = append(r.Images,
				experiment.Image{Key: "input", Title: "Input: pixel/255", W: len(fm.Input[0]), H: len(fm.Input),
					Channels: []string{fm.Class}, Data: in, Min: 0, Max: 1},
				experiment.Image{Key: "output", Title: "Feature map", W: fm.OutW, H: fm.OutH,
					Channels: []string{fm.KernelName}, Data: out, Min: lo, Max: hi, Signed: lo < 0,
					Window: &experiment.Window{Input: "input", K: 3, Kernel: kw[:], Stride: fm.Stride, Pad: fm.Padding, Dilation: fm.Dilation}})
			r.Notes = append(r.Notes, fmt.Sprintf("out = ⌊(28 + 2·%d − %d·(3−1) − 1)/%d⌋ + 1 = %d (both sides)",
				fm.Padding, fm.Dilation, fm.Stride, fm.OutH))
			return r, nil
		},
	}
}

// span2 returns the smallest and largest of v.
func span2(v []float64) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, x := range v {
		lo, hi = min(lo, x), max(hi, x)
	}
	return lo, hi
}
