package ec2

import (
	"regexp"

	"github.com/lbcloud/lbcloud/elbserver/query"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

// listing is how a Describe action lists one rendered resource type T: the parameter naming
// resources (NAME.N, ids matching idRE, else the malformed code), its filters, each item's
// id and tags, and the page order (by id unless key says otherwise).
type listing[T any] struct {
	idParam, malformed string
	idRE               *regexp.Regexp
	fields             fields[T]
	id, key            func(T) string
	tags               func(T) []xmlTag
}

// describeRequest is what a Describe request asks for.
type describeRequest struct {
	want    []string
	filters []filter
	page    page
}

// read reads the ids, filters, MaxResults and NextToken of a Describe request.
func (l listing[T]) read(p query.Params) (q describeRequest, err error) {
	if q.want, err = ids(p, l.idParam, l.idRE, l.malformed); err != nil {
		return q, err
	}
	if q.filters, err = readFilters(p, l.fields); err != nil {
		return q, err
	}
	q.page, err = readPage(p)
	return q, err
}

// answer returns the page of all (sorted in page order) that q selects, and the token of the
// next page: the resources named (each must exist) that pass the filters.
func (l listing[T]) answer(all []T, q describeRequest) ([]T, string, error) {
	wanted := make(map[string]bool, len(q.want))
	for _, w := range q.want {
		wanted[w] = false
	}
	found := all[:0:0]
	for _, x := range all {
		if len(q.want) > 0 {
			if _, named := wanted[l.id(x)]; !named {
				continue
			}
			wanted[l.id(x)] = true
		}
		if matches(q.filters, l.fields, x, l.tags(x)) {
			found = append(found, x)
		}
	}
	for _, w := range q.want {
		if !wanted[w] {
			return nil, "", notFound(w)
		}
	}
	key := l.key
	if key == nil {
		key = l.id
	}
	items, next := cut(found, key, q.page)
	return items, next, nil
}

// describe answers a Describe request for l: load renders, in one read transaction, every
// resource the request may select (it may add to q.want, or refuse q).
func describe[T any](r *Room, c *query.Call, l listing[T], load func(p *store.Part, q *describeRequest) ([]T, error)) ([]T, string, error) {
	q, err := l.read(c.Params)
	if err != nil {
		return nil, "", err
	}
	var all []T
	err = r.env.Store.View(c.Account, c.Region, func(p *store.Part) error {
		all, err = load(p, &q)
		return err
	})
	if err != nil {
		return nil, "", err
	}
	return l.answer(all, q)
}

// rendered renders rows, each with the tags of its resource.
func rendered[R, T any](p *store.Part, rows []R, id func(R) string, render func(R, []store.Tag) T) ([]T, error) {
	out := make([]T, 0, len(rows))
	for _, row := range rows {
		tags, err := tagsOf(p, id(row))
		if err != nil {
			return nil, err
		}
		out = append(out, render(row, tags))
	}
	return out, nil
}

// oneID reads the required parameter name, an id matching re, else the malformed code.
func oneID(p query.Params, name string, re *regexp.Regexp, malformed string) (string, error) {
	id, err := required(p, name, 64)
	if err == nil && !re.MatchString(id) {
		return "", fail(malformed, "Invalid id: \"%s\"", id)
	}
	return id, err
}

// deleteUnused deletes the stored resource id of b, with its tags, unless something uses it
// (DependencyViolation saying inUse).
func deleteUnused[T any](r *Room, p *store.Part, b store.Bucket[T], id, inUse string) error {
	if !b.Has(p, id) {
		return notFound(id)
	}
	if err := r.checkUnused(p, id, inUse); err != nil {
		return err
	}
	return forget(p, b, id)
}
