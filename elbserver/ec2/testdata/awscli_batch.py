"""Runs AWS CLI command lines through the CLI's own driver (what the `aws` command runs), all in
one process, so that a test pays the CLI's start-up once rather than per command.

Usage: awscli_batch.py STEPS.json ENDPOINT_URL

STEPS.json is a list of {"name": ..., "args": [...]}. An argument that is exactly "{NAME}" stands
for the words the step NAME printed (a list of ids printed with --output text); "{NAME}" inside a
longer argument for that step's output, stripped; "{NAME.KEY}" for the field KEY of the JSON it
printed. Prints, as JSON, each step's name, exit code, output and error output.

One driver serves every step, as one shell's `aws` commands share nothing but their session:
each command line is parsed afresh, and the loaded models are kept.
"""
import contextlib
import io
import json
import re
import sys

from awscli.clidriver import create_clidriver


def value(ref):
    name, _, key = ref.partition(".")
    return json.loads(printed[name])[key] if key else printed[name].strip()


steps = json.load(open(sys.argv[1]))
endpoint = sys.argv[2]
driver = create_clidriver()
printed, results = {}, []
for step in steps:
    args = []
    for a in step["args"]:
        whole = re.fullmatch(r"\{(\w+)\}", a)
        if whole:
            args.extend(printed[whole.group(1)].split())
        else:
            args.append(re.sub(r"\{([\w.]+)\}", lambda m: value(m.group(1)), a))
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = driver.main(["--endpoint-url", endpoint, "--output", "json"] + args)
    printed[step["name"]] = out.getvalue()
    results.append({"name": step["name"], "rc": rc, "stdout": out.getvalue(), "stderr": err.getvalue()})
print(json.dumps(results))
