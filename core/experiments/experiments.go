// Package experiments gathers every experiment nnlab offers into one registry
// (core/experiment is their shared contract).
package experiments

import (
	"sync"

	"github.com/nnlab/nnlab/core/adaptive"
	"github.com/nnlab/nnlab/core/arch"
	"github.com/nnlab/nnlab/core/cnn"
	"github.com/nnlab/nnlab/core/conv"
	"github.com/nnlab/nnlab/core/convnet"
	"github.com/nnlab/nnlab/core/experiment"
	"github.com/nnlab/nnlab/core/optim"
	"github.com/nnlab/nnlab/core/residual"
)

var (
	once sync.Once
	reg  *experiment.Registry
)

// Registry returns the experiments, in the order lessons introduce them.
func Registry() *experiment.Registry {
	once.Do(func() {
		var all []*experiment.Experiment
		all = append(all, optim.Experiments()...)
		all = append(all, adaptive.Experiments()...)
		all = append(all, conv.Experiments()...)
		all = append(all, cnn.Experiments()...)
		all = append(all, arch.Experiments()...)
		all = append(all, residual.Experiments()...)
		all = append(all, convnet.Experiments()...)
		reg = experiment.NewRegistry(all...)
	})
	return reg
}
