"""Structural checks of the Dockerfile and .dockerignore. usage: dockerfile_checks.py ROOT"""

import json
import re
import sys

root = sys.argv[1]
text = open(f"{root}/Dockerfile").read()
# Join continuation lines, drop comments.
lines = []
buf = ""
for raw in text.splitlines():
    if not buf and raw.lstrip().startswith("#"):
        continue
    if raw.rstrip().endswith("\\"):
        buf += raw.rstrip()[:-1] + " "
        continue
    buf += raw
    if buf.strip():
        lines.append(buf.strip())
    buf = ""
instructions = [(l.split(None, 1)[0].upper(), l.split(None, 1)[1] if " " in l else "") for l in lines]
failed = 0


def check(desc, cond, detail=""):
    global failed
    print(("ok - " if cond else "not ok - ") + desc + ("" if cond or not detail else f"\n    {detail}"))
    failed += 0 if cond else 1


froms = [(i, a) for i, (ins, a) in enumerate(instructions) if ins == "FROM"]
args_before = {m.group(1): m.group(2) for ins, a in instructions[: froms[0][0]] if ins == "ARG"
               for m in [re.match(r"(\w+)=(\S+)", a)] if m}
base = froms[0][1].split()[0]
base = re.sub(r"\$\{(\w+)\}", lambda m: args_before.get(m.group(1), m.group(0)), base)
check(f"base image is Node.js 24 on bookworm-slim pinned to an exact release ({base})",
      re.fullmatch(r"node:24\.\d+\.\d+-bookworm-slim(@sha256:[0-9a-f]{64})?", base) is not None)
check("multi-stage build (separate dependency, build and runtime stages)", len(froms) >= 3)
last = froms[-1][0]
final = instructions[last:]


def stage(name):
    start = next(i for i, a in froms if re.search(rf"\bAS\s+{name}\b", a, re.I))
    end = next((i for i, _ in froms if i > start), len(instructions))
    return instructions[start:end]


deps = stage("deps")
check("dependency stage runs npm ci --omit=dev", any(ins == "RUN" and "npm ci" in a and "--omit=dev" in a for ins, a in deps))
check("runtime stage copies node_modules from the production-only stage",
      any(ins == "COPY" and "--from=deps" in a and "node_modules" in a for ins, a in final))
check("runtime stage has the built CLI (dist/cli) and bin/, not the sources",
      all(any(ins == "COPY" and re.search(rf"\b{d}\b", a) for ins, a in final) for d in ("dist/cli", "bin"))
      and not any(ins in ("COPY", "ADD") and re.search(r"\bsrc\b", a) for ins, a in final))
check("runtime stage copies no dev tooling, tests or docs",
      not any(ins in ("COPY", "ADD") and re.search(r"\b(test|bench|docs)\b|^\.\s", a) for ins, a in final))
users = [a for ins, a in final if ins == "USER"]
check("runtime runs as a non-root user", bool(users) and users[-1] not in ("root", "0"), users)
ep = next((a for ins, a in final[::-1] if ins == "ENTRYPOINT"), None) or next((a for ins, a in instructions[::-1] if ins == "ENTRYPOINT"), "")
cmd = next((a for ins, a in instructions[::-1] if ins == "CMD"), "")
try:
    ep_list, cmd_list = json.loads(ep), json.loads(cmd)
except ValueError:
    ep_list, cmd_list = None, None
check("ENTRYPOINT is exec form with tini as PID 1", isinstance(ep_list, list) and "tini" in ep_list[0] and ep_list[-1] == "--", ep)
check("CMD is exec form starting node directly (not npm), serving", isinstance(cmd_list, list) and cmd_list[0] == "node"
      and cmd_list[-1] == "serve", cmd)
check("tini comes from Debian's packages in the image", any(ins == "RUN" and "apt-get install" in a and "tini" in a for ins, a in instructions))
hc = next((a for ins, a in instructions if ins == "HEALTHCHECK"), "")
check("HEALTHCHECK is exec form with node's fetch against /readyz or /healthz",
      "CMD [\"node\"" in hc and "fetch(" in hc and re.search(r"/(readyz|healthz)", hc) is not None, hc)
check("HEALTHCHECK needs no curl or wget", not re.search(r"\b(curl|wget)\b", hc))
check("HEALTHCHECK sets interval, timeout, start period and retries",
      all(f"--{o}=" in hc for o in ("interval", "timeout", "start-period", "retries")))
ca_args = [(i, a) for i, (ins, a) in enumerate(instructions) if ins == "ARG" and a.startswith("NODE_EXTRA_CA_CERTS")]
check("optional build arg NODE_EXTRA_CA_CERTS, empty by default", bool(ca_args) and all(a in ('NODE_EXTRA_CA_CERTS=""', "NODE_EXTRA_CA_CERTS=") for _, a in ca_args))
check("the extra CA never reaches the runtime stage", not any(i >= last for i, _ in ca_args)
      and not any("NODE_EXTRA_CA_CERTS" in a for ins, a in final))
check("no secrets baked in (no ENV/ARG holding PASSWORD/SECRET/TOKEN)",
      not any(ins in ("ENV", "ARG") and re.search(r"PASSWORD|SECRET|TOKEN", a) for ins, a in instructions))
env = " ".join(a for ins, a in final if ins == "ENV")
check("runtime binds 0.0.0.0 with the explicit remote opt-in", "SNOWTORCH_HOST=0.0.0.0" in env and "SNOWTORCH_ALLOW_REMOTE=true" in env)

ignore = [l.strip() for l in open(f"{root}/.dockerignore") if l.strip() and not l.startswith("#")]
check(".dockerignore is an allow-list (starts by excluding everything)", ignore[:1] == ["*"])
allowed = {l[1:].rstrip("/") for l in ignore if l.startswith("!")}
check(".dockerignore lets in only package files, bin/, src/, web/ and the CLI's build script",
      allowed <= {"package.json", "package-lock.json", "bin", "src", "web", "scripts/build-cli.ts"}
      and {"bin", "src", "package.json", "package-lock.json", "scripts/build-cli.ts"} <= allowed, allowed)
sys.exit(1 if failed else 0)
