package e2e

import (
	"net/http"
	"testing"

	"github.com/stratus-drive/stratus/internal/testenv"
)

// BenchmarkRequestSettingsSync measures a cheap API request end to end with
// the in-memory KV and with Redis, where every request first reads the
// settings version (one GET): the difference is the price of settings that
// apply at once in every process.
func BenchmarkRequestSettingsSync(b *testing.B) {
	for _, c := range []struct {
		name  string
		redis bool
	}{{"memory", false}, {"redis", true}} {
		b.Run(c.name, func(b *testing.B) {
			env := testenv.Start(b, testenv.Options{Redis: c.redis})
			client := &http.Client{}
			url := env.URL + "/api/v4/site/ping"
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				resp, err := client.Get(url)
				if err != nil {
					b.Fatal(err)
				}
				resp.Body.Close()
			}
		})
	}
}
