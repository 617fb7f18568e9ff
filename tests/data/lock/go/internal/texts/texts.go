// Package texts holds what clients read about the tools, in one place for
// review.
package texts

const (
	QueryName        = "query_metric"
	QueryDescription = "Read the latest value of one metric."
	ListDescription  = "List the metrics that can be queried."
)
