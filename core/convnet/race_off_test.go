//go:build !race

package convnet

// raceOn reports whether the race detector is on.
const raceOn = false
