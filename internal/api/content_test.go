package api

import (
	"testing"
)

func TestContentDisposition(t *testing.T) {
	tests := []struct{ kind, name, want string }{
		{"inline", "report.pdf", `inline; filename="report.pdf"`},
		{"attachment", `a"b\c.txt`, `attachment; filename="a_b_c.txt"`},
		{"attachment", "hello ✨.txt", `attachment; filename="hello _.txt"; filename*=UTF-8''hello%20%E2%9C%A8.txt`},
		{"inline", "报告.docx", `inline; filename="__.docx"; filename*=UTF-8''%E6%8A%A5%E5%91%8A.docx`},
		{"inline", "a\r\nb", `inline; filename="a__b"; filename*=UTF-8''a%0D%0Ab`},
	}
	for _, tt := range tests {
		if got := contentDisposition(tt.kind, tt.name); got != tt.want {
			t.Errorf("contentDisposition(%q) = %s, want %s", tt.name, got, tt.want)
		}
	}
}
