package arch

import (
	"fmt"
	"strings"
)

// googLeNetTable holds the channel columns of Table 1 of Szegedy et al. 2014
// for the nine inception modules, in order.
var googLeNetTable = []struct {
	Key string // "3a"
	InceptionSpec
}{
	{"3a", InceptionSpec{In: 192, C1: 64, C3Reduce: 96, C3: 128, C5Reduce: 16, C5: 32, PoolProj: 32}},
	{"3b", InceptionSpec{In: 256, C1: 128, C3Reduce: 128, C3: 192, C5Reduce: 32, C5: 96, PoolProj: 64}},
	{"4a", InceptionSpec{In: 480, C1: 192, C3Reduce: 96, C3: 208, C5Reduce: 16, C5: 48, PoolProj: 64}},
	{"4b", InceptionSpec{In: 512, C1: 160, C3Reduce: 112, C3: 224, C5Reduce: 24, C5: 64, PoolProj: 64}},
	{"4c", InceptionSpec{In: 512, C1: 128, C3Reduce: 128, C3: 256, C5Reduce: 24, C5: 64, PoolProj: 64}},
	{"4d", InceptionSpec{In: 512, C1: 112, C3Reduce: 144, C3: 288, C5Reduce: 32, C5: 64, PoolProj: 64}},
	{"4e", InceptionSpec{In: 528, C1: 256, C3Reduce: 160, C3: 320, C5Reduce: 32, C5: 128, PoolProj: 128}},
	{"5a", InceptionSpec{In: 832, C1: 256, C3Reduce: 160, C3: 320, C5Reduce: 32, C5: 128, PoolProj: 128}},
	{"5b", InceptionSpec{In: 832, C1: 384, C3Reduce: 192, C3: 384, C5Reduce: 48, C5: 128, PoolProj: 128}},
}

// inceptions returns the nine modules in a style with the given "5×5" kernel;
// the max pools between stages are inserted by poolAfter.
func inceptions(style Style, k5 int, poolAfter func(key string) *Layer) []*Layer {
	var out []*Layer
	for _, row := range googLeNetTable {
		s := row.InceptionSpec
		s.Reduce, s.K5 = true, k5
		out = append(out, Inception("inception"+row.Key, s, style))
		if p := poolAfter(row.Key); p != nil {
			out = append(out, p)
		}
	}
	return out
}

// GoogLeNet is torchvision's googlenet without the auxiliary classifiers:
// BasicConv2d units (conv without bias + BN eps 0.001 + ReLU), the "5×5"
// branch as a 3×3 convolution, max pools with ceil_mode, adaptive average
// pool, dropout 0.2 and a 1024→1000 linear layer (6,624,904 parameters).
func GoogLeNet() *Layer {
	m := container("", "GoogLeNet",
		ConvUnit("conv1", Torchvision, 3, 64, 7, 2, 3),
		MaxPool("maxpool1", 3, 2, 0, true),
		ConvUnit("conv2", Torchvision, 64, 64, 1, 1, 0),
		ConvUnit("conv3", Torchvision, 64, 192, 3, 1, 1),
		MaxPool("maxpool2", 3, 2, 0, true),
	)
	m.Children = append(m.Children, inceptions(Torchvision, 3, func(key string) *Layer {
		switch key {
		case "3b":
			return MaxPool("maxpool3", 3, 2, 0, true)
		case "4e":
			return MaxPool("maxpool4", 2, 2, 0, true)
		}
		return nil
	})...)
	m.Children = append(m.Children,
		leaf("avgpool", "AdaptiveAvgPool2d", AdaptiveAvgPool2d{H: 1, W: 1}),
		functional(leaf("flatten", "Flatten", Flatten{})),
		leaf("dropout", "Dropout", Dropout{P: 0.2}),
		leaf("fc", "Linear", Linear{In: 1024, Out: 1000, Bias: true}),
	)
	return m
}

// GoogLeNetPaper is GoogLeNet as Table 1 and Figure 3 of Szegedy et al. 2014
// publish it: convolutions with bias and ReLU, no batch norm, true 5×5
// branches, local response norm after the first max pool and after conv3,
// 3×3/2 max pools (ceil_mode, as Caffe rounds), 7×7 average pool, dropout
// 40% and a 1024→1000 linear layer. It expects a 3×224×224 input.
func GoogLeNetPaper() *Layer {
	m := container("", "GoogLeNetPaper",
		ConvUnit("conv1", Paper, 3, 64, 7, 2, 3),
		MaxPool("maxpool1", 3, 2, 0, true),
		leaf("lrn1", "LocalResponseNorm", LocalResponseNorm{Size: 5}),
		ConvUnit("conv2", Paper, 64, 64, 1, 1, 0),
		ConvUnit("conv3", Paper, 64, 192, 3, 1, 1),
		leaf("lrn2", "LocalResponseNorm", LocalResponseNorm{Size: 5}),
		MaxPool("maxpool2", 3, 2, 0, true),
	)
	m.Children = append(m.Children, inceptions(Paper, 5, func(key string) *Layer {
		switch key {
		case "3b":
			return MaxPool("maxpool3", 3, 2, 0, true)
		case "4e":
			return MaxPool("maxpool4", 3, 2, 0, true)
		}
		return nil
	})...)
	m.Children = append(m.Children,
		leaf("avgpool", "AvgPool2d", AvgPool2d{Pool{K: 7, Stride: 1}}),
		leaf("flatten", "Flatten", Flatten{}),
		leaf("dropout", "Dropout", Dropout{P: 0.4}),
		leaf("fc", "Linear", Linear{In: 1024, Out: 1000, Bias: true}),
	)
	return m
}

// ResNetVariant chooses where a bottleneck's stride sits.
type ResNetVariant int

const (
	// V15 is torchvision's ResNet: the stride in the bottleneck's 3×3 conv.
	V15 ResNetVariant = iota
	// V1 is He et al. 2015: the stride in the bottleneck's first 1×1 conv.
	V1
)

// resNetLayers gives the number of blocks per stage (He et al. 2015, Table 1).
var resNetLayers = map[int]struct {
	bottleneck bool
	blocks     [4]int
}{
	18:  {false, [4]int{2, 2, 2, 2}},
	34:  {false, [4]int{3, 4, 6, 3}},
	50:  {true, [4]int{3, 4, 6, 3}},
	101: {true, [4]int{3, 4, 23, 3}},
	152: {true, [4]int{3, 8, 36, 3}},
}

// ResNet is torchvision's resnet{depth} (depth 18, 34, 50, 101 or 152):
// 7×7/2 conv, BN, ReLU, 3×3/2 max pool (padding 1), four stages of widths
// 64, 128, 256, 512 (the last three starting with stride 2), adaptive
// average pool and a linear layer to 1000 classes; convolutions have no bias.
func ResNet(depth int, v ResNetVariant) (*Layer, error) {
	cfg, ok := resNetLayers[depth]
	if !ok {
		return nil, fmt.Errorf("arch: ResNet depth must be 18, 34, 50, 101 or 152, got %d", depth)
	}
	m := container("", "ResNet",
		Conv("conv1", 3, 64, 7, 2, 3, false), BN("bn1", 64), Relu("relu"), MaxPool("maxpool", 3, 2, 1, false))
	in := 64
	for stage, n := range cfg.blocks {
		width := 64 << stage
		seq := container(fmt.Sprintf("layer%d", stage+1), "Sequential")
		for i := range n {
			stride := 1
			if i == 0 && stage > 0 {
				stride = 2
			}
			name := fmt.Sprint(i)
			if cfg.bottleneck {
				seq.Children = append(seq.Children, BottleneckBlock(name, in, width, stride, 4, v == V1))
				in = width * 4
			} else {
				seq.Children = append(seq.Children, BasicBlock(name, in, width, stride))
				in = width
			}
		}
		m.Children = append(m.Children, seq)
	}
	m.Children = append(m.Children,
		leaf("avgpool", "AdaptiveAvgPool2d", AdaptiveAvgPool2d{H: 1, W: 1}),
		functional(leaf("flatten", "Flatten", Flatten{})),
		leaf("fc", "Linear", Linear{In: in, Out: 1000, Bias: true}),
	)
	return m, nil
}

// modelNames lists the models Build knows, in display order.
var modelNames = []string{"googlenet", "googlenet-paper", "resnet18", "resnet34", "resnet50", "resnet101", "resnet152"}

// Models lists the names Build accepts.
func Models() []string { return append([]string(nil), modelNames...) }

// Build returns a fresh description of a named model. The error for an
// unknown name lists the known ones.
func Build(name string) (*Layer, error) {
	switch name {
	case "googlenet":
		return GoogLeNet(), nil
	case "googlenet-paper":
		return GoogLeNetPaper(), nil
	case "resnet18":
		return ResNet(18, V15)
	case "resnet34":
		return ResNet(34, V15)
	case "resnet50":
		return ResNet(50, V15)
	case "resnet101":
		return ResNet(101, V15)
	case "resnet152":
		return ResNet(152, V15)
	}
	return nil, fmt.Errorf("arch: unknown model %q; known: %s", name, strings.Join(modelNames, ", "))
}
