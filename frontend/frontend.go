// Package frontend holds the pages' HTML templates, the stylesheet and the ES modules. They are
// embedded, and there is no build step: what is here is what the browser gets.
package frontend

import "embed"

// FS holds templates/*.html and static/.
//
//go:embed templates static
var FS embed.FS
