// Package limits refuses, before anything runs, the requests that would take the server
// down: bodies that are too large, operations with too many tokens, fields, aliases or
// levels, lists too long as arguments, and operations whose cost (the rows they may fan
// out to, and the computations they start) is past a budget. Refusals are small errors
// with the code LIMIT_EXCEEDED, whose extensions name the limit, the request's value and
// the maximum; and a response never lists more than a handful of errors.
//
// Config holds the limits; Body wraps the HTTP handler (the size of the request), and
// Extension is the gqlgen handler extension that checks operations: the structure of the
// document before gqlparser validates it (validation is quadratic in repeated fields),
// the cost after, from the operation and its variables, before any resolver runs.
package limits

import (
	"fmt"

	"cobuild"
)

// Config is the limits of one request. A zero field takes its default (Default).
type Config struct {
	// MaxBodyBytes bounds a request's body, and the query string of a GET.
	MaxBodyBytes int64
	// MaxUploadBytes bounds the body of a multipart request, which carries files to
	// import (the operation in it is still bounded by the limits below).
	MaxUploadBytes int64
	// MaxTokens bounds the lexical tokens of the document (names, punctuation, values).
	MaxTokens int
	// MaxFields bounds the fields a document selects, a fragment's fields counted at
	// each place it is spread.
	MaxFields int
	// MaxAliases bounds the aliased fields of a document, counted as MaxFields.
	MaxAliases int
	// MaxDepth bounds how deep selections nest (introspection excepted: gqlparser bounds
	// it).
	MaxDepth int
	// MaxCost bounds the estimated cost of an operation (see Cost).
	MaxCost int
	// MaxListLength bounds every list given as an argument or in a variable, at any depth
	// of an input object.
	MaxListLength int
	// MaxErrors bounds the errors listed in one response; one more says how many were
	// left out.
	MaxErrors int

	// PageSize is how many rows a connection is taken to return when its first is not
	// given: the server's default page size.
	PageSize int
	// ListSize is how many items a list that no argument bounds is taken to hold.
	ListSize int
	// Prices are the fields whose work or size the generic rules of Cost do not see, by
	// "Type.field" (an interface's name stands for the types that implement it); nil
	// takes DefaultPrices.
	Prices map[string]Price
}

// Default is the limits unless configured otherwise. Every operation of the dashboard,
// of the README, of the golden tests and of the benchmarks passes them within half of
// each (TestEveryOperationOfTheClientsPassesTheDefaultsWithRoomToSpare checks it): the
// costliest, the dashboard's CSV export of 500 rows with three candidates each, costs
// about 32,000.
var Default = Config{
	MaxBodyBytes:   1 << 20,
	MaxUploadBytes: 256 << 20,
	MaxTokens:      5000,
	MaxFields:      500,
	MaxAliases:     100,
	MaxDepth:       12,
	MaxCost:        200_000,
	MaxListLength:  100,
	MaxErrors:      10,
	PageSize:       50,
	ListSize:       10,
}

// WithDefaults returns c with every zero (or negative) field set to its default.
func (c Config) WithDefaults() Config {
	d := Default
	set := func(v *int, def int) {
		if *v <= 0 {
			*v = def
		}
	}
	if c.MaxUploadBytes <= 0 {
		c.MaxUploadBytes = d.MaxUploadBytes
	}
	if c.MaxBodyBytes <= 0 {
		c.MaxBodyBytes = d.MaxBodyBytes
	}
	set(&c.MaxTokens, d.MaxTokens)
	set(&c.MaxFields, d.MaxFields)
	set(&c.MaxAliases, d.MaxAliases)
	set(&c.MaxDepth, d.MaxDepth)
	set(&c.MaxCost, d.MaxCost)
	set(&c.MaxListLength, d.MaxListLength)
	set(&c.MaxErrors, d.MaxErrors)
	set(&c.PageSize, d.PageSize)
	set(&c.ListSize, d.ListSize)
	if c.Prices == nil {
		c.Prices = DefaultPrices
	}
	return c
}

// The names of the limits, as extensions.limit gives them.
const (
	LimitBodyBytes  = "bodyBytes"
	LimitTokens     = "tokens"
	LimitFields     = "fields"
	LimitAliases    = "aliases"
	LimitDepth      = "depth"
	LimitCost       = "cost"
	LimitListLength = "listLength"
	LimitErrors     = "errors"
)

// messages are the Chinese and English texts of each limit, each given the value and the
// maximum (and, for a list, where it is).
var messages = map[string]string{
	LimitBodyBytes:  "请求过大：%[1]d 字节，上限为 %[2]d 字节。The request is too large: %[1]d bytes, the limit is %[2]d.",
	LimitTokens:     "查询过长：%[1]d 个词法单元，上限为 %[2]d 个。The query is too long: %[1]d tokens, the limit is %[2]d.",
	LimitFields:     "查询选择的字段过多：%[1]d 个（片段按每次引用计），上限为 %[2]d 个。The query selects too many fields: %[1]d (a fragment counted where it is spread), the limit is %[2]d.",
	LimitAliases:    "查询使用的别名过多：%[1]d 个，上限为 %[2]d 个。The query uses too many aliases: %[1]d, the limit is %[2]d.",
	LimitDepth:      "查询嵌套过深：%[1]d 层，上限为 %[2]d 层。The query nests too deep: %[1]d levels, the limit is %[2]d.",
	LimitCost:       "查询的估算成本为 %[1]d，超过上限 %[2]d；请减少每页行数（first）或嵌套的列表。The query's estimated cost is %[1]d, over the limit of %[2]d; ask for fewer rows (first) or fewer nested lists.",
	LimitListLength: "%[3]s 中的列表有 %[1]d 项，上限为 %[2]d 项。The list in %[3]s has %[1]d items, the limit is %[2]d.",
	LimitErrors:     "错误至少有 %[1]d 个，只列出前 %[2]d 个。There are at least %[1]d errors; the first %[2]d are listed.",
}

// Exceeded returns the LIMIT_EXCEEDED error of a limit: extensions {limit, value, max},
// and for the cost also {cost}; where names the argument or variable of a list.
func Exceeded(limit string, value, max int64, where string) *cobuild.Error {
	msg := messages[limit]
	if msg == "" {
		msg = "请求超过了服务器的限制 %[3]s：%[1]d，上限为 %[2]d。The request is past a limit of the server (%[3]s): %[1]d, the limit is %[2]d."
		where = limit
	}
	ext := map[string]any{"limit": limit, "value": value, "max": max}
	if limit == LimitCost {
		ext["cost"] = value
	}
	if where != "" {
		ext["at"] = where
	}
	return &cobuild.Error{Code: cobuild.ELIMIT, Message: fmt.Sprintf(msg, value, max, where), Extensions: ext}
}
