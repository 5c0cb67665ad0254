package neo4jstore

import (
	"cobuild"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// migration is one schema change; its id is recorded in a :Migration node once applied.
// Statements use IF NOT EXISTS, so re-running a migration is harmless.
type migration struct {
	id         string
	statements []string
}

func migrations() []migration {
	unique := migration{id: "001-unique-ids"}
	// Every node label of docs/graph-model.md has unique ids.
	for _, label := range cobuild.Labels {
		l := label.Label
		unique.statements = append(unique.statements,
			fmt.Sprintf("CREATE CONSTRAINT %s_id IF NOT EXISTS FOR (n:%s) REQUIRE n.id IS UNIQUE", l, l))
	}
	return []migration{
		unique,
		{id: "002-organization-keys", statements: []string{
			"CREATE CONSTRAINT Organization_creditCode IF NOT EXISTS FOR (n:Organization) REQUIRE n.creditCode IS UNIQUE",
			"CREATE INDEX Organization_name IF NOT EXISTS FOR (n:Organization) ON (n.name)",
			"CREATE TEXT INDEX Organization_name_text IF NOT EXISTS FOR (n:Organization) ON (n.name)",
			"CREATE INDEX Organization_kind IF NOT EXISTS FOR (n:Organization) ON (n.kind)",
			"CREATE INDEX Organization_sector IF NOT EXISTS FOR (n:Organization) ON (n.sector)",
			"CREATE INDEX Organization_headcount IF NOT EXISTS FOR (n:Organization) ON (n.headcount)",
			"CREATE INDEX Organization_partyMembers IF NOT EXISTS FOR (n:Organization) ON (n.partyMembers)",
			"CREATE INDEX Organization_aboveScale IF NOT EXISTS FOR (n:Organization) ON (n.aboveScale)",
			"CREATE INDEX Organization_operating IF NOT EXISTS FOR (n:Organization) ON (n.operating)",
			"CREATE INDEX Organization_registeredOn IF NOT EXISTS FOR (n:Organization) ON (n.registeredOn)",
		}},
		{id: "003-filtered-properties", statements: []string{
			"CREATE INDEX PartyOrg_kind IF NOT EXISTS FOR (n:PartyOrg) ON (n.kind)",
			"CREATE INDEX PartyOrg_name IF NOT EXISTS FOR (n:PartyOrg) ON (n.name)",
			"CREATE INDEX Alliance_kind IF NOT EXISTS FOR (n:Alliance) ON (n.kind)",
			"CREATE INDEX Alliance_name IF NOT EXISTS FOR (n:Alliance) ON (n.name)",
			"CREATE INDEX Event_kind IF NOT EXISTS FOR (n:Event) ON (n.kind)",
			"CREATE INDEX Event_date IF NOT EXISTS FOR (n:Event) ON (n.date)",
			"CREATE INDEX Evaluation_round IF NOT EXISTS FOR (n:Evaluation) ON (n.round)",
			"CREATE INDEX Evaluation_score IF NOT EXISTS FOR (n:Evaluation) ON (n.score)",
			"CREATE INDEX Person_name IF NOT EXISTS FOR (n:Person) ON (n.name)",
			"CREATE INDEX Certification_status IF NOT EXISTS FOR (n:Certification) ON (n.status)",
			"CREATE INDEX MassBranch_kind IF NOT EXISTS FOR (n:MassBranch) ON (n.kind)",
			"CREATE INDEX Area_name IF NOT EXISTS FOR (n:Area) ON (n.name)",
			"CREATE INDEX Area_kind IF NOT EXISTS FOR (n:Area) ON (n.kind)",
			"CREATE INDEX Industry_name IF NOT EXISTS FOR (n:Industry) ON (n.name)",
			"CREATE INDEX DemoSite_kind IF NOT EXISTS FOR (n:DemoSite) ON (n.kind)",
			"CREATE INDEX RedZone_kind IF NOT EXISTS FOR (n:RedZone) ON (n.kind)",
			"CREATE INDEX Brand_kind IF NOT EXISTS FOR (n:Brand) ON (n.kind)",
			"CREATE CONSTRAINT Migration_id IF NOT EXISTS FOR (n:Migration) REQUIRE n.id IS UNIQUE",
			"CREATE CONSTRAINT Seed_id IF NOT EXISTS FOR (n:Seed) REQUIRE n.id IS UNIQUE",
		}},
		{id: "004-change-log", statements: []string{
			"CREATE CONSTRAINT ChangeLog_id IF NOT EXISTS FOR (n:ChangeLog) REQUIRE n.id IS UNIQUE",
			"CREATE CONSTRAINT Change_seq IF NOT EXISTS FOR (n:Change) REQUIRE n.seq IS UNIQUE",
			"CREATE CONSTRAINT Change_key IF NOT EXISTS FOR (n:Change) REQUIRE n.key IS UNIQUE",
			"CREATE INDEX Change_at IF NOT EXISTS FOR (n:Change) ON (n.at)",
			"CREATE INDEX Change_subject IF NOT EXISTS FOR (n:Change) ON (n.subject)",
			"MERGE (l:ChangeLog {id: 'log'}) ON CREATE SET l.seq = 0",
		}},
		{id: "005-evaluation-rounds", statements: []string{
			"CREATE CONSTRAINT Round_id IF NOT EXISTS FOR (n:Round) REQUIRE n.id IS UNIQUE",
			"CREATE CONSTRAINT RoundScore_id IF NOT EXISTS FOR (n:RoundScore) REQUIRE n.id IS UNIQUE",
			"CREATE INDEX RoundScore_round IF NOT EXISTS FOR (n:RoundScore) ON (n.round)",
		}},
	}
}

// Migrate applies the migrations not yet recorded, each statement in its own transaction
// (Neo4j forbids schema and data changes in one), records each migration once done, and
// waits for the indexes to come online. It is idempotent and safe to run at every start.
func (s *Store) Migrate(ctx context.Context) ([]string, error) {
	done, err := query(ctx, s, "MATCH (m:Migration) RETURN m.id AS id", nil, func(r *neo4j.Record) (string, error) {
		return recordString(r, "id")
	})
	if err != nil {
		return nil, fmt.Errorf("read applied migrations: %w", err)
	}
	var applied []string
	for _, m := range migrations() {
		if slices.Contains(done, m.id) {
			continue
		}
		for _, stmt := range m.statements {
			if _, err := writeTx(ctx, s, time.Minute, func(tx neo4j.ManagedTransaction) (struct{}, error) {
				return struct{}{}, s.exec(ctx, tx, stmt, nil)
			}); err != nil {
				return applied, fmt.Errorf("migration %s: %s: %w", m.id, stmt, err)
			}
		}
		if _, err := writeTx(ctx, s, time.Minute, func(tx neo4j.ManagedTransaction) (struct{}, error) {
			return struct{}{}, s.exec(ctx, tx, "MERGE (m:Migration {id: $id}) ON CREATE SET m.appliedAt = datetime()", map[string]any{"id": m.id})
		}); err != nil {
			return applied, fmt.Errorf("record migration %s: %w", m.id, err)
		}
		applied = append(applied, m.id)
	}
	sess := s.session(ctx, neo4j.AccessModeRead)
	defer sess.Close(ctx)
	res, err := sess.Run(ctx, "CALL db.awaitIndexes(300)", nil)
	if err == nil {
		_, err = res.Consume(ctx)
	}
	if err != nil {
		return applied, fmt.Errorf("await indexes: %w", domainError(err))
	}
	return applied, nil
}
