package agreements

import (
	"encoding/json"
	"testing"
)

func TestSmallClassesStayHiddenInTotals(t *testing.T) {
	active := &AgreementAdoption{Status: StatusPublished, Active: true, Values: map[string]string{"first_smartphone_age": "13"}}
	tot := newTotals()
	tot.add(ClassAdoption{Households: countOf(6, 6), Parents: active})
	tot.add(ClassAdoption{Households: countOf(4, 4), Parents: active})
	tot.finish()
	// 10 would tell that the small class has 4 families: the total counts the large class only.
	if tot.Families.N != 6 || tot.Families.Masked || tot.Active != 2 || tot.DebutAges["13"] != 2 {
		t.Errorf("totals %+v", tot)
	}
	small := newTotals()
	small.add(ClassAdoption{Households: countOf(4, 4), Parents: active})
	small.finish()
	var shown string
	if b, _ := json.Marshal(small.Families); json.Unmarshal(b, &shown) != nil || shown != "< 5" {
		t.Errorf("families of a school with one small class: %s", b)
	}
	if b, _ := json.Marshal(countOf(5, 5)); string(b) != `5` {
		t.Errorf("a class of five: %s", b)
	}
}
