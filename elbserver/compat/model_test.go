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

var modelOps struct {
	once sync.Once
	ops  map[string]string // operation name -> CLI command
	err  error
}

// modelOperations returns the model's operations mapped to their CLI command names.
func modelOperations(t *testing.T) map[string]string {
	t.Helper()
	py := testenv.RequirePython(t, "botocore")
	modelOps.once.Do(func() {
		out, err := exec.Command(py, "-c", modelOpsScript).Output()
		if err != nil {
			modelOps.err = err
			return
		}
		modelOps.err = json.Unmarshal(out, &modelOps.ops)
	})
	if modelOps.err != nil {
		t.Fatalf("reading the ELB model: %v", modelOps.err)
	}
	if len(modelOps.ops) != 29 {
		t.Fatalf("the ELB 2012-06-01 model has %d operations, want 29", len(modelOps.ops))
	}
	return modelOps.ops
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
