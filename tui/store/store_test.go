package store_test

import (
	"context"
	"testing"

	"github.com/nnlab/nnlab/tui/store"
	"github.com/nnlab/nnlab/tui/store/pgtest"
	"github.com/nnlab/nnlab/tui/store/storetest"
)

func TestSQLite(t *testing.T) {
	storetest.Run(t, func(t *testing.T) func(t *testing.T) store.Store {
		dir := t.TempDir()
		return func(t *testing.T) store.Store {
			s, err := store.OpenSQLite(dir)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			return s
		}
	})
}

func TestPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: no PostgreSQL")
	}
	pg := pgtest.Start(t)
	storetest.Run(t, func(t *testing.T) func(t *testing.T) store.Store {
		url := pg.NewDB(t)
		return func(t *testing.T) store.Store {
			s, err := store.OpenPostgres(context.Background(), url)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			return s
		}
	})
}
