package analytics

import (
	"cobuild"
	"fmt"
	"strings"
	"time"
)

// Step is one tie of a chain, walked from one node to the next.
type Step struct {
	From, To NodeInfo
	Tie      TieInfo
	// Forward is true when the chain walks the tie in its stored direction.
	Forward bool
}

// Steps turns a path into its steps.
func (p *Projection) Steps(path Path) []Step {
	steps := make([]Step, len(path.Ties))
	for i, t := range path.Ties {
		from, to := p.Nodes[path.Nodes[i]], p.Nodes[path.Nodes[i+1]]
		steps[i] = Step{From: from, To: to, Tie: p.Ties[t], Forward: p.Ties[t].From == from.ID}
	}
	return steps
}

func name(n NodeInfo) string {
	if n.Name != "" {
		return n.Name
	}
	return n.ID
}

func month(t *time.Time) string {
	if t == nil {
		return ""
	}
	return " since " + t.Format("2006-01")
}

var roleWords = map[string]string{"MEMBER": "member unit", "COUNCIL": "council unit", "CHAIR": "leading unit",
	"INSTRUCTOR": "party-building instructor", "LIAISON": "liaison", "PARTY_WORKER": "party-affairs worker",
	"SECRETARY": "party secretary", "STAFF": "staff member"}

func roleWord(r string) string {
	if w, ok := roleWords[r]; ok {
		return w
	}
	return "member"
}

func article(w string) string {
	if strings.ContainsAny(w[:1], "aeiou") {
		return "an " + w
	}
	return "a " + w
}

// Sentence says what one step means, in words a person can read.
func (s Step) Sentence() string {
	a, b := name(s.From), name(s.To)
	t := s.Tie
	since := month(t.Since)
	if !s.Forward {
		// Say it from the tie's own start, which reads naturally.
		a, b = b, a
	}
	switch t.Type {
	case cobuild.MemberOf:
		return fmt.Sprintf("%s is %s of %s%s", a, article(roleWord(t.Role)), b, since)
	case cobuild.CoBuildsWith:
		return fmt.Sprintf("%s co-builds with the community %s%s", a, b, since)
	case cobuild.Attended:
		return fmt.Sprintf("%s attended %s", a, b)
	case cobuild.Held:
		return fmt.Sprintf("%s held %s", a, b)
	case cobuild.Mentors:
		return fmt.Sprintf("%s mentors %s%s", a, b, since)
	case cobuild.WorksAt:
		return fmt.Sprintf("%s works at %s as %s%s", a, b, article(roleWord(t.Role)), since)
	case cobuild.PlacedAt:
		return fmt.Sprintf("%s was placed at %s (government-hired, enterprise-trained)%s", a, b, since)
	case cobuild.ApprenticedAt:
		return fmt.Sprintf("%s is an apprentice at %s%s", a, b, since)
	case cobuild.TrainedAt:
		return fmt.Sprintf("%s is trained by %s as an apprentice%s", a, b, since)
	case cobuild.PartyTo:
		return fmt.Sprintf("%s is party to %s%s", a, b, since)
	case cobuild.CoveredBy:
		return fmt.Sprintf("%s is covered by %s%s", a, b, since)
	case cobuild.AssignedTo:
		return fmt.Sprintf("%s is %s of %s%s", a, article(roleWord(t.Role)), b, since)
	}
	return fmt.Sprintf("%s is tied to %s (%s)", a, b, t.Type)
}

// Explain says a whole chain in one sentence: steps joined in order, and two memberships
// of one hub said together ("A is a council unit of H since 2022-05, of which B is a
// council unit since 2022-05").
func (p *Projection) Explain(path Path) string {
	steps := p.Steps(path)
	var parts []string
	for i := 0; i < len(steps); i++ {
		s := steps[i]
		if i+1 < len(steps) && s.Tie.Type == cobuild.MemberOf && s.Forward && steps[i+1].Tie.Type == cobuild.MemberOf && !steps[i+1].Forward {
			n := steps[i+1]
			parts = append(parts, fmt.Sprintf("%s, of which %s is %s%s", s.Sentence(), name(n.To), article(roleWord(n.Tie.Role)), month(n.Tie.Since)))
			i++
			continue
		}
		parts = append(parts, s.Sentence())
	}
	return strings.Join(parts, "; ")
}
