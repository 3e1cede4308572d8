package ec2

// described is what a Describe action returns of rendered resources: those named (each
// must exist) that pass the filters, in their order.
func described[T any](all []T, id func(T) string, tags func(T) []xmlTag, want []string, fs []filter, known fields[T]) ([]T, error) {
	wanted := make(map[string]bool, len(want))
	for _, w := range want {
		wanted[w] = false
	}
	out := all[:0:0]
	for _, x := range all {
		if len(want) > 0 {
			if _, named := wanted[id(x)]; !named {
				continue
			}
			wanted[id(x)] = true
		}
		if matches(fs, known, x, tags(x)) {
			out = append(out, x)
		}
	}
	for _, w := range want {
		if !wanted[w] {
			return nil, notFound(w)
		}
	}
	return out, nil
}
