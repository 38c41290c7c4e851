"""Assertions on `docker-compose config` output (resolved) and on the raw compose files.

usage: compose_checks.py VARIANT RESOLVED.yaml RAW.yaml [RAW.yaml...]
Prints "ok - ..." / "not ok - ..." lines; exits 1 when any check failed.
"""

import re
import sys

import yaml

variant, resolved_path, *raw_paths = sys.argv[1:]
cfg = yaml.safe_load(open(resolved_path))
services = cfg["services"]
failed = 0


def check(desc, cond, detail=""):
    global failed
    if cond:
        print(f"ok - {variant}: {desc}")
    else:
        failed += 1
        print(f"not ok - {variant}: {desc}" + (f"\n    {detail}" if detail else ""))


def deps(name):
    d = services[name].get("depends_on") or {}
    return d if isinstance(d, dict) else {k: {"condition": "service_started"} for k in d}


def env(name):
    e = services[name].get("environment") or {}
    if isinstance(e, list):
        e = dict(item.split("=", 1) for item in e)
    return e


def published(name):
    out = []
    for p in services[name].get("ports") or []:
        if isinstance(p, dict):
            out.append((p.get("host_ip", ""), str(p.get("published")), str(p.get("target"))))
        else:
            parts = str(p).split(":")
            out.append((parts[0] if len(parts) == 3 else "", parts[-2], parts[-1]))
    return out


# Every variant: the single-machine essentials.
for required in ("db", "app", "nginx", "certbot"):
    check(f"service {required} is defined", required in services)
check("db publishes no port", not services["db"].get("ports"))
for name, svc in services.items():
    check(f"{name}: restart policy unless-stopped", svc.get("restart") == "unless-stopped")
    log = svc.get("logging") or {}
    opts = log.get("options") or {}
    check(f"{name}: log rotation (json-file, max-size, max-file)",
          log.get("driver") == "json-file" and "max-size" in opts and "max-file" in opts)
    image = str(svc.get("image", ""))
    tag = image.rsplit(":", 1)[1] if ":" in image.rsplit("/", 1)[-1] else ""
    check(f"{name}: image pinned to a version tag ({image})",
          bool(tag) and tag not in ("latest", "stable", "mainline") and re.search(r"\d", tag))
    if name != "certbot":
        check(f"{name}: has a health check", bool((svc.get("healthcheck") or {}).get("test")))
check("app waits for a healthy db", deps("app").get("db", {}).get("condition") == "service_healthy")
check("nginx waits for a healthy app", deps("nginx").get("app", {}).get("condition") == "service_healthy")
check("certbot waits for a healthy nginx", deps("certbot").get("nginx", {}).get("condition") == "service_healthy")
check("PostgreSQL is major 18", re.match(r"postgres:18(\.|-|$)", services["db"]["image"]) is not None,
      services["db"]["image"])
check("nginx publishes 80 and 443",
      {(p[1], p[2]) for p in published("nginx")} >= {("80", "80"), ("443", "443")}, published("nginx"))
for name in services:
    if name != "nginx":
        for host_ip, pub, _ in published(name):
            check(f"{name}: port {pub} is published on 127.0.0.1 only", host_ip == "127.0.0.1")
vols = cfg.get("volumes") or {}
check("named volumes pgdata, letsencrypt, acme-webroot", {"pgdata", "letsencrypt", "acme-webroot"} <= set(vols))
check("PostgreSQL data on the named volume pgdata",
      any(str(v).startswith("pgdata:") or (isinstance(v, dict) and v.get("source") == "pgdata")
          for v in services["db"].get("volumes") or []))
app_env = env("app")
check("app listens on 0.0.0.0 with the explicit remote opt-in",
      app_env.get("SNOWTORCH_HOST") == "0.0.0.0" and str(app_env.get("SNOWTORCH_ALLOW_REMOTE")) == "true")
check("app runs without root capabilities, read-only", services["app"].get("cap_drop") == ["ALL"]
      and services["app"].get("read_only") is True)
check("app gets SNOWTORCH_SECRET_KEY from .env", app_env.get("SNOWTORCH_SECRET_KEY") == "0" * 64)

# Behind nginx: the app believes nginx's forwarding headers and nobody else's, and knows its
# public https address (cookies Secure, invite links and the OAuth redirect on https).
nginx_nets = services["nginx"].get("networks") or {}
nginx_ip = (nginx_nets.get("default") or {}).get("ipv4_address") if isinstance(nginx_nets, dict) else None
subnets = [c.get("subnet") for c in (((cfg.get("networks") or {}).get("default") or {}).get("ipam") or {}).get("config") or []]
check("nginx has a fixed address on a fixed subnet", bool(nginx_ip) and bool(subnets), (nginx_ip, subnets))
if nginx_ip and subnets:
    import ipaddress
    check("nginx's address lies in the network's subnet",
          ipaddress.ip_address(nginx_ip) in ipaddress.ip_network(subnets[0]), (nginx_ip, subnets))
check("app trusts exactly nginx's address as its proxy (SNOWTORCH_TRUST_PROXY)",
      app_env.get("SNOWTORCH_TRUST_PROXY") == nginx_ip, app_env.get("SNOWTORCH_TRUST_PROXY"))
if "demo" in variant:
    check("public URL and OAuth redirect are the app on localhost:3000",
          app_env.get("SNOWTORCH_PUBLIC_URL") == "http://localhost:3000"
          and app_env.get("OURA_REDIRECT_URI") == "http://localhost:3000/oauth/callback",
          (app_env.get("SNOWTORCH_PUBLIC_URL"), app_env.get("OURA_REDIRECT_URI")))
else:
    check("app's public URL and OAuth redirect are https on SNOWTORCH_DOMAIN from .env",
          app_env.get("SNOWTORCH_PUBLIC_URL") == "https://snowtorch.invalid"
          and app_env.get("OURA_REDIRECT_URI") == "https://snowtorch.invalid/oauth/callback",
          (app_env.get("SNOWTORCH_PUBLIC_URL"), app_env.get("OURA_REDIRECT_URI")))
if "demo" in variant:
    for name in ("app", "simulator"):
        build = services[name].get("build") or {}
        check(f"{name} can be built from this clone's Dockerfile (--build)",
              bool(build.get("context")) and build.get("dockerfile", "Dockerfile") == "Dockerfile", build)
else:
    check("no service is built: a deploy runs the pushed image or fails",
          not any(svc.get("build") for svc in services.values()))

if variant.startswith("managed"):
    check("managed: app uses sslmode=require with the provider's CA",
          app_env.get("SQL_SSLMODE") == "require" and app_env.get("SQL_CA_FILE") == "/run/secrets/db-ca.crt")
    check("managed: app connects to the managed host from .env", app_env.get("SQL_HOST") == "db.managed.invalid")
    check("managed: the CA certificate is mounted read-only into the app",
          any("/run/secrets/db-ca.crt:ro" in str(v) or (isinstance(v, dict) and v.get("target") == "/run/secrets/db-ca.crt" and v.get("read_only"))
              for v in services["app"].get("volumes") or []))
    check("managed: no local PostgreSQL server runs (db only gates on the cluster)",
          services["db"].get("entrypoint") and "postgres" not in " ".join(services["db"]["entrypoint"]))
else:
    check("bundled: app talks to the db service without TLS on the private network",
          app_env.get("SQL_HOST") == "db" and app_env.get("SQL_SSLMODE") == "disable")
    check("bundled: db and app share POSTGRES_PASSWORD from .env",
          env("db").get("POSTGRES_PASSWORD") == app_env.get("SQL_PASSWORD") == "test-pg-password")

if "demo" in variant:
    check("demo: the simulator runs", "simulator" in services)
    check("demo: app points at the simulator", app_env.get("OURA_API_BASE_URL") == "http://simulator:9400"
          and app_env.get("OURA_CLIENT_ID") == "snowtorch-dev")
    check("demo: app waits for a healthy simulator",
          deps("app").get("simulator", {}).get("condition") == "service_healthy")
    check("demo: simulator runs with --auto-approve", "--auto-approve" in (services["simulator"].get("command") or []))
check("the simulator belongs to the demo profile only (not started by a plain `up`)",
      "simulator" in services and services["simulator"].get("profiles") == ["demo"])

# Raw files: no secret written inline; each secret-looking value is an interpolation from .env.
SECRETISH = re.compile(r"(PASSWORD|SECRET|_KEY|TOKEN)$")
ALLOWED_LITERALS = {"snowtorch-dev-secret"}  # the simulator's published development credential
for path in raw_paths:
    raw = yaml.safe_load(open(path))
    for name, svc in (raw.get("services") or {}).items():
        e = svc.get("environment") or {}
        if isinstance(e, list):
            e = dict(item.split("=", 1) if "=" in item else (item, None) for item in e)
        for key, value in e.items():
            if SECRETISH.search(key):
                ok = value is None or str(value) in ALLOWED_LITERALS or re.fullmatch(r"\$\{[A-Z0-9_]+(:?[-?][^}]*)?\}", str(value))
                check(f"{path.rsplit('/', 1)[-1]}: {name}.{key} comes from .env, not inline", bool(ok), value)
        for key in ("env_file",):
            check(f"{path.rsplit('/', 1)[-1]}: {name} has no env_file that could pull in every secret", key not in svc)

sys.exit(1 if failed else 0)
