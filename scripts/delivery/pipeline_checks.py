"""Checks of the two pipeline files, parsed as YAML. usage: pipeline_checks.py ROOT"""

import glob
import re
import sys

import yaml

root = sys.argv[1]
failed = 0


def check(desc, cond, detail=""):
    global failed
    print(("ok - " if cond else "not ok - ") + desc + ("" if cond or not detail else f"\n    {detail}"))
    failed += 0 if cond else 1


def lines(job, *keys):
    out = []
    for k in keys or ("before_script", "script", "after_script"):
        v = job.get(k) or []
        out += v if isinstance(v, list) else [v]
    return [str(x) for x in out]


# Shared: what no pipeline file may do.
files = [f"{root}/.gitlab-ci.yml"] + sorted(glob.glob(f"{root}/.github/workflows/*.y*ml"))
for f in files:
    text = open(f).read()
    name = f[len(root) + 1:]
    check(f"{name}: parses as YAML", isinstance(yaml.safe_load(text), dict))
    check(f"{name}: never disables SSH host key checking",
          not re.search(r"StrictHostKeyChecking\s*=?\s*(no|off|accept-new)|ssh-keyscan|UserKnownHostsFile=/dev/null", text, re.I))
    check(f"{name}: never appends variables to an env file with echo",
          not re.search(r"echo\s+[^|\n]*\$\{?\w+\}?[^|\n]*>>?\s*\S*\.env", text))

# GitLab
gl = yaml.safe_load(open(f"{root}/.gitlab-ci.yml"))
check("gitlab: stages test, build, deploy in that order", gl.get("stages") == ["test", "build", "deploy"], gl.get("stages"))
test = gl.get("test", {})
check("gitlab: test job in stage test on Node.js 24", test.get("stage") == "test"
      and re.search(r"node:24\.", str(test.get("image")).replace("$NODE_IMAGE", str(gl.get("variables", {}).get("NODE_IMAGE")))) is not None)
check("gitlab: test job has a PostgreSQL service",
      any("postgres" in (s if isinstance(s, str) else s.get("name", "")) for s in test.get("services", [])))
script = "\n".join(lines(test))
for cmd in ("npm ci", "npm run typecheck", "npm run lint", "npm test", "npm run test:pg"):
    check(f"gitlab: test job runs `{cmd}`", re.search(rf"(^|\n){re.escape(cmd)}\b", script) is not None)
check("gitlab: tests on PostgreSQL reach the service", "SNOWTORCH_TEST_PG_URL" in test.get("variables", {}))
build = gl.get("build", {})
check("gitlab: build job in stage build", build.get("stage") == "build")
check("gitlab: image is tagged with the commit SHA in the project registry",
      gl.get("variables", {}).get("IMAGE") == "$CI_REGISTRY_IMAGE:$CI_COMMIT_SHA")
bscript = "\n".join(lines(build))
def multi_arch(script, variables):
    """buildx builds and pushes one image for amd64 and arm64, with QEMU for the foreign one."""
    platforms = set(str(variables.get("PLATFORMS", "")).split(","))
    return ({"linux/amd64", "linux/arm64"} <= platforms and "buildx build" in script
            and '--platform "$PLATFORMS"' in script and "--push" in script and '-t "$IMAGE"' in script
            and re.search(r"binfmt:[\w.-]*\d", script) is not None and "--install arm64" in script)


check("gitlab: build pushes one image for amd64 and arm64 (buildx, QEMU)",
      multi_arch(bscript, build.get("variables", {})), bscript)
check("gitlab: registry login reads the password from stdin", "--password-stdin" in bscript)
deploy = gl.get("deploy", {})
check("gitlab: deploy job in stage deploy", deploy.get("stage") == "deploy")
rules = deploy.get("rules", [])
check("gitlab: deploy runs on the default branch only",
      len(rules) == 1 and rules[0].get("if", "").replace(" ", "") == "$CI_COMMIT_BRANCH==$CI_DEFAULT_BRANCH", rules)
env = deploy.get("environment", {})
check("gitlab: deploy uses the production environment", (env if isinstance(env, str) else env.get("name")) == "production")
check("gitlab: deploy has a resource group (never two at once)", bool(deploy.get("resource_group")))
dscript = "\n".join(lines(deploy))
check("gitlab: deploy runs deploy/deploy.sh with the SHA-tagged image",
      "deploy/deploy.sh" in dscript and deploy.get("variables", {}).get("SNOWTORCH_IMAGE") == "$IMAGE")
check("gitlab: deploy writes the env file with deploy/write-env.sh", "deploy/write-env.sh" in dscript)
check("gitlab: deploy uses an SSH key and a pinned known_hosts from CI variables",
      "SSH_KEY_FILE=" in dscript and "SSH_KNOWN_HOSTS_FILE=" in dscript)
check("gitlab: deploy needs the build", "build" in (deploy.get("needs") or []))

# GitHub
wf = yaml.safe_load(open(f"{root}/.github/workflows/ci.yml"))
check("github: default permissions are none", wf.get("permissions") == {})
jobs = wf.get("jobs", {})
for name, job in jobs.items():
    check(f"github: job {name} declares its own permissions", isinstance(job.get("permissions"), dict))
    for step in job.get("steps", []):
        if "run" in step:
            check(f"github: job {name}, step '{step.get('name', step['run'][:30])}' takes no ${{{{ }}}} expression in its script",
                  "${{" not in step["run"])
        if "uses" in step:
            check(f"github: job {name} uses only first-party actions ({step['uses']})", step["uses"].startswith("actions/"))
t = jobs.get("test", {})
check("github: test job may only read the repository", t.get("permissions") == {"contents": "read"})
check("github: tests run on the embedded PostgreSQL and on a PostgreSQL server",
      sorted(t.get("strategy", {}).get("matrix", {}).get("database", [])) == ["embedded", "postgres"])
check("github: test job has a PostgreSQL service", "postgres" in (t.get("services") or {}))
truns = "\n".join(s.get("run", "") for s in t.get("steps", []))
for cmd in ("npm ci", "npm run typecheck", "npm run lint", "npm test", "npm run test:pg"):
    check(f"github: test job runs `{cmd}`", cmd in truns)
b = jobs.get("build", {})
check("github: build may write packages, nothing else", b.get("permissions") == {"contents": "read", "packages": "write"})
bruns = "\n".join(s.get("run", "") for s in b.get("steps", []))
benv = {}
for step in b.get("steps", []):
    benv.update(step.get("env") or {})
check("github: image goes to ghcr.io tagged with the commit SHA",
      "ghcr.io/" in bruns and "${GITHUB_SHA}" in bruns)
check("github: build pushes one image for amd64 and arm64 (buildx, QEMU)", multi_arch(bruns, benv), bruns)
check("github: build needs the tests", b.get("needs") in ("test", ["test"]))
d = jobs.get("deploy", {})
check("github: deploy may only read (repository, packages)", d.get("permissions") == {"contents": "read", "packages": "read"})
denv = d.get("environment", {})
check("github: deploy uses the production environment", (denv if isinstance(denv, str) else denv.get("name")) == "production")
conc = d.get("concurrency", {})
check("github: deploy has a concurrency group that queues, never cancels",
      bool(conc.get("group")) and conc.get("cancel-in-progress") is False)
check("github: deploy runs for pushes to the default branch only",
      "github.event.repository.default_branch" in str(d.get("if")) and "push" in str(d.get("if")))
druns = "\n".join(s.get("run", "") for s in d.get("steps", []))
check("github: deploy uses write-env.sh and deploy.sh with a pinned known_hosts",
      "deploy/write-env.sh" in druns and "deploy/deploy.sh" in druns and "SSH_KNOWN_HOSTS_FILE=" in druns)
rb = yaml.safe_load(open(f"{root}/.github/workflows/rollback.yml"))
check("github: a manual rollback workflow shares the deploy's concurrency group",
      "workflow_dispatch" in (rb.get(True) or rb.get("on") or {})
      and rb["jobs"]["rollback"].get("concurrency", {}).get("group") == conc.get("group"))

# deploy.sh itself
ds = open(f"{root}/deploy/deploy.sh").read()
check("deploy.sh: SSH in batch mode with strict host key checking",
      "StrictHostKeyChecking=yes" in ds and "BatchMode=yes" in ds)
sys.exit(1 if failed else 0)
