//go:build !race

package residual

const raceOn = false
