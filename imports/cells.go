package imports

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"cobuild"
)

// Problem codes: what is wrong with a file, a sheet, a column or a cell. They are stable:
// clients may branch on them.
const (
	CodeBadFile         = "BAD_FILE"          // the file cannot be read
	CodeUnknownKind     = "UNKNOWN_KIND"      // the sheet is no kind of file cobuild knows
	CodeMissingColumn   = "MISSING_COLUMN"    // a required column is absent
	CodeDuplicateColumn = "DUPLICATE_COLUMN"  // two columns mean the same
	CodeRequired        = "REQUIRED"          // an empty cell that must be filled
	CodeBadNumber       = "BAD_NUMBER"        // not a number, or a negative count
	CodeBadDate         = "BAD_DATE"          // not a day
	CodeBadValue        = "BAD_VALUE"         // not one of the values of the column
	CodeBadID           = "BAD_ID"            // an id of the wrong form or kind
	CodeBadCreditCode   = "BAD_CREDIT_CODE"   // a credit code of the wrong form or check character
	CodeOutOfRange      = "OUT_OF_RANGE"      // a score above its dimension's maximum
	CodeDuplicate       = "DUPLICATE"         // twice in the file, or another node's key
	CodeUnknown         = "UNKNOWN_REFERENCE" // names nothing in the graph or the files
	CodeAmbiguous       = "AMBIGUOUS"         // names more than one node
	CodeDateOrder       = "DATE_ORDER"        // an end before its start
	CodeScoreMismatch   = "SCORE_MISMATCH"    // a total that is not the weighted sum
)

// value is a cell read by its column's type.
type value struct {
	set  bool // false for an empty cell
	s    string
	i    int64
	f    float64
	b    bool
	t    time.Time
	refs []string // cRef, cRefs: the text of each reference
}

// any returns the value as the store takes it: a string, int64, float64, bool or day.
func (v value) any(c *col) any {
	if !v.set {
		return nil
	}
	switch c.typ {
	case cInt:
		return v.i
	case cFloat, cScore:
		return v.f
	case cBool:
		return v.b
	case cDate:
		return v.t
	case cEnum:
		if c.enum == "operating" {
			return v.s == "true"
		}
		return v.s
	}
	return v.s
}

// cellError is a problem with one cell.
type cellError struct{ code, msg string }

func cellErr(code, zh, en string, args ...any) *cellError {
	return &cellError{code, fmt.Sprintf(zh, args...) + " (" + fmt.Sprintf(en, args...) + ")"}
}

// parse reads one cell of column c.
func (c *col) parse(raw string, rules cobuild.Rules) (value, *cellError) {
	s := strings.TrimSpace(strings.ReplaceAll(raw, "\u00a0", " "))
	// An export guards a text that a spreadsheet would take for a formula with a quote.
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune("=+-@", rune(s[1])) {
		s = s[1:]
	}
	if s == "" {
		if c.req {
			return value{}, cellErr(CodeRequired, "“%s”不能为空", "%s must not be empty", c.header)
		}
		return value{}, nil
	}
	v := value{set: true, s: s}
	switch c.typ {
	case cInt:
		n, ok := parseCount(s)
		if !ok {
			return v, cellErr(CodeBadNumber, "“%s”应为非负整数，实为“%s”", "%s must be a whole number, not negative; got %q", c.header, s)
		}
		v.i = n
	case cFloat, cScore:
		f, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", ""), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return v, cellErr(CodeBadNumber, "“%s”应为数字，实为“%s”", "%s must be a number; got %q", c.header, s)
		}
		v.f = f
		if c.typ == cScore {
			if max := rules.DimensionMax[c.dim]; f < 0 || f > max {
				return v, cellErr(CodeOutOfRange, "“%s”为%s，超出0至%g分", "%s is %s, outside 0 to %g", c.header, s, max)
			}
		}
	case cBool:
		b, ok := parseBool(s)
		if !ok {
			return v, cellErr(CodeBadValue, "“%s”应为“是”或“否”，实为“%s”", "%s must be 是 (yes) or 否 (no); got %q", c.header, s)
		}
		v.b = b
	case cDate:
		t, ok := parseDate(s)
		if !ok {
			return v, cellErr(CodeBadDate, "“%s”不是有效日期：“%s”（应如2023-05-31）", "%s is not a day: %q (write it as 2023-05-31)", c.header, s)
		}
		v.t = t
	case cEnum:
		code, ok := enumValue(c.enum, s)
		if !ok {
			return v, cellErr(CodeBadValue, "“%s”的值“%s”无法识别，可填：%s", "%s: %q is not one of: %s", c.header, s, strings.Join(enumChoices(c.enum), "、"))
		}
		v.s = code
	case cCredit:
		code := strings.ToUpper(strings.ReplaceAll(s, " ", ""))
		if err := cobuild.ValidateCreditCode(code); err != nil {
			return v, &cellError{CodeBadCreditCode, cobuild.ErrorMessage(err)}
		}
		v.s = code
	case cRound:
		r, ok := parseRound(s)
		if !ok {
			return v, cellErr(CodeBadValue, "“%s”应为每年5月或11月的轮次，如2023-05，实为“%s”", "%s must be a May or November round such as 2023-05; got %q", c.header, s)
		}
		v.s = r
	case cRef:
		v.refs = []string{s}
	case cRefs:
		for _, part := range refSeparators.Split(s, -1) {
			if part = strings.TrimSpace(part); part != "" {
				v.refs = append(v.refs, part)
			}
		}
	case cID:
		if _, err := cobuild.LabelOf(s); err != nil {
			return v, cellErr(CodeBadID, "“%s”格式有误：“%s”（应如og-000123）", "%s is malformed: %q (ids look like og-000123)", c.header, s)
		}
	}
	return v, nil
}

var refSeparators = regexp.MustCompile(`[；;、\n|]`)

func parseCount(s string) (int64, bool) {
	s = strings.ReplaceAll(s, ",", "")
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, n >= 0
	}
	// a workbook may hold 12 as 12.0
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || f != math.Trunc(f) || f > 1<<53 {
		return 0, false
	}
	return int64(f), true
}

func parseBool(s string) (bool, bool) {
	switch strings.ToLower(s) {
	case "是", "y", "yes", "true", "1", "√", "✓", "有":
		return true, true
	case "否", "n", "no", "false", "0", "×", "✗", "无":
		return false, true
	}
	return false, false
}

var (
	dateYMD     = regexp.MustCompile(`^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$`)
	dateCompact = regexp.MustCompile(`^(\d{4})(\d{2})(\d{2})$`)
)

// parseDate reads a day as offices write it: 2023-05-31, 2023/5/31, 2023.5.31,
// 2023年5月31日, 20230531, with or without a time of day, or as a workbook's serial day.
func parseDate(s string) (time.Time, bool) {
	m := dateYMD.FindStringSubmatch(s)
	if m == nil {
		m = dateCompact.FindStringSubmatch(s)
	}
	if m != nil {
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		d, _ := strconv.Atoi(m[3])
		t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
		if t.Year() != y || int(t.Month()) != mo || t.Day() != d || y < 1900 || y > 2200 {
			return time.Time{}, false
		}
		return t, true
	}
	// Excel's serial day: 1 is 1900-01-01, counting the 1900-02-29 that never was.
	if f, err := strconv.ParseFloat(s, 64); err == nil && f >= 61 && f < 110000 {
		return time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(f)), true
	}
	return time.Time{}, false
}

var roundPattern = regexp.MustCompile(`^(\d{4})\s*(?:-|年|/|\.)?\s*(0?5|11)\s*月?(?:份)?$`)

func parseRound(s string) (string, bool) {
	m := roundPattern.FindStringSubmatch(s)
	if m == nil {
		return "", false
	}
	mo := m[2]
	if len(mo) == 1 {
		mo = "0" + mo
	}
	return m[1] + "-" + mo, true
}

// enumValue returns the code of a cell of an enum column: its Chinese label, a synonym, or
// the code itself (in any case).
func enumValue(enum, s string) (string, bool) {
	if vals, ok := localEnums[enum]; ok {
		for code, labels := range vals {
			if strings.EqualFold(s, code) {
				return code, true
			}
			for _, l := range labels {
				if s == l {
					return code, true
				}
			}
		}
		return "", false
	}
	for _, e := range cobuild.EnumLabels(enum) {
		if s == e.Label || strings.EqualFold(s, e.Value) {
			return e.Value, true
		}
	}
	if enum == "OrgKind" {
		// The registry's own words, as an export writes them.
		for code, l := range cobuild.KindLabels {
			if s == l {
				return string(code), true
			}
		}
	}
	for code, syns := range enumSynonyms[enum] {
		for _, l := range syns {
			if s == l {
				return code, true
			}
		}
	}
	return "", false
}

// enumLabel is the label an export or a template writes for a code.
func enumLabel(enum, code string) string {
	if vals, ok := localEnums[enum]; ok {
		if l := vals[code]; len(l) > 0 {
			return l[0]
		}
		return code
	}
	return cobuild.Label(enum, code)
}

// enumChoices lists the labels written for an enum's values.
func enumChoices(enum string) []string {
	var out []string
	if vals, ok := localEnums[enum]; ok {
		for _, l := range vals {
			out = append(out, l[0])
		}
	} else {
		for _, e := range cobuild.EnumLabels(enum) {
			out = append(out, e.Label)
		}
	}
	sortStrings(out)
	return out
}
