package cobuild_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"cobuild"
)

// TestAShareBoundsTheStatementsOfARequest: within a share of 2, a third statement waits
// until one of the first two gives its place back, or its request ends; without a share
// nothing waits.
func TestAShareBoundsTheStatementsOfARequest(t *testing.T) {
	ctx := cobuild.WithShare(context.Background(), 2)
	r1, err1 := cobuild.AcquireShare(ctx)
	r2, err2 := cobuild.AcquireShare(ctx)
	if err1 != nil || err2 != nil {
		t.Fatalf("the first two: %v %v", err1, err2)
	}
	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	if _, err := cobuild.AcquireShare(short); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a third while two run: %v, want to wait until its request ends", err)
	}
	got := make(chan error, 1)
	go func() {
		_, err := cobuild.AcquireShare(ctx)
		got <- err
	}()
	r1()
	if err := <-got; err != nil {
		t.Fatalf("a third once one is given back: %v", err)
	}
	r2()
	for range 10 {
		if _, err := cobuild.AcquireShare(context.Background()); err != nil {
			t.Fatalf("without a share: %v", err)
		}
	}
}
