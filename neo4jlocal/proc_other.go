//go:build !unix

package neo4jlocal

import "os/exec"

// setProcessGroup does nothing on this platform.
func setProcessGroup(cmd *exec.Cmd) {}

// lockFile does nothing on this platform: concurrent first starts sharing one
// Dir are not serialized.
func lockFile(path string, onWait func()) (unlock func(), err error) {
	return func() {}, nil
}

// tryLockFile does nothing on this platform: a second Start on a data dir in
// use is refused by Neo4j's own store lock only.
func tryLockFile(path string) (unlock func(), ok bool, err error) {
	return func() {}, true, nil
}
