package neo4jstore

import (
	"fmt"
	"slices"
	"time"

	"cobuild"
)

// The commands of Apply, in the domain's words (docs/writes.md). Each reads and checks
// everything it needs before its first write: a check that fails leaves nothing written.

var managedKinds = []cobuild.OrgKind{cobuild.OrgEnterprise, cobuild.OrgSocial, cobuild.OrgHospital}

func sectorOf(k cobuild.OrgKind) cobuild.Sector {
	if k == cobuild.OrgEnterprise {
		return cobuild.SectorEnterprise
	}
	return cobuild.SectorSocial
}

// areaWithParents reads an area, of one of the kinds, and the areas holding it.
func (w *wtx) areaWithParents(field, id string, kinds ...string) ([]string, error) {
	p, _, err := w.node(field, id, cobuild.LabelArea)
	if err != nil {
		return nil, err
	}
	if kind := fmt.Sprint(p["kind"]); len(kinds) > 0 && !slices.Contains(kinds, kind) {
		return nil, invalid(field, "%s（%s）是%s，此处需要%v。%s is a %s, where a %v is needed.", id, p["name"],
			cobuild.Label("AreaKind", kind), kinds, id, kind, kinds)
	}
	rows, err := w.run("MATCH (:Area {id: $id})-[:LOCATED_IN*0..2]->(a:Area) RETURN collect(DISTINCT a.id) AS areas", map[string]any{"id": id})
	if err != nil {
		return nil, err
	}
	var out []string
	for _, a := range rows[0]["areas"].([]any) {
		out = append(out, a.(string))
	}
	return out, nil
}

func registerOrganization(w *wtx) error {
	name, err := w.required("input.name")
	if err != nil {
		return err
	}
	kind := cobuild.OrgKind(w.str("input.kind"))
	if !slices.Contains(managedKinds, kind) {
		return invalid("input.kind", "只能登记非公企业、社会组织或民办医院，不能登记 %s。Only enterprises, social organisations and private hospitals are registered, not %s.", kind, kind)
	}
	code, err := w.required("input.creditCode")
	if err != nil {
		return err
	}
	if err := cobuild.ValidateCreditCode(code); err != nil {
		return invalid("input.creditCode", "统一社会信用代码 %q 不正确：%s。The credit code %q is not valid: %s.", code, cobuild.ErrorMessage(err), code, cobuild.ErrorMessage(err))
	}
	dup, err := w.run("MATCH (o:Organization {creditCode: $code}) RETURN o.id AS id, o.name AS name", map[string]any{"code": code})
	if err != nil {
		return err
	}
	if len(dup) > 0 {
		return invalid("input.creditCode", "统一社会信用代码 %s 已由 %s（%s）使用。The credit code %s is already %s's (%s).", code, dup[0]["name"], dup[0]["id"], code, dup[0]["name"], dup[0]["id"])
	}
	headcount, err := w.integer("input.headcount", 0)
	if err != nil {
		return err
	}
	members, err := w.integer("input.partyMembers", 0)
	if err != nil {
		return err
	}
	if members > headcount && w.has("input.headcount") {
		return invalid("input.partyMembers", "正式党员人数（%d）超过从业人数（%d）。Its full party members (%d) outnumber its staff (%d).", members, headcount, members, headcount)
	}
	registered, err := w.date("input.registeredOn", w.today)
	if err != nil {
		return err
	}
	if registered.After(w.today) {
		return invalid("input.registeredOn", "登记日期 %s 晚于今天。The registration day %s is after today.", registered.Format(time.DateOnly), registered.Format(time.DateOnly))
	}
	areaID := w.str("input.areaId")
	areas, err := w.areaWithParents("input.areaId", areaID, "TOWN", "SUBDISTRICT")
	if err != nil {
		return err
	}
	ties := []struct {
		t  cobuild.TieType
		to string
	}{{cobuild.LocatedIn, areaID}}
	if park := w.str("input.parkId"); park != "" {
		more, err := w.areaWithParents("input.parkId", park, "PARK")
		if err != nil {
			return err
		}
		areas = append(areas, more...)
		ties = append(ties, struct {
			t  cobuild.TieType
			to string
		}{cobuild.InPark, park})
	}
	if c := w.str("input.communityId"); c != "" {
		p, _, err := w.node("input.communityId", c, cobuild.LabelOrganization)
		if err != nil {
			return err
		}
		if p["kind"] != string(cobuild.OrgCommunity) {
			return invalid("input.communityId", "%s（%s）不是社区。%s is not a community.", c, p["name"], c)
		}
		ties = append(ties, struct {
			t  cobuild.TieType
			to string
		}{cobuild.InCommunity, c})
	}
	if i := w.str("input.industryId"); i != "" {
		if _, _, err := w.node("input.industryId", i, cobuild.LabelIndustry); err != nil {
			return err
		}
		ties = append(ties, struct {
			t  cobuild.TieType
			to string
		}{cobuild.InIndustry, i})
	}
	w.explicit = areas
	id, err := w.create(cobuild.LabelOrganization, kind.KindLabel(), map[string]any{"name": name, "kind": string(kind),
		"sector": string(sectorOf(kind)), "creditCode": code, "headcount": headcount, "partyMembers": members,
		"aboveScale": w.boolean("input.aboveScale", false), "operating": true, "registeredOn": registered.Format(time.DateOnly)})
	if err != nil {
		return err
	}
	for _, t := range ties {
		if err := w.tie(t.t, end(id), end(t.to), nil); err != nil {
			return err
		}
	}
	w.c.Orgs = append(w.c.Orgs, id)
	w.areas[id] = areas
	w.c.Org = id
	return nil
}

func updateOrganization(w *wtx) error {
	id := w.str("id")
	p, err := w.org("id", id)
	if err != nil {
		return err
	}
	if err := w.expect(id, p); err != nil {
		return err
	}
	props := map[string]any{}
	if w.has("input.name") {
		name := w.str("input.name")
		if name == "" {
			return invalid("input.name", "名称不能为空。The name cannot be empty.")
		}
		props["name"] = name
	}
	for _, k := range []string{"headcount", "partyMembers"} {
		if w.has("input." + k) {
			v, err := w.integer("input."+k, 0)
			if err != nil {
				return err
			}
			props[k] = v
		}
	}
	if w.has("input.aboveScale") {
		props["aboveScale"] = w.boolean("input.aboveScale", false)
	}
	type move struct {
		t         cobuild.TieType
		field, to string
	}
	var moves []move
	if i := w.str("input.industryId"); i != "" {
		if _, _, err := w.node("input.industryId", i, cobuild.LabelIndustry); err != nil {
			return err
		}
		moves = append(moves, move{cobuild.InIndustry, "industry", i})
	}
	if c := w.str("input.communityId"); c != "" {
		cp, _, err := w.node("input.communityId", c, cobuild.LabelOrganization)
		if err != nil {
			return err
		}
		if cp["kind"] != string(cobuild.OrgCommunity) {
			return invalid("input.communityId", "%s（%s）不是社区。%s is not a community.", c, cp["name"], c)
		}
		moves = append(moves, move{cobuild.InCommunity, "community", c})
	}
	if err := w.set(cobuild.LabelOrganization, id, p, props); err != nil {
		return err
	}
	for _, m := range moves {
		rows, err := w.run(fmt.Sprintf("MATCH (:Organization {id: $id})-[r:%s]->(x) WITH r, x.id AS old DELETE r RETURN old", m.t), map[string]any{"id": id})
		if err != nil {
			return err
		}
		old := ""
		if len(rows) > 0 {
			old, _ = rows[0]["old"].(string)
		}
		if err := w.s.exec(w.ctx, w.tx, fmt.Sprintf("MATCH (o:Organization {id: $id}), (x:%s {id: $to}) CREATE (o)-[:%s]->(x)", end(m.to).label, m.t),
			map[string]any{"id": id, "to": m.to}); err != nil {
			return err
		}
		w.c.Diffs = append(w.c.Diffs, cobuild.Diff{Entity: id, Tie: m.t, Field: m.field, Before: jsonOf(nilIfEmpty(old)), After: jsonOf(m.to)})
		w.touch(m.to)
	}
	w.c.Entity = id
	return nil
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func closeOrganization(w *wtx) error {
	id := w.str("id")
	p, err := w.org("id", id)
	if err != nil {
		return err
	}
	if err := w.expect(id, p); err != nil {
		return err
	}
	on, err := w.date("on", time.Time{})
	if err != nil {
		return err
	}
	if op, _ := p["operating"].(bool); !op {
		return invalid("id", "%s（%s）已记录为停止经营。%s is recorded as closed already.", id, p["name"], id)
	}
	w.c.Entity = id
	return w.set(cobuild.LabelOrganization, id, p, map[string]any{"operating": false, "closedOn": on.Format(time.DateOnly)})
}

var ownPartyKinds = []string{"BRANCH", "GENERAL_BRANCH", "COMMITTEE"}

func formPartyOrganization(w *wtx) error {
	id := w.str("input.organizationId")
	p, err := w.org("input.organizationId", id)
	if err != nil {
		return err
	}
	if err := w.expect(id, p); err != nil {
		return err
	}
	founded, err := w.date("input.foundedOn", w.today)
	if err != nil {
		return err
	}
	kind := w.str("input.kind")
	if kind == "" {
		kind = "BRANCH"
	}
	if !slices.Contains(ownPartyKinds, kind) {
		return invalid("input.kind", "单独组建的党组织应为党支部、党总支或党委，不能是 %s。An organisation's own party organisation is a branch, general branch or committee, not %s.", kind, kind)
	}
	pm, _ := p["partyMembers"].(int64)
	members, err := w.integer("input.members", int(pm))
	if err != nil {
		return err
	}
	if members < w.s.rules.OwnOrgMinMembers {
		return invalid("input.members", "正式党员 %d 名，不足 %d 名，不能单独组建党组织。With %d full members (fewer than %d) it cannot form a party organisation of its own.",
			members, w.s.rules.OwnOrgMinMembers, members, w.s.rules.OwnOrgMinMembers)
	}
	own, err := w.run("MATCH (:Organization {id: $id})-[r:HAS_PARTY_ORG]->(po:PartyOrg) WHERE r.until IS NULL OR r.until > $on RETURN po.id AS po",
		map[string]any{"id": id, "on": dateParam(founded)})
	if err != nil {
		return err
	}
	if len(own) > 0 {
		return invalid("input.organizationId", "%s 已有自己的党组织 %s。%s has a party organisation of its own already, %s.", id, own[0]["po"], id, own[0]["po"])
	}
	name := w.str("input.name")
	if name == "" {
		name = fmt.Sprint(p["name"]) + "党支部"
	}
	po, err := w.create(cobuild.LabelPartyOrg, "", map[string]any{"name": name, "kind": kind, "foundedOn": founded.Format(time.DateOnly), "members": members})
	if err != nil {
		return err
	}
	return w.open(cobuild.HasPartyOrg, end(id), end(po), founded, nil, "input.organizationId", false)
}

func dissolvePartyOrganization(w *wtx) error {
	po := w.str("partyOrganizationId")
	if _, _, err := w.node("partyOrganizationId", po, cobuild.LabelPartyOrg); err != nil {
		return err
	}
	on, err := w.date("on", time.Time{})
	if err != nil {
		return err
	}
	owners, err := w.run("MATCH (o)-[r:HAS_PARTY_ORG]->(:PartyOrg {id: $po}) WHERE r.until IS NULL OR r.until > $on RETURN o.id AS id",
		map[string]any{"po": po, "on": dateParam(on)})
	if err != nil {
		return err
	}
	if len(owners) == 0 {
		return invalid("partyOrganizationId", "%s 在 %s 没有所属组织。%s belongs to no organisation on %s.", po, on.Format(time.DateOnly), po, on.Format(time.DateOnly))
	}
	for _, o := range owners {
		if id := o["id"].(string); end(id).label == cobuild.LabelOrganization {
			if err := w.touchOrg(id); err != nil {
				return err
			}
		}
	}
	w.c.Entity = po
	for _, o := range owners {
		if err := w.close(cobuild.HasPartyOrg, end(o["id"].(string)), end(po), on, "", "partyOrganizationId"); err != nil {
			return err
		}
	}
	return nil
}

// coverModeOf is the kind of party organisation each mode of cover needs.
var coverModeOf = map[string]string{"JOINT": "JOINT_BRANCH", "REGIONAL": "REGIONAL", "INDUSTRY": "INDUSTRY"}

func coverOrganization(w *wtx) error {
	id, po := w.str("organizationId"), w.str("partyOrganizationId")
	p, err := w.org("organizationId", id, managedKinds...)
	if err != nil {
		return err
	}
	if err := w.expect(id, p); err != nil {
		return err
	}
	pp, _, err := w.node("partyOrganizationId", po, cobuild.LabelPartyOrg)
	if err != nil {
		return err
	}
	mode := w.str("mode")
	if want := coverModeOf[mode]; pp["kind"] != want {
		return invalid("partyOrganizationId", "%s（%s）是%s，不能以%s方式覆盖。%s is a %v party organisation: it cannot cover by mode %s.",
			po, pp["name"], cobuild.Label("PartyOrganizationKind", fmt.Sprint(pp["kind"])), cobuild.Label("CoverMode", mode), po, pp["kind"], mode)
	}
	w.touch(po)
	return w.openFrom("since", cobuild.CoveredBy, end(id), end(po), map[string]any{"mode": mode}, "partyOrganizationId", false)
}

func endCoverage(w *wtx) error {
	id, po := w.str("organizationId"), w.str("partyOrganizationId")
	p, err := w.org("organizationId", id)
	if err != nil {
		return err
	}
	if err := w.expect(id, p); err != nil {
		return err
	}
	if _, _, err := w.node("partyOrganizationId", po, cobuild.LabelPartyOrg); err != nil {
		return err
	}
	return w.closeOn("on", cobuild.CoveredBy, end(id), end(po), "", "partyOrganizationId")
}

var assignRoles = []string{"INSTRUCTOR", "LIAISON"}

func assignment(w *wtx) (person, org, role string, err error) {
	person, org, role = w.str("personId"), w.str("organizationId"), w.str("role")
	if !slices.Contains(assignRoles, role) {
		return "", "", "", invalid("role", "选派的角色只能是党建指导员或联络员，不能是 %s。An assignment is of an instructor or a liaison, not %s.", role, role)
	}
	if _, _, err := w.node("personId", person, cobuild.LabelPerson); err != nil {
		return "", "", "", err
	}
	p, err := w.org("organizationId", org)
	if err != nil {
		return "", "", "", err
	}
	return person, org, role, w.expect(org, p)
}

func assignPerson(w *wtx) error {
	person, org, role, err := assignment(w)
	if err != nil {
		return err
	}
	w.c.Entity = org
	return w.openFrom("since", cobuild.AssignedTo, end(person), end(org), map[string]any{"role": role}, "personId", true)
}

func withdrawPerson(w *wtx) error {
	person, org, role, err := assignment(w)
	if err != nil {
		return err
	}
	w.c.Entity = org
	return w.closeOn("on", cobuild.AssignedTo, end(person), end(org), role, "personId")
}

func membership(w *wtx) (org, hub string, err error) {
	org, hub = w.str("organizationId"), w.str("hubId")
	p, err := w.org("organizationId", org)
	if err != nil {
		return "", "", err
	}
	if err := w.expect(org, p); err != nil {
		return "", "", err
	}
	if _, _, err := w.node("hubId", hub, cobuild.LabelAlliance, cobuild.LabelRedZone); err != nil {
		return "", "", err
	}
	return org, hub, nil
}

func joinHub(w *wtx) error {
	org, hub, err := membership(w)
	if err != nil {
		return err
	}
	role := w.str("role")
	if role == "" {
		role = "MEMBER"
	}
	w.c.Entity = org
	return w.openFrom("since", cobuild.MemberOf, end(org), end(hub), map[string]any{"role": role}, "hubId", false)
}

func leaveHub(w *wtx) error {
	org, hub, err := membership(w)
	if err != nil {
		return err
	}
	w.c.Entity = org
	return w.closeOn("on", cobuild.MemberOf, end(org), end(hub), "", "hubId")
}

func signAgreement(w *wtx) error {
	name, err := w.required("input.name")
	if err != nil {
		return err
	}
	areas := w.ids("input.areaIds")
	if len(areas) < 2 {
		return invalid("input.areaIds", "共建协议至少需要两个签约方。An agreement needs two areas or more.")
	}
	var scope []string
	for i, a := range areas {
		if slices.Contains(areas[:i], a) {
			return invalid(fmt.Sprintf("input.areaIds.%d", i), "签约方 %s 重复。The area %s is listed twice.", a, a)
		}
		more, err := w.areaWithParents(fmt.Sprintf("input.areaIds.%d", i), a)
		if err != nil {
			return err
		}
		scope = append(scope, more...)
	}
	signed, err := w.date("input.signedOn", w.today)
	if err != nil {
		return err
	}
	if w.cmd.Actor.Scoped && !slices.ContainsFunc(scope, func(a string) bool { return slices.Contains(w.cmd.Actor.Areas, a) }) {
		return &cobuild.Error{Code: cobuild.EFORBIDDEN, Message: "签约方中没有您的辖区。None of the areas that sign is yours.", Extensions: map[string]any{"role": w.cmd.Actor.Role}}
	}
	w.cmd.Actor.Scoped = false // checked above: one of the parties is the officer's
	w.explicit = scope
	ag, err := w.create(cobuild.LabelAgreement, "", map[string]any{"name": name, "kind": "PARK_CO_BUILDING", "signedOn": signed.Format(time.DateOnly)})
	if err != nil {
		return err
	}
	for _, a := range areas {
		if err := w.tie(cobuild.PartyTo, end(a), end(ag), map[string]any{"since": signed.Format(time.DateOnly)}); err != nil {
			return err
		}
	}
	return nil
}

// coBuildModes are the kinds of organisation each mode of community co-building links.
var coBuildModes = map[string][]cobuild.OrgKind{"SHUANGSHE": {cobuild.OrgSocial, cobuild.OrgHospital}, "SHEQI": {cobuild.OrgEnterprise}}

func coBuild(w *wtx) (org, community string, err error) {
	org, community = w.str("organizationId"), w.str("communityId")
	p, err := w.org("organizationId", org, managedKinds...)
	if err != nil {
		return "", "", err
	}
	if err := w.expect(org, p); err != nil {
		return "", "", err
	}
	if _, err := w.org("communityId", community, cobuild.OrgCommunity); err != nil {
		return "", "", err
	}
	if mode := w.str("mode"); mode != "" && !slices.Contains(coBuildModes[mode], cobuild.OrgKind(fmt.Sprint(p["kind"]))) {
		return "", "", invalid("mode", "%s是%s，不能以%s方式联建。%s is a %v: it cannot co-build by mode %s.", p["name"],
			cobuild.Label("OrgKind", fmt.Sprint(p["kind"])), cobuild.Label("CoBuildMode", mode), org, p["kind"], mode)
	}
	return org, community, nil
}

func linkCommunity(w *wtx) error {
	org, community, err := coBuild(w)
	if err != nil {
		return err
	}
	w.c.Entity = org
	return w.openFrom("since", cobuild.CoBuildsWith, end(org), end(community), map[string]any{"mode": w.str("mode")}, "communityId", false)
}

func unlinkCommunity(w *wtx) error {
	org, community, err := coBuild(w)
	if err != nil {
		return err
	}
	w.c.Entity = org
	return w.closeOn("on", cobuild.CoBuildsWith, end(org), end(community), "", "communityId")
}

func recordEvent(w *wtx) error {
	name, err := w.required("input.name")
	if err != nil {
		return err
	}
	date, err := w.date("input.date", time.Time{})
	if err != nil {
		return err
	}
	times, err := w.integer("input.personTimes", 0)
	if err != nil {
		return err
	}
	hosts, attendees := w.ids("input.hostIds"), w.ids("input.attendeeIds")
	if len(hosts) == 0 {
		return invalid("input.hostIds", "活动至少需要一个举办方。An event needs a host.")
	}
	check := func(field string, ids []string, labels ...cobuild.NodeLabel) error {
		for i, id := range ids {
			f := fmt.Sprintf("%s.%d", field, i)
			if slices.Contains(ids[:i], id) {
				return invalid(f, "%s 重复。%s is listed twice.", id, id)
			}
			if _, _, err := w.node(f, id, labels...); err != nil {
				return err
			}
			if end(id).label == cobuild.LabelOrganization {
				if err := w.touchOrg(id); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if err := check("input.hostIds", hosts, cobuild.LabelOrganization, cobuild.LabelAlliance, cobuild.LabelAgreement); err != nil {
		return err
	}
	if err := check("input.attendeeIds", attendees, cobuild.LabelOrganization, cobuild.LabelAlliance, cobuild.LabelPerson); err != nil {
		return err
	}
	ev, err := w.create(cobuild.LabelEvent, "", map[string]any{"name": name, "kind": w.str("input.kind"), "date": date.Format(time.DateOnly), "personTimes": times})
	if err != nil {
		return err
	}
	for _, h := range hosts {
		if err := w.tie(cobuild.Held, end(h), end(ev), nil); err != nil {
			return err
		}
	}
	for _, a := range attendees {
		if err := w.tie(cobuild.Attended, end(a), end(ev), nil); err != nil {
			return err
		}
	}
	return nil
}

// mentoring reads a mentor and a mentee and touches the organisations they work at: a
// mentorship ties those into the network.
func mentoring(w *wtx) (mentor, mentee string, err error) {
	mentor, mentee = w.str("mentorId"), w.str("menteeId")
	if mentor == mentee {
		return "", "", invalid("menteeId", "导师与学员不能是同一人。A mentor cannot mentor themselves.")
	}
	if _, _, err := w.node("mentorId", mentor, cobuild.LabelPerson); err != nil {
		return "", "", err
	}
	if _, _, err := w.node("menteeId", mentee, cobuild.LabelPerson); err != nil {
		return "", "", err
	}
	return mentor, mentee, w.orgsWhere("MATCH (p:Person)-[:WORKS_AT]->(o:Organization) WHERE p.id IN $ids RETURN DISTINCT o.id AS id ORDER BY id",
		map[string]any{"ids": []string{mentor, mentee}})
}

func pairMentor(w *wtx) error {
	mentor, mentee, err := mentoring(w)
	if err != nil {
		return err
	}
	w.c.Entity = mentee
	return w.openFrom("since", cobuild.Mentors, end(mentor), end(mentee), nil, "menteeId", false)
}

func endMentoring(w *wtx) error {
	mentor, mentee, err := mentoring(w)
	if err != nil {
		return err
	}
	w.c.Entity = mentee
	return w.closeOn("on", cobuild.Mentors, end(mentor), end(mentee), "", "menteeId")
}

func recordCertificationReview(w *wtx) error {
	person := w.str("personId")
	if _, _, err := w.node("personId", person, cobuild.LabelPerson); err != nil {
		return err
	}
	reviewed, err := w.date("reviewedOn", time.Time{})
	if err != nil {
		return err
	}
	if reviewed.After(w.today) {
		return invalid("reviewedOn", "评审日期 %s 晚于今天。The review day %s is after today.", reviewed.Format(time.DateOnly), reviewed.Format(time.DateOnly))
	}
	if err := w.orgsWhere("MATCH (:Person {id: $id})-[:WORKS_AT|ASSIGNED_TO]->(o:Organization) RETURN DISTINCT o.id AS id ORDER BY id", map[string]any{"id": person}); err != nil {
		return err
	}
	status := w.str("status")
	props := map[string]any{"kind": "RED_LEADER", "status": status, "reviewedOn": reviewed.Format(time.DateOnly)}
	if status == "CERTIFIED" {
		props["certifiedOn"] = reviewed.Format(time.DateOnly)
	}
	ce, err := w.create(cobuild.LabelCertification, "", props)
	if err != nil {
		return err
	}
	return w.tie(cobuild.Holds, end(person), end(ce), nil)
}

func recordMassBranch(w *wtx) error {
	org, body := w.str("input.organizationId"), w.str("input.massOrganizationId")
	p, err := w.org("input.organizationId", org)
	if err != nil {
		return err
	}
	bp, _, err := w.node("input.massOrganizationId", body, cobuild.LabelOrganization)
	if err != nil {
		return err
	}
	if bp["kind"] != string(cobuild.OrgMass) {
		return invalid("input.massOrganizationId", "%s（%s）不是区级群团组织。%s is not a district mass organisation.", body, bp["name"], body)
	}
	formed, err := w.date("input.formedOn", w.today)
	if err != nil {
		return err
	}
	kind := w.str("input.kind")
	name := w.str("input.name")
	if name == "" {
		name = fmt.Sprint(p["name"]) + cobuild.Label("MassBranchKind", kind)
	}
	mb, err := w.create(cobuild.LabelMassBranch, "", map[string]any{"name": name, "kind": kind, "formedOn": formed.Format(time.DateOnly)})
	if err != nil {
		return err
	}
	if err := w.tie(cobuild.FormedIn, end(mb), end(org), map[string]any{"since": formed.Format(time.DateOnly)}); err != nil {
		return err
	}
	return w.tie(cobuild.BranchOf, end(mb), end(body), nil)
}
