// Command metrics serves read-only metric queries over stdio.
package main

import (
	"log"

	"github.com/mark3labs/mcp-go/server"

	"github.com/example/metrics-mcp/internal/metrics"
)

func main() {
	s := server.NewMCPServer("metrics", "1.0.0", server.WithToolCapabilities(false))
	s.AddTools(metrics.Toolset()...)
	if err := server.ServeStdio(s); err != nil {
		log.Fatal(err)
	}
}
