package server

import "github.com/labstack/echo/v4"

// routes lists every route of the product on one screen.
func (s *Server) routes(e *echo.Echo) {
	e.Use(s.secureHeaders, s.logRequests, s.compressPages())

	e.GET("/healthz", s.healthz)
	e.GET("/static/*", s.static)
	e.GET("/i18n/:lang", s.messagesJSON)

	// Pages.
	e.GET("/", s.pageHome)
	e.GET("/join", s.pageJoin)
	e.GET("/k/:token", s.pageKey)
	e.GET("/lang", s.pageLang)
	e.GET("/accessibility", s.pageAccessibility)
	e.GET("/privacy", s.pagePrivacy)
	e.GET("/school/new", s.pageSchoolNew)
	e.GET("/s/:id", s.pageSchool)
	e.GET("/municipality/new", s.pageMunicipalityNew)
	e.GET("/m/:id", s.pageMunicipality)
	e.GET("/c/:id", s.pageClass)
	e.GET("/c/:id/projector", s.pageProjector)
	e.GET("/a/:id", s.pageAgreement)
	e.GET("/a/:id/meeting", s.pageMeeting)
	e.GET("/p/:slug", s.pagePublished)

	// The JSON API (docs/api.md).
	api := e.Group("/api/v1")
	api.POST("/schools", s.apiRegisterSchool)
	api.GET("/schools/:id", s.apiSchool)
	api.PUT("/schools/:id/help", s.apiSetSchoolHelp)
	api.GET("/schools/:id/adoption", s.apiSchoolAdoption)
	api.GET("/schools/:id/adoption.csv", s.apiSchoolAdoptionCSV)
	api.POST("/schools/:id/organiser-code/rotate", s.apiRotateOrganiserCode)
	api.GET("/schools/:id/classes", s.apiSchoolClasses)
	api.POST("/schools/:id/classes/:cid/archive", s.apiArchiveClass)
	api.DELETE("/schools/:id/classes/:cid/archive", s.apiArchiveClass)
	api.POST("/schools/:id/board-links", s.apiCreateBoardLink)
	api.GET("/schools/:id/board-links", s.apiBoardLinks)
	api.DELETE("/schools/:id/board-links/:lid", s.apiRevokeBoardLink)
	api.PUT("/schools/:id/municipality", s.apiJoinMunicipality)
	api.POST("/municipalities", s.apiRegisterMunicipality)
	api.GET("/municipalities/:id/adoption", s.apiMunicipalityAdoption)
	api.GET("/municipalities/:id/adoption.csv", s.apiMunicipalityAdoptionCSV)
	api.POST("/classes", s.apiCreateClass)
	api.GET("/classes/:id", s.apiClass)
	api.POST("/classes/:id/school", s.apiAttachClass)
	api.POST("/classes/:id/codes/:role/rotate", s.apiRotateCode)
	api.DELETE("/classes/:id/members/:mid", s.apiRemoveMember)
	api.POST("/join", s.apiJoin)
	api.GET("/me", s.apiMe)
	api.POST("/logout", s.apiLogout)
	api.GET("/templates", s.apiTemplates)
	api.POST("/classes/:id/agreements", s.apiCreateAgreement)
	api.GET("/agreements/:id", s.apiAgreement)
	api.POST("/agreements/:id/clauses", s.apiAddClause)
	api.PUT("/agreements/:id/clauses/:cid", s.apiEditClause)
	api.DELETE("/agreements/:id/clauses/:cid", s.apiRemoveClause)
	api.POST("/agreements/:id/clauses/:cid/move", s.apiMoveClause)
	api.POST("/agreements/:id/voting", s.apiOpenVote)
	api.DELETE("/agreements/:id/voting", s.apiReturnToDraft)
	api.PUT("/agreements/:id/votes", s.apiCastVote)
	api.GET("/agreements/:id/votes", s.apiMyVotes)
	api.GET("/agreements/:id/results", s.apiResults)
	api.POST("/agreements/:id/close", s.apiCloseVote)
	api.POST("/agreements/:id/publish", s.apiPublish)
	api.POST("/agreements/:id/signatures", s.apiSign)
	api.DELETE("/agreements/:id/signatures", s.apiWithdraw)
	api.GET("/agreements/:id/signatures", s.apiSignatures)
	api.POST("/agreements/:id/checkins", s.apiAnswerCheckin)
	api.POST("/agreements/:id/checkins/open", s.apiOpenCheckin)
	api.GET("/agreements/:id/checkins", s.apiCheckin)
	api.POST("/agreements/:id/revise", s.apiRevise)
	api.PUT("/classes/:id/activation", s.apiSetActivation)
	api.GET("/published/:slug", s.apiPublished)
	if s.live != nil {
		api.GET("/agreements/:id/live", s.live)
	}
	// No catch-all here: Echo's own 404 and 405 reach handleError, which answers /api/ paths in
	// JSON; an api.Any("/*") would turn every wrong method into a 404.
}
