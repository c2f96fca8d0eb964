package server

import "github.com/labstack/echo/v4"

// liveHandler authenticates the WebSocket upgrade like any API request and hands the
// connection to the live side.
func (s *Server) liveHandler(l Live) echo.HandlerFunc {
	return func(c echo.Context) error {
		actor, err := s.actor(c)
		if err != nil {
			return err
		}
		l.Serve(c.Response(), c.Request(), actor, c.Param("id"), s.lang(c))
		return nil
	}
}
