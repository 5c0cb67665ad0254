package server_test

import (
	"strings"
	"testing"
)

func TestBadInputIsAnsweredWithAStableCode(t *testing.T) {
	h := api(t)
	tests := []struct {
		name, query, code, says string
	}{
		{"a malformed id", `{ organization(id: "og-x1") { name } }`, "BAD_USER_INPUT", "malformed id"},
		{"an id of another kind", `{ organization(id: "po-000001") { name } }`, "BAD_USER_INPUT", "not a Organization"},
		{"an unknown id prefix", `{ node(id: "zz-000001") { id } }`, "BAD_USER_INPUT", "unknown prefix"},
		{"two lookup keys at once", `{ organization(id: "og-000001", name: "宣酒") { name } }`, "BAD_USER_INPUT", "exactly one"},
		{"a page size of zero", `{ organizations(first: 0) { nodes { id } } }`, "BAD_USER_INPUT", "first must be between"},
		{"a page size above the maximum", `{ organizations(first: 501) { nodes { id } } }`, "BAD_USER_INPUT", "first must be between"},
		{"a cursor that is not one", `{ organizations(after: "bm90IGEgY3Vyc29y") { nodes { id } } }`, "BAD_USER_INPUT", "invalid cursor"},
		{"garbage as a cursor", `{ organizations(after: "%%%") { nodes { id } } }`, "BAD_USER_INPUT", "invalid cursor"},
		{"a malformed credit code", `{ organization(creditCode: "913418020000000000") { name } }`, "BAD_USER_INPUT", "check character"},
		{"a malformed date", `{ organizations(where: {asOf: "21/10/2023"}) { nodes { id } } }`, "BAD_USER_INPUT", "not a date"},
		{"an inverted member range", `{ organizations(where: {partyMembersMin: 5, partyMembersMax: 2}) { nodes { id } } }`, "BAD_USER_INPUT", "above partyMembersMax"},
		{"a wrong id kind in a filter", `{ organizations(where: {industryId: "ar-000001"}) { nodes { id } } }`, "BAD_USER_INPUT", "not a Industry"},
		{"stars out of range", `{ evaluations(where: {stars: [6]}) { nodes { id } } }`, "BAD_USER_INPUT", "stars must be"},
		{"an unknown enum", `{ organizations(where: {kind: [BANK]}) { nodes { id } } }`, "GRAPHQL_VALIDATION_FAILED", "BANK"},
		{"an unknown field", `{ organizations { nodes { salary } } }`, "GRAPHQL_VALIDATION_FAILED", "salary"},
		{"an unknown enum for labels", `{ enumLabels(enum: "Nope") { value } }`, "BAD_USER_INPUT", "no enum"},
		{"a movement from an unknown round", `{ gradeMovement(from: "1999-05", to: "2023-05") { compared } }`, "NOT_FOUND", "1999-05"},
		{"a demonstration of an unknown round", `{ demonstration(round: "1999-05") { round } }`, "NOT_FOUND", "1999-05"},
		{"too many mentors", `{ programs { mentors(first: 501) { mentees } } }`, "BAD_USER_INPUT", "first must be between"},
		{"a negative distance to the next star", `{ grading { nearNext(points: -1) { id } } }`, "BAD_USER_INPUT", "points must be between"},
		{"too many candidates on a list", `{ organizations(first: 1) { nodes { coverageCandidates(first: 51) { rank } } } }`, "BAD_USER_INPUT", "first must be between"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, msg := errorCode(t, h, tt.query, nil)
			if code != tt.code || !strings.Contains(msg, tt.says) {
				t.Errorf("got %s %q, want %s containing %q", code, msg, tt.code, tt.says)
			}
		})
	}
}

func TestACursorOfAnotherSortIsRefused(t *testing.T) {
	h := api(t)
	var d struct {
		Organizations struct{ PageInfo struct{ EndCursor string } }
	}
	data(t, h, `{ organizations(first: 2, sort: {field: HEADCOUNT}) { pageInfo { endCursor } } }`, nil, &d)
	code, msg := errorCode(t, h, `query($c: String) { organizations(first: 2, sort: {field: NAME}, after: $c) { nodes { id } } }`,
		map[string]any{"c": d.Organizations.PageInfo.EndCursor})
	if code != "BAD_USER_INPUT" || !strings.Contains(msg, "another sort") {
		t.Errorf("got %s %q", code, msg)
	}
}

func TestUnknownThingsAreNullNotErrors(t *testing.T) {
	h := api(t)
	var d struct {
		Organization, ByCode, Node *struct{ ID string }
	}
	data(t, h, `{ organization(id: "og-999999999") { id } byCode: organization(name: "不存在的公司") { id } node(id: "pe-999999999") { id } }`, nil, &d)
	if d.Organization != nil || d.ByCode != nil || d.Node != nil {
		t.Errorf("got %+v, want nulls", d)
	}
}
