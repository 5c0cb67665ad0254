package app_test

import (
	"context"
	"testing"

	"cobuild"
	"cobuild/app"
)

// TestNotReadyUntilTodaysSnapshotsAreBuilt: before Prebuild has built today's network and
// census the server says it is starting, whatever else holds.
func TestNotReadyUntilTodaysSnapshotsAreBuilt(t *testing.T) {
	err := (&app.Main{}).Ready(context.Background())
	if cobuild.ErrorCode(err) != cobuild.EUNAVAILABLE || cobuild.ErrorExtensions(err)["status"] != "starting" {
		t.Fatalf("Ready before the prebuild: %v %v, want UNAVAILABLE, starting", err, cobuild.ErrorExtensions(err))
	}
}
