package query

import (
	"strconv"
	"strings"
)

// Member is the name of the i-th member of list name: NAME.member.i.
func Member(name string, i int) string {
	return name + ".member." + strconv.Itoa(i)
}

// Members counts the NAME.member.N entries. present reports whether the list was sent at all:
// the SDKs serialise an empty list as a bare "NAME=". Indices must be canonical decimal numbers
// forming exactly 1..n.
func (p Params) Members(name string) (n int, present bool, err error) {
	return p.Indexed(name, name+".member.")
}

// Indexed counts the entries PREFIX.N[.x]; EC2 lists use "Name.N" directly, maps
// "Name.entry.N".
func (p Params) Indexed(name, prefix string) (n int, present bool, err error) {
	seen := map[int]bool{}
	for k := range p {
		if !strings.HasPrefix(k, prefix) {
			continue
		}
		rest := k[len(prefix):]
		if i := strings.IndexByte(rest, '.'); i >= 0 {
			rest = rest[:i]
		}
		idx, ok := listIndex(rest)
		if !ok {
			return 0, true, Validation("Malformed list index in parameter %s", k)
		}
		seen[idx] = true
		n = max(n, idx)
	}
	if n != len(seen) {
		return 0, true, Validation("List %s has non-contiguous member indices", name)
	}
	if n == 0 {
		_, present = p[name]
		return 0, present, nil
	}
	return n, true, nil
}

func listIndex(s string) (int, bool) {
	if s == "" || len(s) > 5 || s[0] == '0' {
		return 0, false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	n, _ := strconv.Atoi(s)
	return n, n >= 1 && n <= maxListIndex
}

// StrList reads a list of scalar strings NAME.member.N.
func (p Params) StrList(name string) ([]string, bool, error) {
	n, present, err := p.Members(name)
	if err != nil || !present {
		return nil, present, err
	}
	out := make([]string, 0, n)
	for i := 1; i <= n; i++ {
		v, ok := p[Member(name, i)]
		if !ok {
			return nil, true, Validation("Malformed list member %s", Member(name, i))
		}
		out = append(out, v)
	}
	return out, true, nil
}

// StrListReq is StrList for a list the model marks as required.
func (p Params) StrListReq(name string) ([]string, error) {
	l, present, err := p.StrList(name)
	if err != nil {
		return nil, err
	}
	if !present {
		return nil, Missing(name)
	}
	return l, nil
}

// IntList reads a required list of integers constrained to [lo, hi].
func (p Params) IntList(name string, lo, hi int) ([]int, error) {
	raw, err := p.StrListReq(name)
	if err != nil {
		return nil, err
	}
	out := make([]int, 0, len(raw))
	for i, v := range raw {
		n, err := strconv.Atoi(v)
		if err != nil || n < lo || n > hi {
			return nil, Validation("Value '%s' at '%s' must be an integer between %d and %d", v, Member(name, i+1), lo, hi)
		}
		out = append(out, n)
	}
	return out, nil
}

// EC2List reads an EC2-style list NAME.N.
func (p Params) EC2List(name string) ([]string, error) {
	n, _, err := p.Indexed(name, name+".")
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, n)
	for i := 1; i <= n; i++ {
		out = append(out, p[name+"."+strconv.Itoa(i)])
	}
	return out, nil
}

// Structs calls fn with the prefix "NAME.member.i." of each member of a list of structures,
// in order; fn reads the member's fields as p[prefix+"Field"]. It returns how many members
// there were and whether the list was sent at all.
func (p Params) Structs(name string, fn func(prefix string) error) (n int, present bool, err error) {
	n, present, err = p.Members(name)
	if err != nil {
		return 0, present, err
	}
	for i := 1; i <= n; i++ {
		if err := fn(Member(name, i) + "."); err != nil {
			return 0, true, err
		}
	}
	return n, present, nil
}

// Map reads NAME.entry.N.key / NAME.entry.N.value pairs; a key given twice is refused.
func (p Params) Map(name string) (map[string]string, bool, error) {
	n, present, err := p.Indexed(name, name+".entry.")
	if err != nil || !present {
		return nil, present, err
	}
	out := make(map[string]string, n)
	for i := 1; i <= n; i++ {
		pre := name + ".entry." + strconv.Itoa(i) + "."
		k, ok := p[pre+"key"]
		if !ok {
			return nil, true, Missing(pre + "key")
		}
		if _, dup := out[k]; dup {
			return nil, true, Validation("Key '%s' appears more than once in %s", k, name)
		}
		out[k] = p[pre+"value"]
	}
	return out, true, nil
}

// NonEmpty rejects lists that are present but contain nothing usable.
func NonEmpty(name string, l []string) error {
	if len(l) == 0 {
		return Validation("%s must contain at least one member", name)
	}
	for _, v := range l {
		if v == "" {
			return Validation("%s must not contain empty values", name)
		}
	}
	return nil
}
