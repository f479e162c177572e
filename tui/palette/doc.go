// Package palette holds nnlab's colours, designed for each colour depth a
// terminal offers — truecolor, xterm's 256 colours and the 16 of the user's
// own palette — on dark and on light backgrounds, with what is needed to
// check them: the colour a depth actually shows, WCAG contrast, and
// ordered-lightness ramps for data. Text is meant to reach 4.5:1 against
// what is behind it and chart marks 3:1; the tests measure both.
package palette
