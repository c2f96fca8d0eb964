package server

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"klasseaftale/agreements"
)

// privacyData are the figures the privacy page states, taken from the code that applies them,
// so the page cannot say something else than the server does.
type privacyData struct {
	MinGroup       int // results and overviews are shown from this many
	InactiveMonths int // a class unused this long is deleted
	NoticeDays     int // the class page warns this long before
	ArchiveDays    int // an archived class is deleted after this long
	EditLogDays    int // an edit log is deleted this long after the last edit
}

func days(d time.Duration) int { return int(d / (24 * time.Hour)) }

func (s *Server) pagePrivacy(c echo.Context) error {
	d := privacyData{MinGroup: agreements.MinGroup, InactiveMonths: agreements.InactiveMonths,
		NoticeDays: days(agreements.DeletionNotice), ArchiveDays: days(s.svc.Retention()),
		EditLogDays: days(agreements.EditLogRetention)}
	return s.render(c, http.StatusOK, "privacy", "privacy.title", d)
}
