// Package terminal asks the local terminal, once and briefly, what nnlab's
// colours need to know before the app takes it over: whether its background
// is dark or light. It reads the environment first (COLORFGBG, the Linux
// console), then asks with OSC 11 and a cursor-position query in raw mode
// under a short deadline, so a terminal that answers nothing costs a fraction
// of a second once and never a hang. An SSH session never uses it: a server
// does not question its clients' terminals.
package terminal
