package arch

import (
	"fmt"
	"strings"

	"github.com/nnlab/nnlab/core/experiment"
)

// ShortcutOption is one of the three shortcut designs compared by He et al.
// 2015 (§3.3 "Identity vs. Projection Shortcuts", Table 3).
type ShortcutOption string

const (
	// ShortcutA: identity shortcuts everywhere; where the dimensions grow,
	// the identity is subsampled with the block's stride and padded with
	// zero channels. No shortcut has parameters.
	ShortcutA ShortcutOption = "a"
	// ShortcutB: projections (1×1 conv + BN) only where the dimensions
	// change, identity elsewhere — torchvision's ResNets.
	ShortcutB ShortcutOption = "b"
	// ShortcutC: every shortcut is a projection (1×1 conv + BN).
	ShortcutC ShortcutOption = "c"
)

// ShortcutOptions lists the options in the paper's order.
func ShortcutOptions() []string {
	return []string{string(ShortcutA), string(ShortcutB), string(ShortcutC)}
}

// ZeroPadShortcut is option A's shortcut where the dimensions grow: it keeps
// every Stride-th row and column of x (x[:, :, ::s, ::s]) and appends
// Out − In channels of zeros. It has no parameters and no MACs.
type ZeroPadShortcut struct{ In, Out, Stride int }

// Output is Out×⌈H/s⌉×⌈W/s⌉, the size of a 1×1 convolution with stride s.
func (z ZeroPadShortcut) Output(in Shape) (Shape, error) {
	if err := needMap(in, "zero-padding shortcut"); err != nil {
		return Shape{}, err
	}
	if in.C != z.In {
		return Shape{}, fmt.Errorf("zero-padding shortcut expects %d channels, got %d", z.In, in.C)
	}
	if z.Out < z.In {
		return Shape{}, fmt.Errorf("a zero-padding shortcut (option A) can only add channels, not go from %d to %d", z.In, z.Out)
	}
	if z.Stride < 1 {
		return Shape{}, fmt.Errorf("zero-padding shortcut stride must be ≥ 1, got %d", z.Stride)
	}
	return Map(z.Out, (in.H-1)/z.Stride+1, (in.W-1)/z.Stride+1), nil
}

// Params is 0.
func (ZeroPadShortcut) Params() int64 { return 0 }

// MACs is 0.
func (ZeroPadShortcut) MACs(_, _ Shape) int64 { return 0 }

// WithShortcuts rewrites, in place, every residual block below l (built by
// BasicBlock or BottleneckBlock, i.e. with torchvision's option B) to use
// shortcut option opt, and returns l. B leaves the blocks as they are; A
// replaces each projection by a ZeroPadShortcut; C gives each identity
// shortcut a stride-1 projection (1×1 conv + BN, named downsample as in
// torchvision).
func WithShortcuts(l *Layer, opt ShortcutOption) (*Layer, error) {
	switch opt {
	case ShortcutA, ShortcutB, ShortcutC:
	default:
		return nil, fmt.Errorf("arch: shortcut must be one of %s, got %q", strings.Join(ShortcutOptions(), ", "), string(opt))
	}
	if opt == ShortcutB {
		return l, nil
	}
	var err error
	visit(l, func(b *Layer) {
		if err != nil || b.Join != Residual {
			return
		}
		first, ok := b.Children[0].Op.(Conv2d)
		if !ok {
			err = fmt.Errorf("arch: %s: a residual block must start with a convolution", b.Name)
			return
		}
		switch {
		case opt == ShortcutA && b.Shortcut:
			proj, ok := b.Children[b.Main].Children[0].Op.(Conv2d)
			if !ok {
				err = fmt.Errorf("arch: %s: the shortcut is not a 1×1 projection", b.Name)
				return
			}
			b.Children[b.Main] = leaf("shortcut", "ZeroPadShortcut",
				ZeroPadShortcut{In: proj.InChannels, Out: proj.OutChannels, Stride: proj.Stride})
		case opt == ShortcutC && !b.Shortcut:
			c := first.InChannels
			children := append([]*Layer(nil), b.Children[:b.Main]...)
			children = append(children, downsample(c, c, 1))
			b.Children = append(children, b.Children[b.Main:]...)
			b.Shortcut = true
		}
	})
	return l, err
}

// visit calls f on l and every layer below it, parents first.
func visit(l *Layer, f func(*Layer)) {
	f(l)
	for _, c := range l.Children {
		visit(c, f)
	}
}

// Projections counts the projection shortcuts (1×1 conv + BN) below l.
func Projections(l *Layer) int {
	n := 0
	visit(l, func(b *Layer) {
		if b.Join == Residual && b.Shortcut && b.Children[b.Main].Name == "downsample" {
			n++
		}
	})
	return n
}

// ShortcutSummary is Summary for the named model with its residual blocks
// rewritten to shortcut option opt (see WithShortcuts); models without
// residual blocks are unchanged.
func ShortcutSummary(model string, input [3]int, depth int, opt ShortcutOption) (*ModelSummary, error) {
	if depth < 1 || depth > MaxSummaryDepth {
		return nil, fmt.Errorf("arch: summary depth must be from 1 to %d, got %d", MaxSummaryDepth, depth)
	}
	m, err := Build(model)
	if err != nil {
		return nil, err
	}
	if m, err = WithShortcuts(m, opt); err != nil {
		return nil, err
	}
	return summaryOf(m, model, input, depth)
}

// shortcutParam is the shortcut option parameter of the block and model
// experiments.
func shortcutParam() experiment.Param {
	return experiment.Param{Name: "shortcut", Kind: experiment.Enum, Default: string(ShortcutB), Choices: ShortcutOptions(),
		Help: "He et al. 2015 §3.3 (options A, B, C): a = zero-padding where dimensions grow (no parameters); b = projection where they grow (torchvision); c = projection everywhere"}
}

// shortcutParams is the parameter count of a block's shortcut, read from
// its analysed layers.
func shortcutParams(a *Analysis) int64 {
	var n int64
	for _, l := range a.Layers {
		if l.Depth == 1 && (l.Name == "downsample" || l.Name == "shortcut") {
			n += l.Params
		}
	}
	return n
}

// addShortcutScalars adds the model experiment's count of projection
// shortcuts under the chosen option.
func addShortcutScalars(r *experiment.Result, v experiment.Values) {
	m, err := Build(v.String("model"))
	if err != nil {
		return
	}
	if m, err = WithShortcuts(m, ShortcutOption(v.String("shortcut"))); err != nil {
		return
	}
	r.AddScalar("projections", "Projection shortcuts (1×1 conv + BN)", float64(Projections(m)), "")
}

// addBNBufferScalars splits the model experiment's buffer count into BN's
// running statistics and its num_batches_tracked counters (see BNBuffers).
func addBNBufferScalars(r *experiment.Result, v experiment.Values) {
	m, err := Build(v.String("model"))
	if err != nil {
		return
	}
	if m, err = WithShortcuts(m, ShortcutOption(v.String("shortcut"))); err != nil {
		return
	}
	layers, stats := BNBuffers(m)
	r.AddScalar("bn_layers", "BN layers (one num_batches_tracked counter each)", float64(layers), "layers")
	r.AddScalar("bn_statistics", "BN running mean and variance elements", float64(stats), "")
}
