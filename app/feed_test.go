package app_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"

	"cobuild/auth"
)

type wsMessage struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// subscribe opens a graphql-transport-ws connection to a server with the token in
// connection_init, and starts one subscription.
func subscribe(t *testing.T, ctx context.Context, url, token, query string, vars map[string]any) *websocket.Conn {
	t.Helper()
	c, _, err := websocket.Dial(ctx, strings.Replace(url, "http://", "ws://", 1)+"/graphql",
		&websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}, HTTPHeader: http.Header{}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.CloseNow() })
	init, _ := json.Marshal(map[string]any{"Authorization": "Bearer " + token})
	if err := wsjson.Write(ctx, c, wsMessage{Type: "connection_init", Payload: init}); err != nil {
		t.Fatal(err)
	}
	var ack wsMessage
	if err := wsjson.Read(ctx, c, &ack); err != nil || ack.Type != "connection_ack" {
		t.Fatalf("connection_init answered %+v, %v", ack, err)
	}
	payload, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err := wsjson.Write(ctx, c, wsMessage{ID: "1", Type: "subscribe", Payload: payload}); err != nil {
		t.Fatal(err)
	}
	return c
}

// next reads the next result of the subscription.
func next(t *testing.T, ctx context.Context, c *websocket.Conn, v any) {
	t.Helper()
	for {
		var m wsMessage
		if err := wsjson.Read(ctx, c, &m); err != nil {
			t.Fatal(err)
		}
		switch m.Type {
		case "ping":
			wsjson.Write(ctx, c, wsMessage{Type: "pong"})
			continue
		case "next":
			var p struct {
				Data   json.RawMessage
				Errors []any
			}
			json.Unmarshal(m.Payload, &p)
			if len(p.Errors) > 0 {
				t.Fatalf("subscription errors: %s", m.Payload)
			}
			if err := json.Unmarshal(p.Data, v); err != nil {
				t.Fatal(err)
			}
			return
		default:
			t.Fatalf("unexpected message %s %s", m.Type, m.Payload)
		}
	}
}

// TestCoverageFeedResumesAndIsScoped: a dashboard that subscribes from a sequence number
// receives, over WebSocket on the other server, what the changes after it meant for
// coverage; an officer receives only their areas'.
func TestCoverageFeedResumesAndIsScoped(t *testing.T) {
	l := startLive(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	admin := l.token(t, auth.Admin)
	from := l.lastSeq(t)
	// 寅 joins 联盟二 (it is isolated no more) while nobody listens; 乙, in 东城镇, loses
	// its joint branch.
	for _, q := range []string{
		`mutation { joinHub(organizationId: "og-900000015", hubId: "al-900000002") { change { seq } } }`,
		`mutation { endCoverage(organizationId: "og-900000002", partyOrganizationId: "po-900000002", on: "2026-12-01") { change { seq } } }`,
	} {
		if a := l.ask(t, l.urlA, admin, q, nil); len(a.Errors) > 0 {
			t.Fatal(a.Errors)
		}
	}
	feed := `subscription($after: Int) { coverageEvents(after: $after) { seq kind kindLabel organizationId before after } }`
	type event struct {
		CoverageEvents struct {
			Seq                             int64
			Kind, KindLabel, OrganizationID string
			Before, After                   string
		}
	}
	all := subscribe(t, ctx, l.urlB, admin, feed, map[string]any{"after": from})
	var e event
	next(t, ctx, all, &e)
	if e.CoverageEvents.OrganizationID != "og-900000015" || e.CoverageEvents.Kind != "JOINED_NETWORK" || e.CoverageEvents.KindLabel != "不再孤立" {
		t.Errorf("first event replayed: %+v", e)
	}
	next(t, ctx, all, &e)
	if e.CoverageEvents.OrganizationID != "og-900000002" || e.CoverageEvents.Kind != "BECAME_UNCOVERED" || e.CoverageEvents.Before != "JOINT" {
		t.Errorf("second event replayed: %+v", e)
	}
	officer := subscribe(t, ctx, l.urlB, l.token(t, auth.Officer, "ar-900000001"), feed, map[string]any{"after": from})
	next(t, ctx, officer, &e)
	if e.CoverageEvents.OrganizationID != "og-900000002" {
		t.Errorf("the officer of 东城镇 was sent %+v first, which lies outside their area", e)
	}
	// Live: 乙 is covered again; both feeds hear of it.
	start := time.Now()
	if a := l.ask(t, l.urlA, admin, `mutation { coverOrganization(organizationId: "og-900000002", partyOrganizationId: "po-900000002", mode: JOINT) { change { seq } } }`, nil); len(a.Errors) > 0 {
		t.Fatal(a.Errors)
	}
	for _, c := range []*websocket.Conn{all, officer} {
		next(t, ctx, c, &e)
		if e.CoverageEvents.OrganizationID != "og-900000002" || e.CoverageEvents.Kind != "REGAINED_COVERAGE" {
			t.Errorf("live event: %+v", e)
		}
	}
	// How soon is the poll of server B (200 ms) and the machine's load; the bound of a
	// second is TestWriteSeenBySecondServer's.
	t.Logf("the feed of server B carried the write after %s", time.Since(start))
	// Without a token the connection is refused.
	c, _, err := websocket.Dial(ctx, strings.Replace(l.urlB, "http://", "ws://", 1)+"/graphql", &websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	wsjson.Write(ctx, c, wsMessage{Type: "connection_init"})
	var m wsMessage
	if err := wsjson.Read(ctx, c, &m); err == nil && m.Type == "connection_ack" {
		t.Error("a connection without a token was acknowledged")
	}
}
