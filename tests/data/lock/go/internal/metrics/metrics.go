// Package metrics is the toolset that reads metrics.
package metrics

import (
	"context"
	"strconv"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/example/metrics-mcp/internal/texts"
)

var known = map[string]float64{"cpu": 0.4, "memory": 0.7}

// Toolset lists the tools of this package.
func Toolset() []server.ServerTool {
	return []server.ServerTool{
		{
			Tool: mcp.NewTool(texts.QueryName,
				mcp.WithDescription(texts.QueryDescription),
				mcp.WithString("metric", mcp.Required(), mcp.Enum("cpu", "memory")),
				mcp.WithReadOnlyHintAnnotation(true),
			),
			Handler: queryMetric,
		},
		{
			Tool: mcp.NewTool("list_metrics",
				mcp.WithDescription(texts.ListDescription),
				mcp.WithReadOnlyHintAnnotation(true),
			),
			Handler: listMetrics,
		},
	}
}

func queryMetric(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
	name, err := req.RequireString("metric")
	if err != nil {
		return mcp.NewToolResultError(err.Error()), nil
	}
	value, ok := known[name]
	if !ok {
		return mcp.NewToolResultError("unknown metric"), nil
	}
	return mcp.NewToolResultText(strconv.FormatFloat(value, 'f', -1, 64)), nil
}

func listMetrics(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
	return mcp.NewToolResultText("cpu\nmemory"), nil
}
