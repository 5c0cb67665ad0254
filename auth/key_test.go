package auth_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"cobuild/auth"
)

func TestTheSigningKeyIsMadeOnceAndKeptPrivate(t *testing.T) {
	file := filepath.Join(t.TempDir(), "data", auth.KeyFile)
	key, created, err := auth.LoadOrCreateKey(file)
	if err != nil || !created || len(key) != 32 {
		t.Fatalf("first start: key of %d bytes, created %v, err %v", len(key), created, err)
	}
	st, err := os.Stat(file)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v, want 0600", st.Mode().Perm())
	}
	again, created, err := auth.LoadOrCreateKey(file)
	if err != nil || created || !bytes.Equal(again, key) {
		t.Fatalf("second start: created %v, err %v, same key %v", created, err, bytes.Equal(again, key))
	}
	if other, _, _ := auth.LoadOrCreateKey(filepath.Join(t.TempDir(), auth.KeyFile)); bytes.Equal(other, key) {
		t.Error("two installs got the same key")
	}
	entries, _ := os.ReadDir(filepath.Dir(file))
	if len(entries) != 1 {
		t.Errorf("the data folder holds %d files, want the key alone", len(entries))
	}
}

func TestAKeyFileThatOthersMayReadOrThatHoldsNoKeyIsRefused(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, auth.KeyFile)
	if _, _, err := auth.LoadOrCreateKey(file); err != nil {
		t.Fatal(err)
	}
	os.Chmod(file, 0o644)
	if _, _, err := auth.LoadOrCreateKey(file); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Errorf("a key readable by others: err %v, want one that says to chmod 600", err)
	}
	os.WriteFile(file, []byte("not hex\n"), 0o600)
	os.Chmod(file, 0o600)
	if _, _, err := auth.LoadOrCreateKey(file); err == nil {
		t.Error("a damaged key file gave a key")
	}
	os.WriteFile(file, []byte("abcd\n"), 0o600)
	if _, _, err := auth.LoadOrCreateKey(file); err == nil {
		t.Error("a key of 2 bytes was accepted")
	}
}
