package arch

import (
	"testing"

	"github.com/nnlab/nnlab/core/experiment/experimenttest"
)

// auxParams is one auxiliary classifier's parameter count written out from
// Szegedy et al. 2014 §5 and torchvision's InceptionAux, independently of the
// layer code: 1×1 conv in→128 (torchvision: no bias, BatchNorm2d with 2·128
// parameters; paper: 128 biases), fc 128·4·4 = 2048 → 1024, fc 1024 → 1000.
func auxParams(in int64, torchvision bool) int64 {
	conv := in * 128
	if torchvision {
		conv += 2 * 128
	} else {
		conv += 128
	}
	fc1 := int64(2048*1024 + 1024)
	fc2 := int64(1024*1000 + 1000)
	return conv + fc1 + fc2
}

func TestGoogLeNetAux(t *testing.T) {
	tv := loadTorchvision(t).Models["googlenet"] // aux_logits=False in the fixture
	// Inputs of the heads from Table 1's channel columns: 4a outputs
	// 192+208+48+64 = 512 channels, 4d 112+288+64+64 = 528, both at 14×14.
	in4a, in4d := int64(192+208+48+64), int64(112+288+64+64)
	for _, tc := range []struct {
		style       Style
		model       string
		main        int64
		torchvision bool
	}{
		{Torchvision, "googlenet", tv.Params, true},
		{Paper, "googlenet-paper", 0, false},
	} {
		a, err := AnalyzeGoogLeNetAux(tc.style, 224, 224)
		if err != nil {
			t.Fatal(err)
		}
		if tc.main != 0 && a.Main.Params != tc.main {
			t.Errorf("%s: main %d, torchvision %d", tc.model, a.Main.Params, tc.main)
		}
		want := [2]int64{auxParams(in4a, tc.torchvision), auxParams(in4d, tc.torchvision)}
		for i, h := range a.Heads {
			if h.Params != want[i] {
				t.Errorf("%s aux%d: %d params, want %d", tc.model, i+1, h.Params, want[i])
			}
			if h.Input != Map(int(in4a), 14, 14) && h.Input != Map(int(in4d), 14, 14) {
				t.Errorf("%s aux%d: input %v", tc.model, i+1, h.Input)
			}
			if h.Output != (Shape{C: 1000, Flat: true}) {
				t.Errorf("%s aux%d: output %v", tc.model, i+1, h.Output)
			}
			// The paper: "an average pooling layer with 5×5 filter size and
			// stride 3, resulting in an 4×4×512 output for the (4a)".
			if pooled := h.Layers[0].Out; pooled.H != 4 || pooled.W != 4 {
				t.Errorf("%s aux%d: pooled to %v, the paper has 4×4", tc.model, i+1, pooled)
			}
		}
		r := run(t, "googlenet_aux", map[string]string{"model": tc.model})
		if got, want := experimenttest.StrictScalar(t, r, "with_aux.params"), float64(a.Main.Params+want[0]+want[1]); got != want {
			t.Errorf("%s: with aux %v, want %v", tc.model, got, want)
		}
	}
	// torchvision's googlenet(aux_logits=True, init_weights=True) has
	// 13,004,888 parameters: the fixture's 6,624,904 plus both heads.
	if got := tv.Params + auxParams(in4a, true) + auxParams(in4d, true); got != 13004888 {
		t.Errorf("formula total %d", got)
	}
	r := run(t, "googlenet_aux", nil)
	for key, want := range map[string]float64{"with_aux.params": 13004888, "main.params": 6624904, "aux.params": 13004888 - 6624904,
		"aux1.conv.params": 512 * 128, "aux1.fc1.params": 2048*1024 + 1024, "aux1.fc2.params": 1024*1000 + 1000} {
		if got := experimenttest.StrictScalar(t, r, key); got != want {
			t.Errorf("%s = %v, want %v", key, got, want)
		}
	}
}

func TestGAPHead(t *testing.T) {
	// VGG-16 (Simonyan & Zisserman 2014, configuration D) has 138,357,544
	// parameters in torchvision; its 13 3×3 convolutions hold the rest of
	// them, so its classifier — 512×7×7 → 4096 → 4096 → 1000 — holds the
	// difference.
	convs := [][2]int64{{3, 64}, {64, 64}, {64, 128}, {128, 128}, {128, 256}, {256, 256}, {256, 256},
		{256, 512}, {512, 512}, {512, 512}, {512, 512}, {512, 512}, {512, 512}}
	features := int64(0)
	for _, c := range convs {
		features += 9*c[0]*c[1] + c[1]
	}
	vggClassifier := 138357544 - features
	r := run(t, "gap_head", map[string]string{"c": "512"})
	if got := experimenttest.StrictScalar(t, r, "fc.params"); got != float64(vggClassifier) {
		t.Errorf("VGG-16 head: %v, want %d", got, vggClassifier)
	}
	// GoogLeNet's last map 1024×7×7: the VGG-style head against GoogLeNet's
	// average pool + linear 1024 → 1000 (Table 1: 1000K parameters).
	r = run(t, "gap_head", nil)
	fc := float64(1024*49*4096+4096) + float64(4096*4096+4096) + float64(4096*1000+1000)
	gap := float64(1024*1000 + 1000)
	for key, want := range map[string]float64{"fc.params": fc, "gap.params": gap, "saved": fc - gap, "saving": fc / gap, "flat_features": 50176} {
		if got := experimenttest.StrictScalar(t, r, key); got != want {
			t.Errorf("%s = %v, want %v", key, got, want)
		}
	}
	// No hidden layers: a single linear layer on the flattened map.
	r = run(t, "gap_head", map[string]string{"layers": "0"})
	if got := experimenttest.StrictScalar(t, r, "fc.params"); got != 50176*1000+1000 {
		t.Errorf("layers=0: %v", got)
	}
}
