package server

import (
	"context"
	"fmt"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"cobuild"
	"cobuild/auth"
)

// rolePolicy enforces auth.RootFields on each operation before anything of it runs: a
// root field the caller's role may not read, or, for a role that may reach no record (the
// viewer), a field anywhere whose values are records, refuses the whole operation with
// FORBIDDEN. Fragments, named and inline, are followed.
type rolePolicy struct {
	records map[string]bool
}

var (
	_ graphql.HandlerExtension        = (*rolePolicy)(nil)
	_ graphql.OperationContextMutator = (*rolePolicy)(nil)
)

func (*rolePolicy) ExtensionName() string { return "RolePolicy" }

func (p *rolePolicy) Validate(s graphql.ExecutableSchema) error {
	p.records = auth.Records(s.Schema())
	return nil
}

func (p *rolePolicy) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	who := auth.FromContext(ctx)
	if who == nil || oc.Operation == nil {
		return nil
	}
	if err := p.check(who, oc.Operation.Operation, oc.Operation.SelectionSet, "", map[string]bool{}); err != nil {
		return err
	}
	return nil
}

// check walks a selection set; parent is the path of the field it belongs to, "" at the
// root.
func (p *rolePolicy) check(who *auth.Principal, op ast.Operation, set ast.SelectionSet, parent string, seen map[string]bool) *gqlerror.Error {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if s.Name == "__typename" || (parent == "" && (s.Name == "__schema" || s.Name == "__type")) {
				continue
			}
			path := s.Name
			if parent != "" {
				path = parent + "." + s.Name
			}
			if parent == "" && !who.MayDo(op, s.Name) {
				return forbidden(who, rootType[op]+"."+s.Name, s.Position)
			}
			if who.MayReach() {
				// Every role that reads a root field reads all of it.
				continue
			}
			if s.Definition != nil && p.records[s.Definition.Type.Name()] {
				return forbidden(who, path, s.Position)
			}
			if err := p.check(who, op, s.SelectionSet, path, seen); err != nil {
				return err
			}
		case *ast.InlineFragment:
			if err := p.check(who, op, s.SelectionSet, parent, seen); err != nil {
				return err
			}
		case *ast.FragmentSpread:
			// A fragment spread in many places is checked in each: its parent differs.
			if s.Definition == nil || seen[parent+"/"+s.Name] {
				continue
			}
			seen[parent+"/"+s.Name] = true
			if err := p.check(who, op, s.Definition.SelectionSet, parent, seen); err != nil {
				return err
			}
		}
	}
	return nil
}

// rootType names the root type of each kind of operation.
var rootType = map[ast.Operation]string{ast.Query: "Query", ast.Mutation: "Mutation", ast.Subscription: "Subscription"}

// forbidden is the error of a field the caller's role may not read.
func forbidden(who *auth.Principal, field string, pos *ast.Position) *gqlerror.Error {
	msg := fmt.Sprintf("您的角色（%s）无权读取 %s。Your role (%s) may not read %s.", who.Role, field, who.Role, field)
	if strings.HasPrefix(field, "Mutation.") {
		msg = fmt.Sprintf("您的角色（%s）无权执行 %s。Your role (%s) may not run %s.", who.Role, field, who.Role, field)
	}
	e := &cobuild.Error{Code: cobuild.EFORBIDDEN,
		Message:    msg,
		Extensions: map[string]any{"role": string(who.Role), "field": field}}
	gerr := &gqlerror.Error{Err: e, Message: e.Message}
	if pos != nil {
		gerr.Locations = []gqlerror.Location{{Line: pos.Line, Column: pos.Column}}
	}
	return gerr
}
