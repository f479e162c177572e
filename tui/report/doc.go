// Package report renders an experiment's neutral result as plain text — aligned
// tables, small character charts and heat maps — for the command line and for
// the static lesson export. It never computes; it only lays out what core gave.
package report
