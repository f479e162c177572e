// Package quiz generates parameter-count questions from layer specifications,
// grades typed answers and explains wrong ones. A question is about an
// experiment of the registry its caller passes (Generate, Kind.Draw,
// Kind.Build): the package knows no experiments of its own.
package quiz
