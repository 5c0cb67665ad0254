package neo4jlocal

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
)

// PasswordFile is the name of the file in the data folder (Options.DataDir)
// that holds the password of user "neo4j" of that folder's DBMS, mode 0600.
const PasswordFile = "neo4j-password"

// generatedPasswordBytes random bytes give a password of 24 url-safe characters.
const generatedPasswordBytes = 18

// ReadPassword returns the password recorded in the password file of the data
// folder dataDir, for programs that connect to a local Neo4j they did not
// start. It fails with an error wrapping fs.ErrNotExist when no start has
// recorded one yet.
func ReadPassword(dataDir string) (string, error) {
	file := filepath.Join(dataDir, PasswordFile)
	b, err := os.ReadFile(file)
	if err != nil {
		return "", fmt.Errorf("read password: %w", err)
	}
	p := strings.TrimRight(string(b), "\r\n") // an editor may have added a line break
	if len(p) < minPasswordLength || strings.ContainsAny(p, "\r\n") {
		return "", fmt.Errorf("password file %s holds no valid password (one line of at least %d characters); delete it to get a new one", file, minPasswordLength)
	}
	return p, nil
}

// resolvePassword returns the password the DBMS in dataDir is to have, and
// records it in the password file when that does not hold it yet. The caller
// holds the data folder's lock.
//
// An explicit password wins and replaces the recorded one. Otherwise the
// recorded password is used, and when there is none a random one is
// generated: for a new folder, and for a folder made before passwords were
// kept per install (those used the published "cobuild-local"). Either way the
// launcher then gives user neo4j that password (an initial password for a new
// DBMS, ALTER USER for an existing one), so the file and the DBMS agree after
// every start, even when an earlier one was interrupted between the two.
func resolvePassword(dataDir, explicit string, log *slog.Logger) (string, error) {
	file := filepath.Join(dataDir, PasswordFile)
	recorded, err := ReadPassword(dataDir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		recorded = ""
	case err != nil:
		return "", err
	default:
		if err := keepPrivate(file); err != nil {
			return "", err
		}
	}
	if explicit != "" {
		if explicit != recorded {
			if err := writePassword(file, explicit); err != nil {
				return "", err
			}
			if recorded != "" {
				log.Info("the local Neo4j's password is changed to the one configured", "file", file)
			}
		}
		return explicit, nil
	}
	if recorded != "" {
		return recorded, nil
	}
	p, err := generatePassword()
	if err != nil {
		return "", err
	}
	if err := writePassword(file, p); err != nil {
		return "", err
	}
	if _, err := os.Stat(filepath.Join(dataDir, "data", "databases", "system")); err == nil {
		log.Info("the local Neo4j gets a password of its own instead of the shared one it had", "file", file)
	}
	return p, nil
}

// generatePassword returns 24 random url-safe characters from crypto/rand.
func generatePassword() (string, error) {
	b := make([]byte, generatedPasswordBytes)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("generate password: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// writePassword replaces file by one holding password, mode 0600. The rename
// makes the file appear whole or not at all.
func writePassword(file, password string) error {
	tmp, err := os.CreateTemp(filepath.Dir(file), PasswordFile+".*.tmp")
	if err != nil {
		return fmt.Errorf("write password: %w", err)
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	// CreateTemp makes the file 0600 already; Chmod states it, whatever the umask.
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("write password: %w", err)
	}
	if _, err := tmp.WriteString(password + "\n"); err != nil {
		tmp.Close()
		return fmt.Errorf("write password: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("write password: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write password: %w", err)
	}
	if err := os.Rename(tmp.Name(), file); err != nil {
		return fmt.Errorf("write password: %w", err)
	}
	return nil
}

// keepPrivate makes file readable by its owner only, should it have been
// copied or edited into a looser mode.
func keepPrivate(file string) error {
	fi, err := os.Stat(file)
	if err != nil {
		return fmt.Errorf("check password file: %w", err)
	}
	if fi.Mode().Perm()&0o077 == 0 {
		return nil
	}
	if err := os.Chmod(file, 0o600); err != nil {
		return fmt.Errorf("make password file private: %w", err)
	}
	return nil
}
