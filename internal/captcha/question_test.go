package captcha

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func TestNewQuestion(t *testing.T) {
	tests := []struct {
		name   string
		mode   Mode
		length int
		answer string // regexp the answer must match in full
	}{
		{"digits", ModeDigits, 6, `[2-9]{6}`},
		{"letters", ModeLetters, 6, `[A-HJKMNP-Z]{6}`},
		{"mixed", ModeMixed, 6, `[2-9A-HJKMNP-RT-Y]{6}`},
		{"unknown mode is mixed", Mode(9), 4, `[2-9A-HJKMNP-RT-Y]{4}`},
		{"long is capped", ModeDigits, 1000, `[2-9]{16}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			re := regexp.MustCompile(`^` + tt.answer + `$`)
			for range 200 {
				text, answer := newQuestion(tt.mode, tt.length)
				if text != answer || !re.MatchString(answer) {
					t.Fatalf("newQuestion = %q, %q; want equal and matching %s", text, answer, tt.answer)
				}
			}
		})
	}
}

func TestArithmetic(t *testing.T) {
	re := regexp.MustCompile(`^([1-9])([-+×])([1-9])=\?$`)
	seen := map[string]bool{}
	for range 500 {
		text, answer := newQuestion(ModeArithmetic, DefaultLength)
		m := re.FindStringSubmatch(text)
		if m == nil {
			t.Fatalf("question %q is not of the form a+b=?", text)
		}
		a, _ := strconv.Atoi(m[1])
		b, _ := strconv.Atoi(m[3])
		want := map[string]int{"+": a + b, "-": a - b, "×": a * b}[m[2]]
		if want < 0 || answer != strconv.Itoa(want) {
			t.Fatalf("%s answered %q, want non-negative %d", text, answer, want)
		}
		seen[m[2]] = true
	}
	if len(seen) != 3 {
		t.Errorf("only operators %v seen in 500 questions", seen)
	}
}

func TestRandomStringUsesWholeAlphabet(t *testing.T) {
	seen := map[rune]int{}
	for _, r := range randomString(alnum, 20000) {
		seen[r]++
	}
	if len(seen) != len(alnum) {
		t.Fatalf("saw %d symbols, want %d", len(seen), len(alnum))
	}
	// 20000/62 ≈ 323 per symbol; a biased modulo or a stuck byte would show.
	for r, n := range seen {
		if n < 200 || n > 450 || !strings.ContainsRune(alnum, r) {
			t.Errorf("symbol %q drawn %d times", r, n)
		}
	}
}
