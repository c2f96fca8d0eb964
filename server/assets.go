package server

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"sort"
	"strings"

	"github.com/andybalholm/brotli"
	"github.com/labstack/echo/v4"

	"klasseaftale/agreements"
)

// assets serves the embedded static files. Pages link them under a prefix that carries a hash
// of all of them (/static/v1a2b3c4d/js/app.js), so they can be cached for a year: any change
// gives every file a new address. ES modules import each other by relative paths, which stay
// inside the same prefix. Text files are compressed once, at start, with brotli and gzip.
type assets struct {
	version string
	files   map[string]asset
}

type asset struct {
	body, br, gz []byte
	ctyp         string
	etag         string
}

func newAssets(web fs.FS) (*assets, error) {
	a := &assets{files: map[string]asset{}}
	site := sha256.New()
	var names []string
	err := fs.WalkDir(web, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		names = append(names, p)
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	for _, p := range names {
		body, err := fs.ReadFile(web, p)
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(body)
		site.Write(sum[:])
		f := asset{body: body, ctyp: contentType(p), etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
		if compressible(f.ctyp) {
			f.br, f.gz = compress(body)
		}
		a.files[strings.TrimPrefix(p, "static/")] = f
	}
	a.version = "v" + hex.EncodeToString(site.Sum(nil))[:10]
	return a, nil
}

func contentType(name string) string {
	if t := mime.TypeByExtension(path.Ext(name)); t != "" {
		return t
	}
	return "application/octet-stream"
}

func compressible(ctyp string) bool {
	return strings.HasPrefix(ctyp, "text/") || strings.Contains(ctyp, "javascript") ||
		strings.Contains(ctyp, "json") || strings.Contains(ctyp, "svg")
}

func compress(body []byte) (br, gz []byte) {
	var b, g bytes.Buffer
	// Level 6, not 11: 11 costs seconds and a gigabyte of allocations at every start for files
	// about 1 % smaller.
	bw := brotli.NewWriterLevel(&b, 6)
	bw.Write(body)
	bw.Close()
	gw, _ := gzip.NewWriterLevel(&g, gzip.BestCompression)
	gw.Write(body)
	gw.Close()
	return b.Bytes(), g.Bytes()
}

// url returns the versioned address of a static file.
func (a *assets) url(name string) string { return "/static/" + a.version + "/" + name }

// static serves a file: with a year's caching under the current version, revalidated otherwise.
func (s *Server) static(c echo.Context) error {
	name := c.Param("*")
	cache := "no-cache"
	if v, rest, ok := strings.Cut(name, "/"); ok && strings.HasPrefix(v, "v") && len(v) == len(s.assets.version) {
		name = rest
		if v == s.assets.version {
			cache = "public, max-age=31536000, immutable"
		}
	}
	f, ok := s.assets.files[name]
	if !ok {
		return agreements.ErrNotFound
	}
	h := c.Response().Header()
	h.Set("Cache-Control", cache)
	h.Set("ETag", f.etag)
	h.Set("Vary", "Accept-Encoding")
	if c.Request().Header.Get("If-None-Match") == f.etag {
		return c.NoContent(http.StatusNotModified)
	}
	body, enc := f.body, ""
	accept := c.Request().Header.Get("Accept-Encoding")
	switch {
	case f.br != nil && strings.Contains(accept, "br"):
		body, enc = f.br, "br"
	case f.gz != nil && strings.Contains(accept, "gzip"):
		body, enc = f.gz, "gzip"
	}
	if enc != "" {
		h.Set("Content-Encoding", enc)
	}
	return c.Blob(http.StatusOK, f.ctyp, body)
}

// serviceWorker serves the service worker from the site's root, so it may keep the agreement
// pages (a worker controls only the pages below its own address). Always revalidated: a new
// version of the site brings a new worker.
func (s *Server) serviceWorker(c echo.Context) error {
	f, ok := s.assets.files["sw.js"]
	if !ok {
		return agreements.ErrNotFound
	}
	h := c.Response().Header()
	h.Set("Cache-Control", "no-cache")
	h.Set("ETag", f.etag)
	if c.Request().Header.Get("If-None-Match") == f.etag {
		return c.NoContent(http.StatusNotModified)
	}
	return c.Blob(http.StatusOK, "text/javascript; charset=utf-8", f.body)
}
