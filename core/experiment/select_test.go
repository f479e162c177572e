package experiment

import (
	"reflect"
	"testing"
)

func TestSelect(t *testing.T) {
	r := &Result{
		Scalars: []Scalar{{Key: "a"}, {Key: "b"}},
		Charts:  []Chart{{Key: "loss"}},
		Tables:  []Table{{Key: "t"}},
		Notes:   []string{"n"},
	}
	kinds := func(outs []Output) []string {
		var k []string
		for _, o := range outs {
			switch {
			case o.Scalars != nil:
				s := "scalars:"
				for _, x := range o.Scalars {
					s += x.Key
				}
				k = append(k, s)
			case o.Chart != nil:
				k = append(k, "chart:"+o.Chart.Key)
			case o.Table != nil:
				k = append(k, "table:"+o.Table.Key)
			case o.Notes != nil:
				k = append(k, "notes")
			}
		}
		return k
	}
	for _, tc := range []struct {
		show []string
		want []string
	}{
		{nil, []string{"scalars:ab", "table:t", "chart:loss", "notes"}},
		{[]string{"b", "loss", "a", "missing", "scalars"}, []string{"scalars:b", "chart:loss", "scalars:aab"}},
		{[]string{"notes", "t"}, []string{"notes", "table:t"}},
	} {
		if got := kinds(r.Select(tc.show)); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Select(%v) = %v, want %v", tc.show, got, tc.want)
		}
	}
}
