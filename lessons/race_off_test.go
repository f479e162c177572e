//go:build !race

package lessons

const raceOn = false
