package cnn

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/nnlab/nnlab/core/experiment"
	"github.com/nnlab/nnlab/core/fashion"
)

func mixMapExperiment() *experiment.Experiment {
	ip := experiment.IntParam
	return &experiment.Experiment{
		Name:    "mix_map",
		Summary: "A 1×1 convolution mixing four real feature maps of an image: the output maps, and one pixel's vector times the weight matrix.",
		Params: experiment.Schema{
			ip("image", 0, 0, fashion.FullTest-1, "test image number"),
			ip("cout", 2, 1, 8, "output channels"),
			ip("row", 14, 0, 27, "row of the pixel shown"),
			ip("col", 14, 0, 27, "column of the pixel shown"),
			ip("seed", 1, 0, 1<<31-1, "random seed of the weights"),
		},
		Validate: checkImage,
		Run: func(ctx context.Context, v experiment.Values, _ experiment.Progress) (*experiment.Result, error) {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			x, label, err := RealMaps(v.Int("image"))
			if err != nil {
				return nil, err
			}
			cin, cout := x.C, v.Int("cout")
			c, err := NewConv2d(cin, cout, 1, 1, 1, 0, 1, 1, false)
			if err != nil {
				return nil, err
			}
			rng := rand.New(rand.NewPCG(uint64(v.Int("seed")), 11))
			for i := range c.Weight {
				// Weights in steps of 0.25, so that the products are easy
				// to follow by hand.
				c.Weight[i] = math.Round(4*rng.NormFloat64()/math.Sqrt(float64(cin))) / 4
			}
			y, err := c.Forward(x)
			if err != nil {
				return nil, err
			}
			i, j := v.Int("row"), v.Int("col")
			// The pixel's vector times the weight matrix, written out.
			px := make([]float64, cin)
			for ch := range px {
				px[ch] = x.At(0, ch, i, j)
			}
			cols := []experiment.Column{{Name: ""}}
			for _, name := range RealMapKernels {
				cols = append(cols, experiment.Column{Name: name, Align: experiment.Right})
			}
			cols = append(cols, experiment.Column{Name: "y = W·x", Align: experiment.Right})
			t := experiment.Table{Key: "pixel", Title: fmt.Sprintf("Pixel (%d, %d): x, the weight matrix W and y = W·x", i, j), Columns: cols}
			row := []any{"x"}
			for _, p := range px {
				row = append(row, p)
			}
			t.Rows = append(t.Rows, experiment.Row{Cells: append(row, nil)})
			var maxDiff float64
			for o := 0; o < cout; o++ {
				var s float64
				row := []any{fmt.Sprintf("W[%d]", o)}
				for ch := 0; ch < cin; ch++ {
					w := c.Weight[o*cin+ch]
					s += w * px[ch]
					row = append(row, w)
				}
				maxDiff = math.Max(maxDiff, math.Abs(s-y.At(0, o, i, j)))
				t.Rows = append(t.Rows, experiment.Row{Cells: append(row, s)})
			}
			r := &experiment.Result{}
			r.AddScalar("weights", "Weights c_out·c_in", float64(cout*cin), "params")
			r.AddScalar("macs", "Multiply-accumulates h·w·c_out·c_in", float64(x.H*x.W*cout*cin), "MACs")
			r.AddScalar("y0", "y[0] at the pixel", y.At(0, 0, i, j), "")
			for ch, name := range RealMapKernels {
				r.AddScalar("x."+name, "Input "+name+" at the pixel", px[ch], "")
			}
			r.AddScalar("max_abs_diff", "Max |convolution − W·x| at the pixel", maxDiff, "")
			in := imageOf("input", "Input: four feature maps of the image", x, append([]string(nil), RealMapKernels...))
			in.Channels[0] = fashion.Classes[label]
			r.Images = append(r.Images, in, imageOf("output", "Output: 1×1 convolution", y, channelNames("y", cout)))
			r.Tables = append(r.Tables, t)
			r.Notes = append(r.Notes, fmt.Sprintf("every pixel: y = W·x with the same %d×%d W; the whole map is Y = W·X, X being %d×%d (channels × pixels)", cout, cin, cin, x.H*x.W))
			return r, nil
		},
	}
}
