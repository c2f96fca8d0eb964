package server

import "klasseaftale/agreements"

// HTTPErrors are the errors only HTTP makes (errors.go), for the tests that each is documented
// and has a message in every language.
func HTTPErrors() []*agreements.Error { return httpErrors }
