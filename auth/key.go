package auth

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// KeyFile is the name of the install's signing key in the data folder.
const KeyFile = "cobuild-signing.key"

// LoadOrCreateKey returns the HMAC signing key kept in file, creating it (32 bytes from
// crypto/rand, hex-encoded, mode 0600, its folder 0700 if new) when there is none, so
// that every later start signs and verifies with the same key. A key file that others
// may read, or that holds no key, is an error rather than a key.
func LoadOrCreateKey(file string) (key []byte, created bool, err error) {
	key, err = readKey(file)
	if !errors.Is(err, fs.ErrNotExist) {
		return key, false, err
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o700); err != nil {
		return nil, false, fmt.Errorf("signing key: %w", err)
	}
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return nil, false, fmt.Errorf("signing key: %w", err)
	}
	// Written whole under another name, then linked into place: a reader never sees half a
	// key, and of two processes starting at once the second finds the first one's key.
	tmp, err := os.CreateTemp(filepath.Dir(file), ".signing-*.key")
	if err != nil {
		return nil, false, fmt.Errorf("signing key: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return nil, false, fmt.Errorf("signing key: %w", err)
	}
	_, err = tmp.WriteString(hex.EncodeToString(fresh) + "\n")
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, false, fmt.Errorf("signing key: %w", err)
	}
	if err := os.Link(tmp.Name(), file); err != nil {
		if errors.Is(err, fs.ErrExist) {
			key, err = readKey(file)
			return key, false, err
		}
		return nil, false, fmt.Errorf("signing key: %w", err)
	}
	return fresh, true, nil
}

func readKey(file string) ([]byte, error) {
	f, err := os.Open(file)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		return nil, fmt.Errorf("signing key: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("signing key: %w", err)
	}
	if st.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("signing key %s may be read by others (mode %v): chmod 600 it, or delete it to make a new one (every token signed with it stops working)", file, st.Mode().Perm())
	}
	b := make([]byte, 256)
	n, _ := f.Read(b)
	key, err := hex.DecodeString(strings.TrimSpace(string(b[:n])))
	if err != nil || len(key) < 32 {
		return nil, fmt.Errorf("signing key %s holds no key of 32 bytes or more in hex; delete it to make a new one", file)
	}
	return key, nil
}
