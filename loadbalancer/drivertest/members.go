package drivertest

import (
	"context"
	"slices"
	"testing"

	"github.com/lbcloud/lbcloud/loadbalancer"
)

func memberIDs(ms []loadbalancer.Member) []string {
	ids := make([]string, 0, len(ms))
	for _, m := range ms {
		ids = append(ids, m.ID)
	}
	slices.Sort(ids)
	return ids
}

func testMembers(t *testing.T, ctx context.Context, h Harness, svc *loadbalancer.Service) {
	members, err := h.MakeMembers(ctx, 3)
	if err != nil {
		t.Fatalf("MakeMembers: %v", err)
	}
	lb := create(t, ctx, svc, loadbalancer.CreateRequest{
		Name: uniqueName("ct"), Port: 80, Protocol: loadbalancer.HTTP, InstancePort: 8080,
		Members: []loadbalancer.Member{{ID: members[0].ID, Port: 8080}},
	})
	got, err := svc.ListMembers(ctx, lb.ID)
	if err != nil {
		t.Fatalf("ListMembers: %v", err)
	}
	if ids := memberIDs(got); !slices.Equal(ids, []string{members[0].ID}) {
		t.Fatalf("members after create = %v, want [%s]", ids, members[0].ID)
	}
	if got[0].Port != 8080 || got[0].Health == "" {
		t.Errorf("member %+v: want port 8080 and a health state", got[0])
	}
	attached, err := svc.AttachMembers(ctx, lb.ID, []loadbalancer.Member{{ID: members[1].ID}, {ID: members[2].ID}})
	if err != nil {
		t.Fatalf("AttachMembers: %v", err)
	}
	if len(attached) != 2 {
		t.Errorf("AttachMembers returned %d members, want 2", len(attached))
	}
	got, err = svc.ListMembers(ctx, lb.ID)
	if err != nil {
		t.Fatalf("ListMembers: %v", err)
	}
	want := memberIDs(members)
	if ids := memberIDs(got); !slices.Equal(ids, want) {
		t.Fatalf("members after attach = %v, want %v", ids, want)
	}
	if err := svc.DetachMember(ctx, lb.ID, loadbalancer.Member{ID: members[0].ID}); err != nil {
		t.Fatalf("DetachMember: %v", err)
	}
	got, err = svc.ListMembers(ctx, lb.ID)
	if err != nil {
		t.Fatalf("ListMembers: %v", err)
	}
	if ids := memberIDs(got); !slices.Equal(ids, memberIDs(members[1:])) {
		t.Fatalf("members after detach = %v, want %v", ids, memberIDs(members[1:]))
	}
}

func testMembersByIP(t *testing.T, ctx context.Context, h Harness, svc *loadbalancer.Service) {
	members, err := h.MakeMembers(ctx, 1)
	if err != nil {
		t.Fatalf("MakeMembers: %v", err)
	}
	if members[0].IP == "" {
		t.Skip("the target cannot resolve members by address")
	}
	lb := create(t, ctx, svc, loadbalancer.CreateRequest{
		Name: uniqueName("ct"), Port: 80, Protocol: loadbalancer.HTTP,
		Members: []loadbalancer.Member{{IP: members[0].IP, Port: 8080}},
	})
	got, err := svc.ListMembers(ctx, lb.ID)
	if err != nil {
		t.Fatalf("ListMembers: %v", err)
	}
	if ids := memberIDs(got); !slices.Equal(ids, []string{members[0].ID}) {
		t.Fatalf("member given by IP %s registered as %v, want %s", members[0].IP, ids, members[0].ID)
	}
	// An address that belongs to no member is not found, and nothing is half made.
	name := uniqueName("ct")
	_, err = svc.CreateBalancer(ctx, loadbalancer.CreateRequest{
		Name: name, Port: 80, Protocol: loadbalancer.HTTP, Members: []loadbalancer.Member{{IP: "203.0.113.254"}},
	})
	wantKind(t, err, loadbalancer.ErrNotFound)
	_, err = svc.GetBalancer(ctx, name)
	wantKind(t, err, loadbalancer.ErrNotFound)
}
