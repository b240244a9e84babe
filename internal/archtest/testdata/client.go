// Package fixture uses net/http's client side only, which a service may.
package fixture

import "net/http"

// Fetch asks another server.
func Fetch(c *http.Client, url string) (*http.Response, error) { return c.Get(url) }
