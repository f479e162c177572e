package palette

import (
	"math"
	"strconv"
	"strings"
	"sync"
)

// viridisAnchors is matplotlib's viridis at t = 0, 1/8, …, 1.
var viridisAnchors = []string{
	"#440154", "#472d7b", "#3b528b", "#2c728e", "#21918c", "#28ae80", "#5ec962", "#addc30", "#fde725",
}

// Viridis is viridis at t in [0, 1], interpolated in CIELAB between its
// anchors.
func Viridis(t float64) [3]float64 {
	t = math.Max(0, math.Min(1, t))
	f := t * float64(len(viridisAnchors)-1)
	i := min(int(f), len(viridisAnchors)-2)
	a, _ := hexRGB(viridisAnchors[i])
	b, _ := hexRGB(viridisAnchors[i+1])
	la, lb := lab(unit(a)), lab(unit(b))
	u := f - float64(i)
	var l [3]float64
	for k := range 3 {
		l[k] = la[k] + (lb[k]-la[k])*u
	}
	return fromLab(l)
}

// fromLab is the sRGB colour of a CIELAB (D65) one, clipped to the gamut.
func fromLab(l [3]float64) [3]float64 {
	fy := (l[0] + 16) / 116
	fx := fy + l[1]/500
	fz := fy - l[2]/200
	inv := func(f float64) float64 {
		if f > 6.0/29 {
			return f * f * f
		}
		return (f - 16.0/116) / 7.787
	}
	x, y, z := 0.95047*inv(fx), inv(fy), 1.08883*inv(fz)
	r := 3.2406*x - 1.5372*y - 0.4986*z
	g := -0.9689*x + 1.8758*y + 0.0415*z
	b := 0.0557*x - 0.2040*y + 1.0570*z
	c := func(v float64) float64 { return math.Max(0, math.Min(1, gamma(math.Max(0, v)))) }
	return [3]float64{c(r), c(g), c(b)}
}

// mixLinear mixes a towards b by t in linear light.
func mixLinear(a, b [3]float64, t float64) [3]float64 {
	var c [3]float64
	for i := range 3 {
		c[i] = gamma(linear(a[i]) + (linear(b[i])-linear(a[i]))*t)
	}
	return c
}

// fit256 gives each colour of a ramp ordered in lightness (increasing if
// up, else decreasing) the colour of xterm's cube nearest to it in CIELAB
// such that the 256-colour ramp stays ordered, each step at least 8 % apart
// in WCAG terms (L + 0.05): a dynamic programme over the cube and the greys
// (the cube alone has few muted colours, and forced order there jumps hue).
func fit256(ramp [][3]float64, up bool) []int {
	dirs := make([]bool, len(ramp))
	for i := range dirs {
		dirs[i] = up
	}
	return fit256Dirs(ramp, dirs)
}

// fit256Dirs is fit256 with a direction per step: step k (from colour k−1
// to k) goes up in lightness if up[k].
func fit256Dirs(ramp [][3]float64, upAt []bool) []int {
	const step = 1.08
	x := xterm256()
	n, m := len(ramp), len(x.index)
	dist := func(c [3]float64, j int) float64 {
		a := lab(c)
		return sq(a[0]-x.lab[j][0]) + sq(a[1]-x.lab[j][1]) + sq(a[2]-x.lab[j][2])
	}
	// cost[k][j]: the least total distance of levels 0…k with level k at
	// candidate j (+Inf: no ordered way there); prev[k][j]: level k−1's.
	cost := make([][]float64, n)
	prev := make([][]int, n)
	for k := range cost {
		cost[k], prev[k] = make([]float64, m), make([]int, m)
		for j := range m {
			cost[k][j], prev[k][j] = math.Inf(1), -1
		}
	}
	for j := range m {
		cost[0][j] = dist(ramp[0], j)
	}
	for k := 1; k < n; k++ {
		for j := range m {
			best, from := math.Inf(1), -1
			for i := range m { // candidates in index order: ties go to the lower index
				ok := x.lum[j] >= x.lum[i]*step
				if !upAt[k] {
					ok = x.lum[i] >= x.lum[j]*step
				}
				if ok && cost[k-1][i] < best {
					best, from = cost[k-1][i], i
				}
			}
			if from >= 0 {
				cost[k][j], prev[k][j] = best+dist(ramp[k], j), from
			}
		}
	}
	end, least := -1, math.Inf(1)
	for j := range m {
		if cost[n-1][j] < least {
			end, least = j, cost[n-1][j]
		}
	}
	out := make([]int, n)
	if end < 0 { // no ordered fit (steps too fine for the palette): the nearest each
		for k, c := range ramp {
			best := math.Inf(1)
			for j := range m {
				if d := dist(c, j); d < best {
					best, out[k] = d, x.index[j]
				}
			}
		}
		return out
	}
	for k := n - 1; k >= 0; k-- {
		out[k] = x.index[end]
		end = prev[k][end]
	}
	return out
}

// xterm256 is the colours 16…255 of xterm's palette with their lightness
// (WCAG L + 0.05) and CIELAB, computed once.
var xterm256 = sync.OnceValue(func() (x struct {
	index []int
	lum   []float64
	lab   [][3]float64
}) {
	for i := 16; i < 256; i++ {
		c := Xterm(i)
		x.index = append(x.index, i)
		x.lum = append(x.lum, Luminance(c)+0.05)
		x.lab = append(x.lab, lab(c))
	}
	return x
})

// rampSpec is how a theme's ramp is cut from viridis: n levels from t0 to
// t1 (low to high values), mixed towards the background by blend.
type rampSpec struct {
	n      int
	t0, t1 float64
	blend  float64
}

var (
	ramps   = map[bool][]Colour{}
	rampsMu sync.Mutex
)

// makeRamp builds a theme's ramp (truecolor exact, 256 fitted) once.
func makeRamp(dark bool) []Colour {
	rampsMu.Lock()
	defer rampsMu.Unlock()
	if r, ok := ramps[dark]; ok {
		return r
	}
	spec, bg := lightRamp, [3]float64{1, 1, 1}
	if dark {
		spec, bg = darkRamp, [3]float64{0, 0, 0}
	}
	tc := make([][3]float64, spec.n)
	for i := range tc {
		t := spec.t0 + (spec.t1-spec.t0)*float64(i)/float64(spec.n-1)
		tc[i] = mixLinear(Viridis(t), bg, spec.blend)
	}
	x := fit256(tc, dark)
	r := make([]Colour, spec.n)
	for i := range r {
		r[i] = Colour{TC: Hex(tc[i]), X256: x[i], X16: Default}
	}
	ramps[dark] = r
	return r
}

// The ramps: on a dark background viridis from its dark end up to its
// greens (its yellow end glares there); on a light one from its yellow end
// down to its blues, softened towards white, so the field stays behind the
// paths drawn on it.
var (
	darkRamp  = rampSpec{n: 9, t0: 0, t1: 0.78, blend: 0.55}
	lightRamp = rampSpec{n: 9, t0: 1, t1: 0.2, blend: 0.3}
)

// Ramp is a ramp for data of n colours interpolated (in CIELAB) through
// the stops, exact in truecolor, and in 256 colours fitted so that each
// step keeps the lightness direction of the truecolor step (a diverging
// ramp turns at its middle). Results are kept.
func Ramp(stops []string, n int) []Colour {
	key := strings.Join(stops, ",") + "/" + strconv.Itoa(n)
	if v, ok := dataRamps.Load(key); ok {
		return v.([]Colour)
	}
	labs := make([][3]float64, len(stops))
	for i, s := range stops {
		v, _ := hexRGB(s)
		labs[i] = lab(unit(v))
	}
	tc := make([][3]float64, n)
	for i := range tc {
		f := float64(i) / float64(max(1, n-1)) * float64(len(stops)-1)
		j := min(int(f), len(stops)-2)
		u := f - float64(j)
		var l [3]float64
		for k := range 3 {
			l[k] = labs[j][k] + (labs[j+1][k]-labs[j][k])*u
		}
		tc[i] = fromLab(l)
	}
	up := make([]bool, n)
	for i := 1; i < n; i++ {
		up[i] = Luminance(tc[i]) >= Luminance(tc[i-1])
	}
	x := fit256Dirs(tc, up)
	out := make([]Colour, n)
	for i := range out {
		out[i] = Colour{TC: Hex(tc[i]), X256: x[i], X16: Default}
	}
	dataRamps.Store(key, out)
	return out
}

var dataRamps sync.Map
