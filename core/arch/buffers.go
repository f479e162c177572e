package arch

// BNBuffers splits the buffer elements of the BatchNorm2d layers below l
// the way torch stores them: each BN layer keeps a running mean and a
// running variance (C elements each, the statistics) and one
// num_batches_tracked counter. It returns the number of BN layers (= the
// counters) and the number of statistics elements, Σ 2·C.
func BNBuffers(l *Layer) (layers, statistics int64) {
	visit(l, func(b *Layer) {
		if bn, ok := b.Op.(BatchNorm2d); ok {
			layers++
			statistics += 2 * int64(bn.C)
		}
	})
	return layers, statistics
}
