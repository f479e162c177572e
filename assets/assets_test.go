package assets

import (
	"io/fs"
	"testing"
)

func TestEmbedded(t *testing.T) {
	cats, err := fs.Glob(FS, CatalogDir+"/*.yaml")
	if err != nil || len(cats) == 0 {
		t.Fatalf("no catalogs in %s/: %v %v", CatalogDir, cats, err)
	}
	for _, f := range cats {
		if b, err := fs.ReadFile(FS, f); err != nil || len(b) == 0 {
			t.Errorf("%s: %d bytes, %v", f, len(b), err)
		}
	}
}
