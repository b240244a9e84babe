// Package fixture uses net/http's serving side, which a service must not.
package fixture

import web "net/http"

// Serve writes a response, which only the edge may do.
func Serve(w web.ResponseWriter, r *web.Request) { web.Error(w, r.URL.Path, 404) }
