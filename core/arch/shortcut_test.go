package arch

import (
	"strings"
	"testing"

	"github.com/nnlab/nnlab/core/experiment/experimenttest"
)

// TestShortcutOptionsResNet checks the three options of He et al. §3.3 on
// whole models against torchvision's counts (option B) and closed forms:
// option A drops each projection's 1×1 conv and BN, c_in·c_out + 2·c_out
// parameters; option C adds c² + 2c for every identity shortcut of width c.
func TestShortcutOptionsResNet(t *testing.T) {
	proj := func(in, out int64) int64 { return in*out + 2*out }
	for _, tc := range []struct {
		model     string
		torch     int64      // torchvision's parameter count (option B)
		projected [][2]int64 // B's projections: c_in, c_out
		identity  []int64    // B's identity shortcuts: width, one per block
		nB, nC    int
	}{
		{"resnet18", 11_689_512, [][2]int64{{64, 128}, {128, 256}, {256, 512}},
			[]int64{64, 64, 128, 256, 512}, 3, 8},
		{"resnet34", 21_797_672, [][2]int64{{64, 128}, {128, 256}, {256, 512}},
			[]int64{64, 64, 64, 128, 128, 128, 256, 256, 256, 256, 256, 512, 512}, 3, 16},
		{"resnet50", 25_557_032, [][2]int64{{64, 256}, {256, 512}, {512, 1024}, {1024, 2048}},
			[]int64{256, 256, 512, 512, 512, 1024, 1024, 1024, 1024, 1024, 2048, 2048}, 4, 16},
	} {
		t.Run(tc.model, func(t *testing.T) {
			var dropA, addC int64
			for _, p := range tc.projected {
				dropA += proj(p[0], p[1])
			}
			for _, c := range tc.identity {
				addC += proj(c, c)
			}
			want := map[ShortcutOption]struct {
				params int64
				proj   int
			}{
				ShortcutA: {tc.torch - dropA, 0},
				ShortcutB: {tc.torch, tc.nB},
				ShortcutC: {tc.torch + addC, tc.nC},
			}
			for opt, w := range want {
				s, err := ShortcutSummary(tc.model, [3]int{3, 224, 224}, 1, opt)
				if err != nil {
					t.Fatal(err)
				}
				if s.TotalParams != w.params {
					t.Errorf("option %s: %d params, want %d", opt, s.TotalParams, w.params)
				}
				m, _ := Build(tc.model)
				if _, err := WithShortcuts(m, opt); err != nil {
					t.Fatal(err)
				}
				if got := Projections(m); got != w.proj {
					t.Errorf("option %s: %d projections, want %d", opt, got, w.proj)
				}
			}
		})
	}
}

// TestShortcutBlock checks the block experiment's shortcut option: option C
// on ResNet-50's 256-d bottleneck adds a 256×256 projection and its BN, about
// doubling the block's parameters and MACs (He et al.: "the time complexity
// and model size are doubled"); option A on a stride-2 block subsamples and
// zero-pads without parameters; A cannot reduce channels.
func TestShortcutBlock(t *testing.T) {
	e := blockExperiment()
	b := experimenttest.Run(t, e, map[string]string{"kind": "bottleneck", "in": "256", "width": "64", "shortcut": "b"}, nil)
	c := experimenttest.Run(t, e, map[string]string{"kind": "bottleneck", "in": "256", "width": "64", "shortcut": "c"}, nil)
	pb, pc := experimenttest.Scalar(t, b, "params"), experimenttest.Scalar(t, c, "params")
	if pc-pb != 256*256+2*256 || experimenttest.Scalar(t, c, "shortcut.params") != 256*256+2*256 {
		t.Errorf("option C adds %v params (shortcut.params %v), want %d", pc-pb, experimenttest.Scalar(t, c, "shortcut.params"), 256*256+2*256)
	}
	if mb, mc := experimenttest.Scalar(t, b, "macs"), experimenttest.Scalar(t, c, "macs"); mc-mb != 56*56*256*256 {
		t.Errorf("option C adds %v MACs, want %d", mc-mb, 56*56*256*256)
	}
	if r := pc / pb; r < 1.9 || r > 2 {
		t.Errorf("C/B params = %.3f, want about 2", r)
	}
	a := experimenttest.Run(t, e, map[string]string{"kind": "basic", "in": "64", "width": "128", "stride": "2", "shortcut": "a"}, nil)
	bb := experimenttest.Run(t, e, map[string]string{"kind": "basic", "in": "64", "width": "128", "stride": "2", "shortcut": "b"}, nil)
	if got := experimenttest.Scalar(t, a, "out_h"); got != 28 {
		t.Errorf("option A stride 2: out_h %v, want 28", got)
	}
	if d := experimenttest.Scalar(t, bb, "params") - experimenttest.Scalar(t, a, "params"); d != 64*128+2*128 {
		t.Errorf("B − A = %v params, want %d", d, 64*128+2*128)
	}
	if experimenttest.Scalar(t, a, "downsample") != 0 || experimenttest.Scalar(t, bb, "downsample") != 1 {
		t.Errorf("downsample: A %v, B %v; want 0, 1", experimenttest.Scalar(t, a, "downsample"), experimenttest.Scalar(t, bb, "downsample"))
	}
	if _, err := e.Parse(map[string]string{"kind": "basic", "in": "256", "width": "64", "shortcut": "a"}); err == nil || !strings.Contains(err.Error(), "only add channels") {
		t.Errorf("option A from 256 to 64 channels: error %v", err)
	}
}

// TestBNBuffers checks that BN's statistics and counters add up to the
// buffer count (itself checked against torchvision) for every model, and
// GoogLeNet's 57 BN layers: 3 stem convolutions + 9 modules × 6.
func TestBNBuffers(t *testing.T) {
	e := modelExperiment()
	for _, m := range Models() {
		r := experimenttest.Run(t, e, map[string]string{"model": m, "depth": "1"}, nil)
		n, s, b := experimenttest.Scalar(t, r, "bn_layers"), experimenttest.Scalar(t, r, "bn_statistics"), experimenttest.Scalar(t, r, "buffers")
		if n+s != b {
			t.Errorf("%s: %v BN layers + %v statistics ≠ %v buffers", m, n, s, b)
		}
		if m == "googlenet" && n != 3+9*6 {
			t.Errorf("googlenet: %v BN layers, want 57", n)
		}
	}
}
