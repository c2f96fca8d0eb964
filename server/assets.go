package server

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/labstack/echo/v4"

	"klasseaftale/agreements"
)

// assets serves the embedded static files with a content hash as ETag, so browsers revalidate
// cheaply and never run a stale script after an upgrade.
type assets struct {
	files map[string]asset
}

type asset struct {
	body []byte
	etag string
	ctyp string
}

func newAssets(web fs.FS) (*assets, error) {
	a := &assets{files: map[string]asset{}}
	err := fs.WalkDir(web, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(web, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		ctyp := mime.TypeByExtension(path.Ext(p))
		if ctyp == "" {
			ctyp = "application/octet-stream"
		}
		a.files[strings.TrimPrefix(p, "static/")] = asset{body: body, etag: `"` + hex.EncodeToString(sum[:8]) + `"`, ctyp: ctyp}
		return nil
	})
	return a, err
}

// url returns the address of a static file, with its hash so caches see a new version.
func (a *assets) url(name string) string {
	if f, ok := a.files[name]; ok {
		return "/static/" + name + "?v=" + strings.Trim(f.etag, `"`)
	}
	return "/static/" + name
}

func (s *Server) static(c echo.Context) error {
	f, ok := s.assets.files[c.Param("*")]
	if !ok {
		return agreements.ErrNotFound
	}
	h := c.Response().Header()
	h.Set("ETag", f.etag)
	h.Set("Cache-Control", "no-cache")
	if c.Request().Header.Get("If-None-Match") == f.etag {
		return c.NoContent(http.StatusNotModified)
	}
	return c.Blob(http.StatusOK, f.ctyp, f.body)
}
