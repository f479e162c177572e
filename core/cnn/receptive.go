package cnn

import (
	"context"
	"fmt"
	"math"

	"github.com/nnlab/nnlab/core/conv"
	"github.com/nnlab/nnlab/core/experiment"
	"github.com/nnlab/nnlab/core/fashion"
)

// Bounds of the receptive_map experiment's stack: those of the
// receptive_field experiment (core/conv), on a 28×28 image.
const (
	maxRFLayers   = 6
	maxRFKernel   = 15
	maxRFStride   = 8
	maxRFDilation = 8
)

// RFLayer is one layer of a receptive_map stack with its 'same'-style
// padding ⌊d·(k − 1)/2⌋, so that at stride 1 output pixel i lies over
// input pixel i.
type RFLayer struct{ K, Stride, Dilation, Pad int }

// FieldOf returns the rows (or columns) lo…hi of the input that output
// pixel i of the stack sees, before clipping to the image:
//
//	lo = i·J − P,  hi = lo + r − 1,
//
// where r and J are the stack's receptive field and jump (conv.ReceptiveField)
// and P = Σₗ padₗ·(s₁·…·sₗ₋₁) is the padding seen from the input.
func FieldOf(stack []RFLayer, i int) (lo, hi int) {
	taps := make([]conv.Tap, len(stack))
	pad, jump := 0, 1
	for l, s := range stack {
		taps[l] = conv.Tap{K: s.K, Stride: s.Stride, Dilation: s.Dilation}
		pad += s.Pad * jump
		jump *= s.Stride
	}
	r, j := conv.ReceptiveField(taps)
	lo = i*j - pad
	return lo, lo + r - 1
}

// rfStack reads the first n layers of a checked receptive_map spec.
func rfStack(v experiment.Values) []RFLayer {
	out := make([]RFLayer, v.Int("n"))
	for i := range out {
		k, d := v.Int(fmt.Sprintf("k%d", i+1)), v.Int(fmt.Sprintf("d%d", i+1))
		out[i] = RFLayer{K: k, Stride: v.Int(fmt.Sprintf("s%d", i+1)), Dilation: d, Pad: d * (k - 1) / 2}
	}
	return out
}

// rfSizes returns the output side after each layer of stack on an input
// of side in (torch's formula), or an error naming the first layer whose
// kernel does not fit.
func rfSizes(stack []RFLayer, in int) ([]int, error) {
	out := make([]int, len(stack))
	for l, s := range stack {
		o := conv.OutSize(in, s.K, s.Stride, s.Pad, s.Dilation)
		if o < 1 {
			return nil, experiment.Invalid([]string{fmt.Sprintf("k%d", l+1), fmt.Sprintf("d%d", l+1)}, "rule.receptive_map.fit",
				"layer {1}'s {2}×{2} kernel with dilation {3} does not fit its {4}×{4} input", l+1, s.K, s.Dilation, in)
		}
		out[l], in = o, o
	}
	return out, nil
}

// ReceptiveMap is the receptive_map experiment's JSON payload: output
// pixel (OutRow, OutCol) of the stack, the one over input pixel (Row, Col),
// and the rows Y0…Y1 and columns X0…X1 of the image it sees (clipped to the
// image), after each layer.
type ReceptiveMap struct {
	Image  int       `json:"image"`
	Row    int       `json:"row"`
	Col    int       `json:"col"`
	Layers []RFDepth `json:"layers"`
}

// RFDepth is the field of the chosen pixel after one layer.
type RFDepth struct {
	K        int `json:"k"`
	Stride   int `json:"stride"`
	Dilation int `json:"dilation"`
	Pad      int `json:"pad"`
	Out      int `json:"out"`     // output side after the layer
	RF       int `json:"rf"`      // receptive field (pixels per side)
	Jump     int `json:"jump"`    // input distance between neighbouring outputs
	OutRow   int `json:"out_row"` // the output pixel chosen
	OutCol   int `json:"out_col"`
	Y0       int `json:"y0"` // the field in the image, clipped
	Y1       int `json:"y1"`
	X0       int `json:"x0"`
	X1       int `json:"x1"`
	Seen     int `json:"seen"` // image pixels the output pixel depends on
}

// nearest is the output pixel, of out, whose field is centred nearest to
// input pixel p: round((p + P − (r − 1)/2)/J), clipped to the map.
func nearest(stack []RFLayer, p, out int) int {
	lo, hi := FieldOf(stack, 0)
	_, j := fieldAndJump(stack)
	// The centre of output i's field is lo + (hi − lo)/2 + i·J.
	c0 := float64(lo) + float64(hi-lo)/2
	i := int(math.Round((float64(p) - c0) / float64(j)))
	return max(0, min(out-1, i))
}

// fieldAndJump returns the receptive field and the jump of stack
// (conv.ReceptiveField).
func fieldAndJump(stack []RFLayer) (r, j int) {
	taps := make([]conv.Tap, len(stack))
	for l, s := range stack {
		taps[l] = conv.Tap{K: s.K, Stride: s.Stride, Dilation: s.Dilation}
	}
	return conv.ReceptiveField(taps)
}

// RunReceptiveMap computes the receptive_map result for test image index:
// after each layer of stack, the output pixel over input pixel (row, col),
// the part of the image its field spans, and the pixels it depends on
// (seen: Seen).
func RunReceptiveMap(index, row, col int, stack []RFLayer) (*ReceptiveMap, []float64, [][]bool, error) {
	set, err := fashion.Test()
	if err != nil {
		return nil, nil, nil, err
	}
	if index < 0 || index >= set.N {
		return nil, nil, nil, imageRangeError(index, set.N)
	}
	h, w := set.Rows, set.Cols
	if row < 0 || row >= h || col < 0 || col >= w {
		return nil, nil, nil, fmt.Errorf("receptive_map: the pixel (%d, %d) is outside the %d×%d image", row, col, h, w)
	}
	sizes, err := rfSizes(stack, h)
	if err != nil {
		return nil, nil, nil, err
	}
	img := make([]float64, h*w)
	for i, p := range set.Image(index) {
		img[i] = float64(p) / 255
	}
	rm := &ReceptiveMap{Image: index, Row: row, Col: col}
	var seen [][]bool
	for l := range stack {
		sub := stack[:l+1]
		r, j := fieldAndJump(sub)
		oi, oj := nearest(sub, row, sizes[l]), nearest(sub, col, sizes[l])
		y0, y1 := FieldOf(sub, oi)
		x0, x1 := FieldOf(sub, oj)
		mask, n, err := Seen(sub, h, w, oi, oj)
		if err != nil {
			return nil, nil, nil, err
		}
		seen = append(seen, mask)
		rm.Layers = append(rm.Layers, RFDepth{K: stack[l].K, Stride: stack[l].Stride, Dilation: stack[l].Dilation, Pad: stack[l].Pad,
			Out: sizes[l], RF: r, Jump: j, OutRow: oi, OutCol: oj,
			Y0: max(0, y0), Y1: min(h-1, y1), X0: max(0, x0), X1: min(w-1, x1), Seen: n})
	}
	return rm, img, seen, nil
}

// Seen returns which pixels of an h×w input output pixel (i, j) of stack
// depends on, and how many: a one-hot gradient at the output pixel
// back-propagated through the stack's convolutions with every weight 1
// (so that no paths cancel) is non-zero exactly there. Within the field's
// span a dilated stack can leave holes.
func Seen(stack []RFLayer, h, w, i, j int) ([]bool, int, error) {
	x, err := NewTensor(1, 1, h, w)
	if err != nil {
		return nil, 0, err
	}
	convs := make([]*Conv2d, len(stack))
	ins := make([]*Tensor, len(stack))
	for l, s := range stack {
		c, err := NewConv2d(1, 1, s.K, s.K, s.Stride, s.Pad, s.Dilation, 1, false)
		if err != nil {
			return nil, 0, err
		}
		for k := range c.Weight {
			c.Weight[k] = 1
		}
		ins[l], convs[l] = x, c
		if x, err = c.Forward(x); err != nil {
			return nil, 0, err
		}
	}
	if i < 0 || i >= x.H || j < 0 || j >= x.W {
		return nil, 0, fmt.Errorf("receptive_map: output pixel (%d, %d) is outside the %d×%d map", i, j, x.H, x.W)
	}
	dy, _ := NewTensor(1, 1, x.H, x.W)
	dy.Set(0, 0, i, j, 1)
	for l := len(convs) - 1; l >= 0; l-- {
		if dy, err = convs[l].Backward(ins[l], dy); err != nil {
			return nil, 0, err
		}
	}
	mask := make([]bool, h*w)
	n := 0
	for k, v := range dy.Data {
		if v != 0 {
			mask[k] = true
			n++
		}
	}
	return mask, n, nil
}

// dimOutside is how bright the image stays where the output pixel does not
// look (a fraction of its value); the ring around the field's span is
// drawn at the top of the colour scale.
const dimOutside = 0.25

// fieldPlane returns img (h×w, values in [0, 1]) with the pixels seen kept,
// the one-pixel frame just outside rows y0…y1 and columns x0…x1 (where it
// lies in the image) set to 1, and everything else dimmed.
func fieldPlane(img []float64, seen []bool, h, w, y0, y1, x0, x1 int) []float64 {
	out := make([]float64, len(img))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			in := y >= y0 && y <= y1 && x >= x0 && x <= x1
			ring := !in && y >= y0-1 && y <= y1+1 && x >= x0-1 && x <= x1+1
			switch v := img[y*w+x]; {
			case seen[y*w+x]:
				out[y*w+x] = v
			case ring:
				out[y*w+x] = 1
			default:
				out[y*w+x] = dimOutside * v
			}
		}
	}
	return out
}

func receptiveMapExperiment() *experiment.Experiment {
	ip := experiment.IntParam
	params := experiment.Schema{
		ip("image", 0, 0, fashion.FullTest-1, "test image number"),
		ip("n", 3, 1, maxRFLayers, "number of layers in the stack"),
	}
	for i := 1; i <= maxRFLayers; i++ {
		params = append(params,
			ip(fmt.Sprintf("k%d", i), 3, 1, maxRFKernel, fmt.Sprintf("kernel size of layer %d", i)),
			ip(fmt.Sprintf("s%d", i), 1, 1, maxRFStride, fmt.Sprintf("stride of layer %d", i)),
			ip(fmt.Sprintf("d%d", i), 1, 1, maxRFDilation, fmt.Sprintf("dilation of layer %d", i)))
	}
	params = append(params,
		ip("row", 14, 0, 27, "row of the input pixel the output pixel lies over"),
		ip("col", 14, 0, 27, "column of the input pixel the output pixel lies over"))
	return &experiment.Experiment{
		Name:    "receptive_map",
		Summary: "The receptive field of a stack of convolutions drawn on a real image: the part of the image one output pixel sees, after each layer.",
		Params:  params,
		Validate: func(v experiment.Values) error {
			if err := checkImage(v); err != nil {
				return err
			}
			set, err := fashion.Test()
			if err != nil {
				return err
			}
			_, err = rfSizes(rfStack(v), set.Rows)
			return err
		},
		Run: func(ctx context.Context, v experiment.Values, _ experiment.Progress) (*experiment.Result, error) {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			stack := rfStack(v)
			rm, img, seen, err := RunReceptiveMap(v.Int("image"), v.Int("row"), v.Int("col"), stack)
			if err != nil {
				return nil, err
			}
			set, _ := fashion.Test()
			h, w := set.Rows, set.Cols
			last := rm.Layers[len(rm.Layers)-1]
			r := &experiment.Result{JSON: rm}
			r.AddScalar("rf", "Receptive field of one output pixel (pixels per side)", float64(last.RF), "px")
			r.AddScalar("jump", "Input distance between neighbouring outputs (product of strides)", float64(last.Jump), "px")
			r.AddScalar("out_h", "Output height", float64(last.Out), "px")
			r.AddScalar("out_row", "Row of the output pixel", float64(last.OutRow), "")
			r.AddScalar("out_col", "Column of the output pixel", float64(last.OutCol), "")
			r.AddScalar("seen", "Pixels of the image the output pixel depends on", float64(last.Seen), "px")
			r.AddScalar("seen_fraction", "Fraction of the image the output pixel depends on", float64(last.Seen)/float64(h*w), "")
			data := make([]float64, 0, len(rm.Layers)*h*w)
			names := make([]string, len(rm.Layers))
			for l, d := range rm.Layers {
				data = append(data, fieldPlane(img, seen[l], h, w, d.Y0, d.Y1, d.X0, d.X1)...)
				names[l] = fmt.Sprintf("layer %d: %d×%d", l+1, d.RF, d.RF)
			}
			r.Images = append(r.Images, experiment.Image{Key: "field", Title: "What one output pixel sees, after each layer (the rest dimmed; the ring spans its field)",
				W: w, H: h, Channels: names, Data: data, Min: 0, Max: 1})
			t := experiment.Table{Key: "layers", Title: "Receptive field after each layer",
				Columns: []experiment.Column{{Name: "Layer"}, {Name: "k", Align: experiment.Right}, {Name: "stride", Align: experiment.Right},
					{Name: "dilation", Align: experiment.Right}, {Name: "padding", Align: experiment.Right}, {Name: "Output", Align: experiment.Right},
					{Name: "Receptive field", Align: experiment.Right}, {Name: "Rows", Align: experiment.Right}, {Name: "Columns", Align: experiment.Right},
					{Name: "Pixels seen", Align: experiment.Right}}}
			for l, d := range rm.Layers {
				t.Rows = append(t.Rows, experiment.Row{Cells: []any{fmt.Sprint(l + 1), int64(d.K), int64(d.Stride), int64(d.Dilation), int64(d.Pad),
					fmt.Sprintf("%d×%d", d.Out, d.Out), int64(d.RF), fmt.Sprintf("%d–%d", d.Y0, d.Y1), fmt.Sprintf("%d–%d", d.X0, d.X1), int64(d.Seen)}})
			}
			r.Tables = append(r.Tables, t)
			r.Notes = append(r.Notes,
				fmt.Sprintf("r = 1 + Σᵢ (kᵢ − 1)·dᵢ·(s₁·…·sᵢ₋₁) = %d; output pixel (%d, %d) of the %d×%d map lies over input pixel (%d, %d); its field spans rows %d–%d and columns %d–%d",
					last.RF, last.OutRow, last.OutCol, last.Out, last.Out, rm.Row, rm.Col, last.Y0, last.Y1, last.X0, last.X1),
				"every layer pads ⌊d·(k − 1)/2⌋ zeros ('same' at stride 1); a field that reaches past the image's edge sees padding there",
				"the pixels seen are those whose gradient through the stack is not zero; dilation can leave holes inside the field")
			return r, nil
		},
	}
}
