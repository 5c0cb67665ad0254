package cobuild

import "strings"

// creditCodeAlphabet is the character set of the unified social credit code (GB 32100-2015):
// digits and upper-case letters without I, O, Z, S and V, valued 0..30 in this order.
const creditCodeAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var creditCodeWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// CreditCodeCheck returns the check character (the 18th) for the first 17 characters of a
// unified social credit code, or an EINVALID error when they are not 17 valid characters.
func CreditCodeCheck(first17 string) (byte, error) {
	if len(first17) != 17 {
		return 0, Errorf(EINVALID, "统一社会信用代码前17位应为17个字符，实为%d个 (credit code body must be 17 characters, got %d)", len(first17), len(first17))
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(creditCodeAlphabet, first17[i])
		if v < 0 {
			return 0, Errorf(EINVALID, "统一社会信用代码第%d位 %q 不是有效字符 (credit code has invalid character %q at position %d)", i+1, first17[i], first17[i], i+1)
		}
		sum += v * creditCodeWeights[i]
	}
	return creditCodeAlphabet[(31-sum%31)%31], nil
}

// ValidateCreditCode returns nil when code is an 18-character unified social credit code
// whose check character is right, and an EINVALID error that says what is wrong otherwise.
func ValidateCreditCode(code string) error {
	if len(code) != 18 {
		return Errorf(EINVALID, "统一社会信用代码应为18位，实为%d位 (credit code must be 18 characters, got %d)", len([]rune(code)), len([]rune(code)))
	}
	want, err := CreditCodeCheck(code[:17])
	if err != nil {
		return err
	}
	if strings.IndexByte(creditCodeAlphabet, code[17]) < 0 {
		return Errorf(EINVALID, "统一社会信用代码第18位 %q 不是有效字符 (credit code has invalid check character %q)", code[17], code[17])
	}
	if code[17] != want {
		return Errorf(EINVALID, "统一社会信用代码第18位校验码应为 %q，实为 %q (credit code check character is %q, expected %q)", want, code[17], code[17], want)
	}
	if oc := orgCodeCheck(code[8:16]); code[16] != oc {
		return Errorf(EINVALID, "统一社会信用代码第17位（组织机构代码校验码）应为 %q，实为 %q (organisation code check character is %q, expected %q)", oc, code[16], code[16], oc)
	}
	return nil
}

// orgCodeCheck returns the check character of the 8-character body of an organisation
// code (GB 11714): digits are valued 0-9 and letters 10-35, weighed by orgCodeWeights;
// 11 minus the sum modulo 11, with 10 written X and 11 written 0.
func orgCodeCheck(body string) byte {
	sum := 0
	for i := 0; i < len(body); i++ {
		c := body[i]
		v := int(c - '0')
		if c >= 'A' && c <= 'Z' {
			v = int(c-'A') + 10
		}
		sum += v * orgCodeWeights[i]
	}
	switch c := 11 - sum%11; c {
	case 10:
		return 'X'
	case 11:
		return '0'
	default:
		return byte('0' + c)
	}
}

// orgCodeWeights weigh the 8 body digits of the 9-character organisation code (GB 11714)
// that sits at positions 9-17 of a credit code.
var orgCodeWeights = [8]int{3, 7, 9, 10, 5, 8, 4, 2}

// NewCreditCode builds a valid credit code from a registration authority ('9' industry and
// commerce, '5' civil affairs), a category character, a 6-digit division code and an
// 8-digit serial; the organisation-code check and the final check are computed.
func NewCreditCode(authority, category byte, division string, serial int) (string, error) {
	if len(division) != 6 {
		return "", Errorf(EINVALID, "division code must be 6 digits")
	}
	if serial < 0 || serial > 99999999 {
		return "", Errorf(EINVALID, "serial must have at most 8 digits")
	}
	body := []byte{authority, category}
	body = append(body, division...)
	digits := []byte{}
	for i, n := 0, serial; i < 8; i++ {
		digits = append([]byte{byte('0' + n%10)}, digits...)
		n /= 10
	}
	body = append(body, digits...)
	body = append(body, orgCodeCheck(string(digits)))
	last, err := CreditCodeCheck(string(body))
	if err != nil {
		return "", err
	}
	return string(append(body, last)), nil
}
