package auth

import "strings"

// compoundSurnames are the two-character family names kept whole by MaskName.
var compoundSurnames = []string{"欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "长孙", "宇文", "司徒", "夏侯", "轩辕", "端木", "西门", "南宫", "独孤", "钟离"}

// MaskName hides a person's given name, keeping the family name: 王建国 becomes 王**,
// 欧阳明 欧阳**. A name of one character becomes **.
func MaskName(name string) string {
	rs := []rune(strings.TrimSpace(name))
	if len(rs) < 2 {
		return "**"
	}
	keep := 1
	for _, s := range compoundSurnames {
		if len(rs) > 2 && strings.HasPrefix(string(rs), s) {
			keep = 2
			break
		}
	}
	return string(rs[:keep]) + "**"
}
