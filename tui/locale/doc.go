// Package locale translates the English labels of experiment results and
// parameter help into the learner's language, for views to apply just before
// they draw; core stays language-neutral and never sees a translation.
//
// The catalogs are assets/i18n/<lang>.yaml: a list of entries
//
//   - en: "Output height"
//     ko: "출력 높이"
//   - en: "{} final loss f(θ_T)"
//     ko: "{1}의 최종 손실 f(θ_T)"
//
// An en text without "{}" is an exact entry. With "{}" it is a pattern: each
// "{}" matches any non-empty text (shortest first) and the whole string must
// match; the translation names the matched texts {1}, {2}, … so that word
// order can change. Two placeholders may not touch ("{}{}" is ambiguous), and
// every placeholder must be used in the translation.
//
// Lookup order: an exact entry wins; otherwise patterns are tried from the
// one with the most literal text to the least (ties in file order), and the
// first that matches is used. A matched text that is itself an exact entry
// (a branch or net name such as "plain") is translated too. A string with no
// entry is returned unchanged, so a missing translation shows English, never
// an error. English ("en") and languages without a catalog are the identity.
//
// Catalogs are compiled once, on first use. A malformed catalog never panics:
// a file that is not valid YAML leaves its language in English, and a bad
// entry is skipped; Err reports both, and the package tests fail on them.
package locale
