package cli

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nnlab/nnlab/tui/serve"
)

func TestReportCommand(t *testing.T) {
	dir := t.TempDir()
	db, err := serve.OpenDB(dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	id, _ := db.Learner(ctx, "name:지민", "지민")
	db.Event(ctx, id, time.Now(), "lesson", "conv", "", false, "")
	db.Event(ctx, id, time.Now(), "quiz", "", "conv_params", true, "")
	db.Close()
	code, out, errOut := runIn("", "report", "--data", dir, "--json")
	var rows []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &rows) != nil || len(rows) != 1 || rows[0]["name"] != "지민" || rows[0]["quiz_right"] != 1.0 {
		t.Fatalf("--json: %d %q %q", code, out, errOut)
	}
	code, out, _ = runIn("", "report", "--data", dir, "--csv")
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if code != 0 || err != nil || len(recs) != 2 || recs[0][0] != "name" || recs[1][0] != "지민" {
		t.Fatalf("--csv: %d %v %q", code, err, out)
	}
	if code, out, _ = runIn("", "report", "--data", dir); code != 0 || !strings.Contains(out, "지민") {
		t.Errorf("text: %d %q", code, out)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"report", "--data", filepath.Join(dir, "nope")}, "no workshop database"},
		{[]string{"report", "--data", dir, "--json", "--csv"}, "not both"},
		{[]string{"serve", "--addr", "nowhere"}, "--addr must be HOST:PORT"},
		{[]string{"serve", "--idle-timeout", "1m"}, "at least 2m"},
		{[]string{"serve", "--max-sessions", "0"}, "--max-sessions must be a whole number from 1"},
		{[]string{"serve", "--instructor-key", filepath.Join(dir, "missing.pub")}, "cannot read"},
		{[]string{"serve", "--quiz-seed", "x"}, "--quiz-seed must be"},
	} {
		code, out, errOut := runIn("", tc.args...)
		if code != 2 || out != "" || !strings.Contains(errOut, tc.want) || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%v: code %d, stdout %q, stderr %q; want exit 2 and %q", tc.args, code, out, errOut, tc.want)
		}
	}
	bad := filepath.Join(dir, "bad.pub")
	os.WriteFile(bad, []byte("not a key\n"), 0o600)
	if code, _, e := runIn("", "serve", "--instructor-key", bad); code != 2 || !strings.Contains(e, "holds no public key") {
		t.Errorf("a file without keys: %d %q", code, e)
	}
}
