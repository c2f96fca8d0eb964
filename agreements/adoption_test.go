package agreements

import (
	"encoding/json"
	"testing"
)

func TestSmallClassesStayHiddenInTotals(t *testing.T) {
	active := &AgreementAdoption{Status: StatusPublished, Active: flagOf(true, 6), Values: map[string]string{"first_smartphone_age": "13"}}
	// A class of four: its agreement is masked (no values, activity unknown), as agreementAdoption makes it.
	masked := &AgreementAdoption{Status: StatusPublished, Masked: true, Active: flagOf(true, 4), Values: map[string]string{}}
	tot := newTotals()
	tot.add(ClassAdoption{Households: countOf(6, 6), Parents: active})
	tot.add(ClassAdoption{Households: countOf(4, 4), Parents: masked})
	tot.finish()
	// 10 would tell that the small class has 4 families, 2 active classes and two 13s that it is
	// active and chose 13: the totals count the large class only.
	if tot.Families.N != 6 || tot.Families.Masked || tot.Active != 1 || tot.DebutAges["13"] != 1 || tot.Adopted != 2 {
		t.Errorf("totals %+v", tot)
	}
	if b, _ := json.Marshal(masked.Active); string(b) != "null" {
		t.Errorf("a masked activity reads %s", b)
	}
	small := newTotals()
	small.add(ClassAdoption{Households: countOf(4, 4), Parents: masked})
	small.finish()
	var shown string
	if b, _ := json.Marshal(small.Families); json.Unmarshal(b, &shown) != nil || shown != "< 5" {
		t.Errorf("families of a school with one small class: %s", b)
	}
	if b, _ := json.Marshal(countOf(5, 5)); string(b) != `5` {
		t.Errorf("a class of five: %s", b)
	}
}
