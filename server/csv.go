package server

import (
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"klasseaftale/agreements"
)

// writeCSV sends rows as a CSV download. Its figures are the aggregated ones of the JSON, small
// groups masked the same way: nothing personal. Every cell is defused, so a class or school
// named like a formula stays text in a spreadsheet.
func writeCSV(c echo.Context, name string, rows [][]string) error {
	h := c.Response().Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	c.Response().WriteHeader(http.StatusOK)
	w := csv.NewWriter(c.Response())
	for _, row := range rows {
		for i := range row {
			row[i] = defuse(row[i])
		}
	}
	if err := w.WriteAll(rows); err != nil {
		return err
	}
	return w.Error()
}

// formulaStart holds the characters with which spreadsheets read a cell as a formula (the
// OWASP list for CSV injection): "=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(1,1)".
const formulaStart = "=+-@\t\r"

// defuse makes a cell that a spreadsheet would run as a formula plain text, by putting a single
// quote before it. No figure of ours starts with one of these characters (none is negative), so
// only names typed by people are ever changed.
func defuse(cell string) string {
	if cell != "" && strings.IndexByte(formulaStart, cell[0]) >= 0 {
		return "'" + cell
	}
	return cell
}

// number is a count's cell: the number, or empty when it is masked (the column beside it says
// so), so that a numeric column holds numbers only.
func number(c agreements.Count) string {
	if c.Masked {
		return ""
	}
	return strconv.Itoa(c.N)
}

// flag is a yes-or-no's cell: true or false, or empty when it is masked.
func flag(f agreements.Flag) string {
	if f.Masked {
		return ""
	}
	return strconv.FormatBool(f.On)
}

// under5 is the cell that says a count is masked: "true" when its group is smaller than
// agreements.MinGroup.
func under5(c agreements.Count) string { return strconv.FormatBool(c.Masked) }

var schoolCSVHeader = []string{"class", "grade", "households", "parents_status", "parents_revision",
	"published_at", "signed", "holding", "active", "first_smartphone_age", "social_media", "quiet_hours",
	"checkin_answers", "checkin_kept", "checkin_partly", "checkin_not_kept", "review_at", "review_overdue",
	"pupils_status", "pupils_active", "households_under_5", "checkin_answers_under_5", "pupils_under_5",
	"pupils_from_council", "council_clauses", "council_kept", "council_changed", "council_dropped", "council_added"}

func schoolCSV(a *agreements.SchoolAdoption) [][]string {
	rows := [][]string{schoolCSVHeader}
	for _, c := range a.Classes {
		row := []string{c.Name, strconv.Itoa(c.Grade), number(c.Households)}
		row = append(row, agreementCells(c.Parents)...)
		pupilsUnder5, council := "", make([]string, 6)
		if c.Pupils != nil {
			row = append(row, string(c.Pupils.Status), flag(c.Pupils.Active))
			pupilsUnder5, council = strconv.FormatBool(c.Pupils.Masked), councilCells(c.Pupils.Council)
		} else {
			row = append(row, "", "")
		}
		row = append(row, under5(c.Households), checkinUnder5(c.Parents), pupilsUnder5)
		rows = append(rows, append(row, council...))
	}
	return rows
}

func agreementCells(p *agreements.AgreementAdoption) []string {
	if p == nil {
		return make([]string, 15)
	}
	cells := []string{string(p.Status), strconv.Itoa(p.Revision), date(p.PublishedAt), number(p.Signed),
		number(p.Holding), flag(p.Active), p.Values["first_smartphone_age"],
		p.Values["social_media"], p.Values["quiet_hours"]}
	if ck := p.Checkin; ck != nil && ck.Shown {
		cells = append(cells, number(ck.Answers), strconv.Itoa(ck.Kept), strconv.Itoa(ck.Partly), strconv.Itoa(ck.NotKept))
	} else if ck != nil {
		cells = append(cells, number(ck.Answers), "", "", "")
	} else {
		cells = append(cells, "", "", "", "")
	}
	return append(cells, date(p.ReviewAt), strconv.FormatBool(p.ReviewOverdue))
}

// checkinUnder5 says whether the latest check-in's answers are too few to show; empty when
// there is none.
func checkinUnder5(p *agreements.AgreementAdoption) string {
	if p == nil || p.Checkin == nil {
		return ""
	}
	return under5(p.Checkin.Answers)
}

// councilCells say whether a pupils' agreement started from the pupil council's and what became
// of the council's clauses; the figures are empty where the class is too small to show them
// (pupils_under_5 says so).
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
	header = append(header, "families_covered_under_5", "council_agreements", "classes_from_council")
	rows := [][]string{header}
	add := func(name string, t agreements.AdoptionTotals) {
		row := []string{name, strconv.Itoa(t.Classes), strconv.Itoa(t.Adopted), strconv.Itoa(t.Active),
			strconv.Itoa(t.ActiveShare), number(t.Families), strconv.Itoa(t.Overdue)}
		for _, a := range ages {
			row = append(row, strconv.Itoa(t.DebutAges[a]))
		}
		rows = append(rows, append(row, under5(t.Families), strconv.Itoa(t.CouncilAgreements), strconv.Itoa(t.FromCouncil)))
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
