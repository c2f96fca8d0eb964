package server_test

import (
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"klasseaftale/internal/apptest"
)

// The CSV exports are opened in spreadsheets: no cell may be read as a formula, and a numeric
// column holds numbers or nothing.

// formulaNames are names a person can type that a spreadsheet would run (the OWASP list; tab
// and carriage return cannot start a name, whose spaces are trimmed).
var formulaNames = []string{`=cmd|' /C calc'!A0`, "+1+1", "-2+3", "@SUM(1,1)", `=HYPERLINK("http://x.invalid","klik")`}

// numericColumns are the columns that hold counts, per export.
var numericColumns = map[string][]string{
	"school": {"grade", "households", "parents_revision", "signed", "holding", "checkin_answers", "checkin_kept",
		"checkin_partly", "checkin_not_kept"},
	"municipality": {"classes", "classes_adopted", "classes_active", "active_percent", "families_covered", "reviews_overdue",
		"first_smartphone_age_10", "first_smartphone_age_15"},
}

var numeric = regexp.MustCompile(`^[0-9]*$`)

// checkCells fails for a cell that starts like a formula, and for a numeric cell that is not a
// number or empty.
func checkCells(t *testing.T, rows [][]string, numbers []string) {
	t.Helper()
	for _, row := range rows {
		for i, cell := range row {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("%s: the cell %q starts a formula", rows[0][i], cell)
			}
			if slices.Contains(numbers, rows[0][i]) && row[0] != rows[0][0] && !numeric.MatchString(cell) {
				t.Errorf("%s: the numeric column holds %q", rows[0][i], cell)
			}
		}
	}
}

func TestCSVCellsCannotRunFormulas(t *testing.T) {
	app := apptest.New(t)
	s := registerSchool(t, app, "@Skolen")
	for i, name := range formulaNames {
		c := schoolClass(t, app, s, name, i+1, 2+i) // small classes, so masked figures too
		publishWith(t, app, c, nil, 1, "first-smartphone")
	}
	schoolClass(t, app, s, "Almindelig", 9, 6)
	m := registerMunicipality(t, app, "-Kommune")
	joinMunicipality(t, app, s, m.JoinCode)

	rows := readCSV(t, app, schoolPath(s.ID, "adoption.csv"), s.Token)
	checkCells(t, rows, numericColumns["school"])
	for _, name := range formulaNames {
		// The name is kept, behind the quote that makes it text.
		if row := csvRow(t, rows, "'"+name); row["class"] != "'"+name {
			t.Errorf("class %q in the CSV as %q", name, row["class"])
		}
	}
	if row := csvRow(t, rows, "'"+formulaNames[0]); row["households"] != "" || row["households_under_5"] != "true" ||
		row["signed"] != "" || row["holding"] != "" {
		t.Errorf("a class of 2 households: %v", row)
	}
	if row := csvRow(t, rows, "Almindelig"); row["households"] != "6" || row["households_under_5"] != "false" {
		t.Errorf("a class of 6 households: %v", row)
	}

	rows = readCSV(t, app, "/api/v1/municipalities/"+m.ID+"/adoption.csv", m.Token)
	checkCells(t, rows, numericColumns["municipality"])
	if row := csvRow(t, rows, "'@Skolen"); row["families_covered"] != "" || row["families_covered_under_5"] != "true" {
		t.Errorf("the school in the roll-up: %v", row)
	}
	// The JSON is not a spreadsheet: it keeps the names as typed.
	var a adoptionJSON
	app.Must(http.StatusOK, "GET", schoolPath(s.ID, "adoption"), s.Token, nil, &a)
	if a.SchoolName != "@Skolen" || a.Classes[0].Name != formulaNames[0] {
		t.Errorf("the JSON shows %q and %q", a.SchoolName, a.Classes[0].Name)
	}
}
