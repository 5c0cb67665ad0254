package cobuild_test

import (
	"math/rand/v2"
	"strings"
	"testing"

	"cobuild"
)

// The standards' definitions, written here apart from creditcode.go so that the tests do
// not check the code against itself.
//
// GB 32100-2015: the 31 characters below are valued 0..30; position i (1..17) weighs
// 3^(i-1) mod 31; the 18th character is the one valued (31 - sum mod 31) mod 31.
//
// GB 11714-1997: the organisation code is positions 9-17; its 8 body characters are
// valued 0-9 for digits and 10-35 for A-Z, position j (1..8) weighs 2^(9-j) mod 11; the
// 9th character is 11 - sum mod 11, written X for 10 and 0 for 11.
const gb32100Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

func gb32100Check(body string) byte {
	sum, w := 0, 1
	for i := 0; i < 17; i++ {
		sum += strings.IndexByte(gb32100Alphabet, body[i]) * w
		w = w * 3 % 31
	}
	return gb32100Alphabet[(31-sum%31)%31]
}

func gb11714Check(body string) byte {
	sum, w := 0, 256 // 2^8
	for j := 0; j < 8; j++ {
		c := body[j]
		v := int(c - '0')
		if c >= 'A' && c <= 'Z' {
			v = 10 + int(c-'A')
		}
		sum += v * (w % 11)
		w /= 2
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

// Codes as printed on business licences and registration certificates, among them one
// whose organisation code holds letters.
var publishedCreditCodes = []string{
	"91330100799655058B",
	"914403001922038216",
	"91440300708461136T",
	"91110108551385082Q",
	"91110000802100433B",
	"91310000132200821H",
	"91110000100006485K",
	"91110108MA01G0FB09",
}

func TestPublishedCreditCodesAreValid(t *testing.T) {
	for _, code := range publishedCreditCodes {
		if gb32100Check(code[:17]) != code[17] || gb11714Check(code[8:16]) != code[16] {
			t.Fatalf("%s: the test's own definitions disagree with a published code", code)
		}
		if err := cobuild.ValidateCreditCode(code); err != nil {
			t.Errorf("%s refused: %v", code, err)
		}
	}
}

// Generated codes with every character of the alphabet at every position: a wrong weight
// anywhere gives some of them the wrong check character.
func TestGeneratedCreditCodesAgreeWithTheStandards(t *testing.T) {
	rng := rand.New(rand.NewPCG(2015, 32100))
	orgChars := gb32100Alphabet // in a credit code, letters without I, O, S, V, Z
	nonZero := [17]int{}
	for n := 0; n < 3000; n++ {
		b := []byte{"9512"[rng.IntN(4)], "1239"[rng.IntN(4)]}
		for i := 0; i < 6; i++ {
			b = append(b, gb32100Alphabet[rng.IntN(10)]) // division code: digits
		}
		for i := 0; i < 8; i++ {
			b = append(b, orgChars[rng.IntN(len(orgChars))])
		}
		b = append(b, gb11714Check(string(b[8:16])))
		code := string(b) + string(gb32100Check(string(b)))
		for i := 0; i < 17; i++ {
			if code[i] != '0' {
				nonZero[i]++
			}
		}
		if err := cobuild.ValidateCreditCode(code); err != nil {
			t.Fatalf("%s refused: %v", code, err)
		}
		got, err := cobuild.CreditCodeCheck(code[:17])
		if err != nil || got != code[17] {
			t.Fatalf("%s: check character %q (%v), want %q", code, got, err, code[17])
		}
		// Any other 18th character is refused.
		other := gb32100Alphabet[(strings.IndexByte(gb32100Alphabet, code[17])+1+rng.IntN(30))%31]
		if cobuild.ErrorCode(cobuild.ValidateCreditCode(code[:17]+string(other))) != cobuild.EINVALID {
			t.Fatalf("%s with check %q accepted", code[:17], other)
		}
	}
	for i, n := range nonZero {
		if n == 0 {
			t.Fatalf("no generated code has a character other than 0 at position %d", i+1)
		}
	}
}

// A code whose own check is right but whose organisation code check digit is wrong is
// refused, with a message saying which.
func TestTheOrganisationCodeCheckDigitIsValidated(t *testing.T) {
	for _, code := range publishedCreditCodes {
		for _, c := range []byte("0123456789X") {
			if c == code[16] {
				continue
			}
			body := code[:16] + string(c)
			bad := body + string(gb32100Check(body))
			err := cobuild.ValidateCreditCode(bad)
			if cobuild.ErrorCode(err) != cobuild.EINVALID || !strings.Contains(cobuild.ErrorMessage(err), "组织机构代码") {
				t.Errorf("%s (organisation check %q, want %q): %v", bad, c, code[16], err)
			}
		}
	}
}

// NewCreditCode builds codes the standards accept, for every serial tried.
func TestNewCreditCodesAgreeWithTheStandards(t *testing.T) {
	rng := rand.New(rand.NewPCG(11714, 1997))
	for n := 0; n < 2000; n++ {
		serial := rng.IntN(100000000)
		code, err := cobuild.NewCreditCode('9', '1', "341802", serial)
		if err != nil {
			t.Fatal(err)
		}
		if len(code) != 18 || gb11714Check(code[8:16]) != code[16] || gb32100Check(code[:17]) != code[17] {
			t.Fatalf("serial %d: %s disagrees with the standards", serial, code)
		}
	}
	for _, tc := range []struct {
		division string
		serial   int
	}{{"34180", 1}, {"3418020", 1}, {"341802", -1}, {"341802", 100000000}} {
		if _, err := cobuild.NewCreditCode('9', '1', tc.division, tc.serial); cobuild.ErrorCode(err) != cobuild.EINVALID {
			t.Errorf("division %q serial %d: %v, want %s", tc.division, tc.serial, err, cobuild.EINVALID)
		}
	}
}

func TestMalformedCreditCodesAreRefused(t *testing.T) {
	for _, tc := range []struct{ code, says string }{
		{"", "18位"},
		{"91330100799655058", "18位"},
		{"913301007996550581B", "18位"},
		{"91330100799655058C", "第18位"},
		{"91330100799655O58B", "第15位"},
		{"I1330100799655058B", "第1位"},
		{"91330100799655058I", "第18位"},
		{"91330100799655058Ｂ", "18位"},
	} {
		err := cobuild.ValidateCreditCode(tc.code)
		if cobuild.ErrorCode(err) != cobuild.EINVALID || !strings.Contains(cobuild.ErrorMessage(err), tc.says) {
			t.Errorf("%q: %v, want %s saying %q", tc.code, err, cobuild.EINVALID, tc.says)
		}
	}
	if _, err := cobuild.CreditCodeCheck("9133"); cobuild.ErrorCode(err) != cobuild.EINVALID {
		t.Errorf("a short body: %v", err)
	}
}
