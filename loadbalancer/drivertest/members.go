package drivertest

import (
	"context"
	"slices"
	"testing"

	"github.com/lbcloud/lbcloud/loadbalancer"
)

// testMembers goes through every member call: libcloud's balancer_attach_member,
// balancer_attach_compute_node, balancer_detach_member and balancer_list_members, and the
// batch forms beside them.
func testMembers(t *testing.T, ctx context.Context, h Harness, svc *loadbalancer.Service) {
	members, err := h.MakeMembers(ctx, 3)
	if err != nil {
		t.Fatalf("MakeMembers: %v", err)
	}
	req := request(t, ctx, svc, "mb")
	req.Members = []loadbalancer.Member{{ID: members[0].ID, Port: 8080}}
	lb := create(t, ctx, svc, req)
	wantMembers := func(when string, want []loadbalancer.Member) []loadbalancer.Member {
		t.Helper()
		got, err := svc.ListMembers(ctx, lb.ID)
		if err != nil {
			t.Fatalf("ListMembers %s: %v", when, err)
		}
		if ids := MemberIDs(got); !slices.Equal(ids, MemberIDs(want)) {
			t.Fatalf("members %s = %v, want %v", when, ids, MemberIDs(want))
		}
		return got
	}
	got := wantMembers("after create", members[:1])
	if got[0].Port != 8080 || got[0].Health == "" || got[0].Condition == "" {
		t.Errorf("member %+v: want port 8080, a health and a condition", got[0])
	}
	one, err := svc.AttachMember(ctx, lb.ID, loadbalancer.Member{ID: members[1].ID, Port: 8080})
	if err != nil || one.ID != members[1].ID {
		t.Fatalf("AttachMember = %+v, %v; want %s", one, err, members[1].ID)
	}
	node, err := svc.AttachComputeNode(ctx, lb.ID, members[2].ID)
	if err != nil || node.ID != members[2].ID {
		t.Fatalf("AttachComputeNode = %+v, %v; want %s", node, err, members[2].ID)
	}
	wantMembers("after attaching one by one", members)
	if err := svc.DetachMember(ctx, lb.ID, loadbalancer.Member{ID: members[0].ID}); err != nil {
		t.Fatalf("DetachMember: %v", err)
	}
	wantMembers("after DetachMember", members[1:])
	if err := svc.DetachMembers(ctx, lb.ID, []loadbalancer.Member{{ID: members[1].ID}, {ID: members[2].ID}}); err != nil {
		t.Fatalf("DetachMembers: %v", err)
	}
	wantMembers("after DetachMembers", nil)
	attached, err := svc.AttachMembers(ctx, lb.ID, []loadbalancer.Member{{ID: members[1].ID}, {ID: members[2].ID}})
	if err != nil {
		t.Fatalf("AttachMembers: %v", err)
	}
	if ids := MemberIDs(attached); !slices.Equal(ids, MemberIDs(members[1:])) {
		t.Errorf("AttachMembers returned %v, want %v", ids, MemberIDs(members[1:]))
	}
	wantMembers("after AttachMembers", members[1:])
}

// testMembersByIP runs where the harness's members have both an ID and an IP: the provider
// resolves an address to its member, and refuses one that belongs to no member before
// making anything.
func testMembersByIP(t *testing.T, ctx context.Context, h Harness, svc *loadbalancer.Service) {
	members, err := h.MakeMembers(ctx, 1)
	if err != nil {
		t.Fatalf("MakeMembers: %v", err)
	}
	if members[0].IP == "" || members[0].ID == "" {
		t.Skip("the provider does not resolve members by address")
	}
	req := request(t, ctx, svc, "ip")
	req.Members = []loadbalancer.Member{{IP: members[0].IP, Port: 8080}}
	lb := create(t, ctx, svc, req)
	got, err := svc.ListMembers(ctx, lb.ID)
	if err != nil {
		t.Fatalf("ListMembers: %v", err)
	}
	if ids := MemberIDs(got); !slices.Equal(ids, []string{members[0].ID}) {
		t.Fatalf("member given by IP %s registered as %v, want %s", members[0].IP, ids, members[0].ID)
	}
	if err := svc.DetachMember(ctx, lb.ID, loadbalancer.Member{IP: members[0].IP}); err != nil {
		t.Fatalf("DetachMember by IP: %v", err)
	}
	if got, err := svc.ListMembers(ctx, lb.ID); err != nil || len(got) != 0 {
		t.Errorf("members after detaching by IP = %v, %v", got, err)
	}
	// 203.0.113.0/24 is reserved for documentation: no backend has a member there.
	missing := request(t, ctx, svc, "ip")
	missing.Members = []loadbalancer.Member{{IP: "203.0.113.254"}}
	_, err = svc.CreateBalancer(ctx, missing)
	wantKind(t, err, loadbalancer.ErrNotFound)
	absent(t, ctx, svc, missing.Name)
}

// MemberIDs returns the IDs of ms, sorted: members compared whatever order a provider lists
// them in.
func MemberIDs(ms []loadbalancer.Member) []string {
	out := make([]string, 0, len(ms))
	for _, m := range ms {
		out = append(out, m.ID)
	}
	slices.Sort(out)
	return out
}
