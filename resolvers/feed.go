package resolvers

import (
	"context"
	"time"

	"cobuild"
	"cobuild/graph/model"
)

// The subscriptions replay the change log from the sequence number a client gives, then
// follow it as this server's snapshots apply it: a client that reconnects with the last
// number it saw misses nothing, and what it is sent next is already what the queries
// answer.

// feedPoll is how often a feed reads the log when the server has no snapshots to wait
// on.
const feedPoll = 500 * time.Millisecond

// feed sends each change after after (default: the newest) that the request may see to
// send, until ctx ends.
func (r *Resolver) feed(ctx context.Context, after *int, send func(*cobuild.Change) bool) error {
	if r.changelog == nil {
		return cobuild.Errorf(cobuild.EUNAVAILABLE, "没有变更日志。There is no change log.")
	}
	var last int64
	if after != nil {
		if *after < 0 {
			return cobuild.Errorf(cobuild.EINVALID, "after 不能为负数。after cannot be negative.")
		}
		last = int64(*after)
	} else {
		seq, err := r.changelog.LastSeq(ctx)
		if err != nil {
			return err
		}
		last = seq
	}
	areas := areasOf(ctx)
	go func() {
		for ctx.Err() == nil {
			var wake <-chan struct{}
			if r.snapshots != nil {
				wake = r.snapshots.Changed()
			}
			cs, more, err := r.changelog.Changes(ctx, cobuild.ChangeFilter{}, last, 100)
			if err == nil {
				applied, ok := r.appliedSeq()
				for _, c := range cs {
					if ok && c.Seq > applied {
						// Not in this server's snapshots yet: sent once it is, so that a
						// query the client makes on hearing of it sees it.
						more = false
						break
					}
					last = c.Seq
					if areas != nil && !touchesAreas(c.Areas, areas) {
						continue
					}
					if !send(c) {
						return
					}
				}
				if more {
					continue
				}
			}
			select {
			case <-ctx.Done():
				return
			case <-wake:
			case <-time.After(feedPoll):
			}
		}
	}()
	return nil
}

func (r *Resolver) followChanges(ctx context.Context, after *int) (<-chan *model.Change, error) {
	out := make(chan *model.Change, 16)
	err := r.feed(ctx, after, func(c *cobuild.Change) bool {
		select {
		case out <- changeModel(c):
			return true
		case <-ctx.Done():
			return false
		}
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (r *Resolver) followCoverage(ctx context.Context, area *string, after *int) (<-chan *model.CoverageEvent, error) {
	out := make(chan *model.CoverageEvent, 16)
	areas := areasOf(ctx)
	err := r.feed(ctx, after, func(c *cobuild.Change) bool {
		for _, e := range c.Coverage {
			if area != nil && !touchesAreas(e.Areas, []string{*area}) {
				continue
			}
			if areas != nil && !touchesAreas(e.Areas, areas) {
				continue
			}
			select {
			case out <- coverageEventModel(c, e):
			case <-ctx.Done():
				return false
			}
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// appliedSeq is the last change this server's snapshots have applied; false when it has
// no snapshots, or they follow no change log.
func (r *Resolver) appliedSeq() (int64, bool) {
	if r.snapshots == nil {
		return 0, false
	}
	v, ok := r.snapshots.Applied()
	return v, ok
}
