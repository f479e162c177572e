// Package assets embeds the static files nnlab ships with: the catalog of
// nnlab's own words by message id (messages.yaml), the catalogs of core's
// words in i18n/ (one YAML file per language, named by its code, e.g.
// i18n/ko.yaml) and the text diagrams (*.txt) that lessons and views show.
//
// The files are read-only and part of the binary; nothing here parses them.
// The catalogs are compiled by package tui/locale.
package assets

import "embed"

// FS holds every embedded file under its path relative to this directory,
// e.g. "i18n/ko.yaml" or "inception.txt".
//
//go:embed i18n/*.yaml messages.yaml *.txt
var FS embed.FS

// CatalogDir is the directory of FS that holds the translation catalogs.
const CatalogDir = "i18n"

// Messages is the file of FS that holds nnlab's own words by message id.
const Messages = "messages.yaml"
