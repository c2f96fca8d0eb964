package server

import (
	"html/template"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"klasseaftale/agreements"
)

func (s *Server) pageSchoolNew(c echo.Context) error {
	return s.render(c, http.StatusOK, "school_new", "school.new_title", nil)
}

// schoolData is the school's page: the overview for its admin and board, and for the admin
// what it manages.
type schoolData struct {
	Admin      bool
	School     *agreements.School // the admin's view: codes and help
	Adoption   *agreements.SchoolAdoption
	Classes    []agreements.Class
	Links      []agreements.BoardLink
	Adults     []agreements.TrustedAdult // the admin's list, with a blank row to fill in
	MaxAdults  int
	GradeChart template.HTML
	AgeChart   template.HTML
	Council    *councilAdminData // the pupil council, for the admin; nil when there is none
}

func (s *Server) pageSchool(c echo.Context) error {
	actor := actorOf(c)
	ctx, id := c.Request().Context(), c.Param("id")
	d := schoolData{Admin: actor.IsSchoolAdmin(id)}
	var err error
	if d.Adoption, err = s.svc.SchoolAdoption(ctx, actor, id); err != nil {
		return err
	}
	if d.Admin {
		if err := s.schoolAdminData(c, actor, id, &d); err != nil {
			return err
		}
	}
	lang := s.lang(c)
	d.GradeChart = s.gradeChart(lang, d.Adoption.Classes)
	d.AgeChart = s.ageChart(lang, d.Adoption.Totals)
	return s.render(c, http.StatusOK, "school", "school.title", d)
}

// schoolAdminData adds what the school's admin manages: the codes and help, the classes, the
// board links, the trusted adults and the pupil council.
func (s *Server) schoolAdminData(c echo.Context, actor agreements.Actor, id string, d *schoolData) (err error) {
	ctx := c.Request().Context()
	if d.School, err = s.svc.School(ctx, actor, id); err != nil {
		return err
	}
	if d.Classes, err = s.svc.SchoolClasses(ctx, actor, id); err != nil {
		return err
	}
	if d.Links, err = s.svc.BoardLinks(ctx, actor, id); err != nil {
		return err
	}
	if d.Adults, err = s.svc.TrustedAdults(ctx, actor, id); err != nil {
		return err
	}
	if d.MaxAdults = agreements.MaxTrustedAdults; len(d.Adults) < d.MaxAdults {
		d.Adults = append(d.Adults, agreements.TrustedAdult{})
	}
	d.Council, err = s.councilAdmin(c, actor, id)
	return err
}

// gradeChart is a bar per grade: the share of its classes whose parents adopted an agreement.
func (s *Server) gradeChart(lang string, classes []agreements.ClassAdoption) template.HTML {
	var grades []int
	total, adopted := map[int]int{}, map[int]int{}
	for _, c := range classes {
		if total[c.Grade] == 0 {
			grades = append(grades, c.Grade)
		}
		total[c.Grade]++
		if c.Adopted() {
			adopted[c.Grade]++
		}
	}
	bars := make([]bar, len(grades))
	for i, g := range grades {
		bars[i] = bar{Label: s.msgs.T(lang, "grade.name", map[string]any{"Grade": g}),
			Value: adopted[g] * 100 / total[g], Text: strconv.Itoa(adopted[g]) + " / " + strconv.Itoa(total[g])}
	}
	return barChart(s.msgs.T(lang, "school.chart_grades", nil), bars, 100, s.msgs.T(lang, "school.chart_no_classes", nil))
}

// ageChart is a bar per age: how many classes chose it for the first smartphone.
func (s *Server) ageChart(lang string, t agreements.AdoptionTotals) template.HTML {
	bars := make([]bar, len(ages))
	max := 0
	for i, a := range ages {
		n := t.DebutAges[a]
		bars[i] = bar{Label: s.msgs.T(lang, "school.age", map[string]any{"Age": a}), Value: n, Text: strconv.Itoa(n)}
		max = maxInt(max, n)
	}
	if max == 0 {
		bars = nil // no class has chosen an age: a row of empty bars would say nothing
	}
	return barChart(s.msgs.T(lang, "school.chart_ages", nil), bars, max, s.msgs.T(lang, "school.chart_no_ages", nil))
}

func maxInt(a, b int) int {
	if a > b {
		return a
	}
	return b
}

// municipalityData is a municipality's page.
type municipalityData struct {
	M        *agreements.Municipality
	Adoption *agreements.MunicipalityAdoption
	AgeChart template.HTML
}

func (s *Server) pageMunicipality(c echo.Context) error {
	actor := actorOf(c)
	ctx, id := c.Request().Context(), c.Param("id")
	var d municipalityData
	var err error
	if d.M, err = s.svc.Municipality(ctx, actor, id); err != nil {
		return err
	}
	if d.Adoption, err = s.svc.MunicipalityAdoption(ctx, actor, id); err != nil {
		return err
	}
	d.AgeChart = s.ageChart(s.lang(c), d.Adoption.Totals)
	return s.render(c, http.StatusOK, "municipality", "municipality.title", d)
}

func (s *Server) pageMunicipalityNew(c echo.Context) error {
	return s.render(c, http.StatusOK, "municipality_new", "municipality.new_title", nil)
}
