package main

import (
	"fmt"
	"strconv"
	"strings"
)

// Results maps a benchmark's name, without the -GOMAXPROCS suffix, to its metrics by unit
// ("ns/op", "req/s", ...).
type Results map[string]map[string]float64

// Parse reads the benchmark lines of `go test -bench` output and ignores everything else.
func Parse(out string) Results {
	res := Results{}
	for line := range strings.Lines(out) {
		f := strings.Fields(line)
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") || len(f)%2 != 0 {
			continue
		}
		if _, err := strconv.Atoi(f[1]); err != nil {
			continue
		}
		m := map[string]float64{}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				m = nil
				break
			}
			m[f[i+1]] = v
		}
		if m != nil {
			res[trimProcs(f[0])] = m
		}
	}
	return res
}

// trimProcs drops the "-2" GOMAXPROCS suffix go test appends to a benchmark's name.
func trimProcs(name string) string {
	i := strings.LastIndexByte(name, '-')
	if i < 0 {
		return name
	}
	if _, err := strconv.Atoi(name[i+1:]); err != nil {
		return name
	}
	return name[:i]
}

// get returns one metric, or an error naming what is missing (a benchmark that failed or
// was not run).
func (r Results) get(name, unit string) (float64, error) {
	m, ok := r[name]
	if !ok {
		return 0, fmt.Errorf("no result for %s", name)
	}
	v, ok := m[unit]
	if !ok {
		return 0, fmt.Errorf("%s reported no %s", name, unit)
	}
	return v, nil
}

// getter collects the first error of a series of lookups, so a renderer reads figures in a
// row and checks once.
type getter struct {
	r   Results
	err error
}

func (g *getter) get(name, unit string) float64 {
	v, err := g.r.get(name, unit)
	if err != nil && g.err == nil {
		g.err = err
	}
	return v
}
