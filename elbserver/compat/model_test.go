package compat

import (
	"encoding/json"
	"os/exec"
	"sort"
	"sync"
	"testing"

	"github.com/lbcloud/lbcloud/internal/testenv"
)

// modelOpsScript prints the operations of the official ELB 2012-06-01 model
// with the command names the AWS CLI derives from them.
const modelOpsScript = `
import json, botocore.session
from botocore import xform_name
m = botocore.session.get_session().get_service_model("elb", api_version="2012-06-01")
print(json.dumps({op: xform_name(op, "-") for op in m.operation_names}))
`

// classicModel is the ELB model's operations mapped to their CLI command names.
var classicModel = &botocoreModel[string]{api: "ELB", version: "2012-06-01", operations: 29, script: modelOpsScript}

// botocoreModel is what a script printed of an official model: its operations, each
// described as T. The script runs once per test binary.
type botocoreModel[T any] struct {
	api, version string
	operations   int // how many the model has
	script       string
	once         sync.Once
	ops          map[string]T
	err          error
}

// read returns the model's operations, failing t when the script fails or the number of
// operations is not m.operations.
func (m *botocoreModel[T]) read(t *testing.T) map[string]T {
	t.Helper()
	py := testenv.RequirePython(t, "botocore")
	m.once.Do(func() {
		out, err := exec.Command(py, "-c", m.script).Output()
		if err != nil {
			m.err = err
			return
		}
		m.err = json.Unmarshal(out, &m.ops)
	})
	if m.err != nil {
		t.Fatalf("reading the %s model: %v", m.api, m.err)
	}
	if len(m.ops) != m.operations {
		t.Fatalf("the %s %s model has %d operations, want %d", m.api, m.version, len(m.ops), m.operations)
	}
	return m.ops
}

// coverage records which operations a tool has exercised.
type coverage struct {
	mu   sync.Mutex
	seen map[string]bool
}

func (c *coverage) add(name string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.seen == nil {
		c.seen = map[string]bool{}
	}
	c.seen[name] = true
}

// missing lists the operations of ops (by their names under key) that were
// not recorded.
func (c *coverage) missing(ops map[string]string, key func(op, cli string) string) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for op, cli := range ops {
		if !c.seen[key(op, cli)] {
			out = append(out, op)
		}
	}
	sort.Strings(out)
	return out
}
