package live

import "klasseaftale/agreements"

// The refusals only the live side makes: the domain knows no sockets. Their codes are message
// IDs in locales/ like the domain's.
var (
	errTooFast     = agreements.Errorf(agreements.KindTooMany, "live.too_fast")
	errTooManyTabs = agreements.Errorf(agreements.KindTooMany, "live.too_many_tabs")
	errTooManyFrom = agreements.Errorf(agreements.KindTooMany, "live.too_many_from_address")
	errServerFull  = agreements.Errorf(agreements.KindUnavailable, "live.server_full")
)

// Errors lists the refusals above, for the tests that each is documented and has a message in
// every language.
func Errors() []*agreements.Error {
	return []*agreements.Error{errTooFast, errTooManyTabs, errTooManyFrom, errServerFull}
}
