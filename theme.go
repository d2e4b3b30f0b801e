// Package lmcpress holds the default theme, embedded so that the binary alone
// builds a folder that has only content/. The code is under internal/ and
// cmd/lmcpress.
package lmcpress

import "embed"

// Theme is the default templates/ and static/ folders.
//
//go:embed all:templates all:static
var Theme embed.FS
