package lessons

import "testing"

// TestCondText: a goal reads as a phrase in the learner's language — each
// comparison worded by the catalog, big round numbers as 40M and 10G, the
// name said once for a range, the catalog's word between comparisons.
func TestCondText(t *testing.T) {
	words := map[string]map[string]string{
		"en": {"cond.lt": "%s below %s", "cond.le": "%s at most %s", "cond.gt": "%s above %s", "cond.ge": "%s at least %s", "cond.eq": "%s = %s", "cond.ne": "%s ≠ %s", "cond.and": " and ", "cond.or": " or ", "cond.on": "%s on", "cond.off": "%s off"},
		"ko": {"cond.lt": "%s %s 미만", "cond.le": "%s %s 이하", "cond.gt": "%s %s 초과", "cond.ge": "%s %s 이상", "cond.eq": "%s = %s", "cond.ne": "%s ≠ %s", "cond.and": ", ", "cond.or": " 또는 ", "cond.on": "%s 켬", "cond.off": "%s 끔"},
	}
	labels := map[string]string{"params": "parameters", "macs": "MACs"}
	w := Wording{Msg: func(lang, id string) string { return words[lang][id] }, Label: func(n string) string { return labels[n] },
		Switch: func(n string) bool { return n == "bn" }}
	for _, tc := range []struct{ src, lang, want string }{
		{"params > 40000000 and macs < 10000000000", "en", "parameters above 40M and MACs below 10G"},
		{"params > 40000000 and macs < 10000000000", "ko", "parameters 40M 초과, MACs 10G 미만"},
		{"saving >= 5 and saving < 5.2", "en", "saving at least 5 and below 5.2"},
		{"k == 5 or out_h != 112", "ko", "k = 5 또는 out_h ≠ 112"},
		{"params < 100000 and loss <= 1e-6", "en", "parameters below 100K and loss at most 1e-06"},
		{"params < 12500", "en", "parameters below 12,500"},
		// An on/off parameter reads as on or off, not as 1 or 0.
		{"depth >= 8 and bn == 1", "en", "depth at least 8 and bn on"},
		{"bn == 0", "ko", "bn 끔"},
		{"bn != 0", "en", "bn on"},
	} {
		c, err := ParseCond(tc.src)
		if err != nil {
			t.Fatal(err)
		}
		if got := c.Text(tc.lang, w); got != tc.want {
			t.Errorf("%q in %s: got %q, want %q", tc.src, tc.lang, got, tc.want)
		}
	}
}
