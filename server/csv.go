package server

import (
	"encoding/csv"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"klasseaftale/agreements"
)

// writeCSV sends rows as a CSV download. Its figures are the aggregated ones of the JSON, small
// groups masked the same way: nothing personal.
func writeCSV(c echo.Context, name string, rows [][]string) error {
	h := c.Response().Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	c.Response().WriteHeader(http.StatusOK)
	w := csv.NewWriter(c.Response())
	if err := w.WriteAll(rows); err != nil {
		return err
	}
	return w.Error()
}

var schoolCSVHeader = []string{"class", "grade", "households", "parents_status", "parents_revision",
	"published_at", "signed", "holding", "active", "first_smartphone_age", "social_media", "quiet_hours",
	"checkin_answers", "checkin_kept", "checkin_partly", "checkin_not_kept", "review_at", "review_overdue",
	"pupils_status", "pupils_active", "pupils_from_council", "council_clauses", "council_kept", "council_changed",
	"council_dropped", "council_added"}

func schoolCSV(a *agreements.SchoolAdoption) [][]string {
	rows := [][]string{schoolCSVHeader}
	for _, c := range a.Classes {
		row := []string{c.Name, strconv.Itoa(c.Grade), c.Households.String()}
		row = append(row, agreementCells(c.Parents)...)
		if c.Pupils != nil {
			row = append(row, string(c.Pupils.Status), strconv.FormatBool(c.Pupils.Active))
			row = append(row, councilCells(c.Pupils.Council)...)
		} else {
			row = append(row, "", "", "", "", "", "", "", "")
		}
		rows = append(rows, row)
	}
	return rows
}

func agreementCells(p *agreements.AgreementAdoption) []string {
	if p == nil {
		return make([]string, 15)
	}
	cells := []string{string(p.Status), strconv.Itoa(p.Revision), date(p.PublishedAt), p.Signed.String(),
		p.Holding.String(), strconv.FormatBool(p.Active), p.Values["first_smartphone_age"],
		p.Values["social_media"], p.Values["quiet_hours"]}
	if ck := p.Checkin; ck != nil && ck.Shown {
		cells = append(cells, ck.Answers.String(), strconv.Itoa(ck.Kept), strconv.Itoa(ck.Partly), strconv.Itoa(ck.NotKept))
	} else if ck != nil {
		cells = append(cells, ck.Answers.String(), "", "", "")
	} else {
		cells = append(cells, "", "", "", "")
	}
	return append(cells, date(p.ReviewAt), strconv.FormatBool(p.ReviewOverdue))
}

// councilCells say whether a pupils' agreement started from the pupil council's and what became
// of the council's clauses; the figures are empty where the class is too small to show them.
func councilCells(f *agreements.CouncilFigures) []string {
	if f == nil {
		return []string{"false", "", "", "", "", ""}
	}
	cells := []string{"true", strconv.Itoa(f.Clauses), "", "", "", ""}
	if f.Shown {
		cells = append(cells[:2], strconv.Itoa(f.Kept), strconv.Itoa(f.Changed), strconv.Itoa(f.Dropped), strconv.Itoa(f.Added))
	}
	return cells
}

var ages = []string{"10", "11", "12", "13", "14", "15"}

func municipalityCSV(m *agreements.MunicipalityAdoption) [][]string {
	header := []string{"school", "classes", "classes_adopted", "classes_active", "active_percent", "families_covered", "reviews_overdue"}
	for _, a := range ages {
		header = append(header, "first_smartphone_age_"+a)
	}
	header = append(header, "council_agreements", "classes_from_council")
	rows := [][]string{header}
	add := func(name string, t agreements.AdoptionTotals) {
		row := []string{name, strconv.Itoa(t.Classes), strconv.Itoa(t.Adopted), strconv.Itoa(t.Active),
			strconv.Itoa(t.ActiveShare), t.Families.String(), strconv.Itoa(t.Overdue)}
		for _, a := range ages {
			row = append(row, strconv.Itoa(t.DebutAges[a]))
		}
		row = append(row, strconv.Itoa(t.CouncilAgreements), strconv.Itoa(t.FromCouncil))
		rows = append(rows, row)
	}
	for _, s := range m.Schools {
		add(s.Name, s.Totals)
	}
	add("", m.Totals)
	return rows
}

// date writes a day as 2006-01-02, or nothing.
func date(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format("2006-01-02")
}
