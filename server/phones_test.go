package server

import "testing"

func TestPhonesStayLeftToRight(t *testing.T) {
	for in, want := range map[string]string{
		"اتصل على 116 111 مجانًا":  `اتصل على <span class="phone" dir="ltr">116 111</span> مجانًا`,
		"Ring 116 111 – eller 112": `Ring <span class="phone" dir="ltr">116 111</span> – eller 112`,
		"<b>1 2</b> 33 44":         `&lt;b&gt;1 2&lt;/b&gt; <span class="phone" dir="ltr">33 44</span>`,
	} {
		if got := string(phones(in)); got != want {
			t.Errorf("phones(%q) = %q, want %q", in, got, want)
		}
	}
}
