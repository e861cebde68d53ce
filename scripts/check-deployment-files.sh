#!/usr/bin/env bash
# Checks the deployment files of packages without a Docker engine or a cluster:
#   - docker-compose.yml and k8s/*.yaml parse as YAML and have the expected structure;
#   - k8s/*.yaml validate against the Kubernetes API schemas with `kubernetes-validate --strict`
#     (pip install kubernetes-validate; skipped with a notice when it is not installed);
#   - the Dockerfile is multi-stage, builds with --static-swift-stdlib, runs as a numeric non-root user,
#     has a HEALTHCHECK, EXPOSEs a port and copies flow.yaml.
# Usage: scripts/check-deployment-files.sh [PACKAGE_DIR...]   (default: Examples/OrderFulfillment)
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$#" -gt 0 ] || set -- Examples/OrderFulfillment

status=0
for dir in "$@"; do
  echo "== $dir"
  python3 - "$dir" <<'PY' || status=1
import re, sys, yaml, pathlib

root = pathlib.Path(sys.argv[1])
problems = []

def need(condition, message):
    if not condition:
        problems.append(message)

def load_all(path):
    try:
        return [d for d in yaml.safe_load_all(path.read_text()) if d is not None]
    except (OSError, yaml.YAMLError) as error:
        problems.append(f"{path}: {error}")
        return []

compose = load_all(root / "docker-compose.yml")
if compose:
    services = compose[0].get("services", {})
    server = services.get("server", {})
    db = services.get("db", {})
    need("build" in server, "docker-compose.yml: services.server has no build")
    need("healthcheck" in server, "docker-compose.yml: services.server has no healthcheck")
    need(str(db.get("image", "")).startswith("postgres:16"), "docker-compose.yml: services.db is not postgres:16")
    need("healthcheck" in db, "docker-compose.yml: services.db has no healthcheck")
    need(any(":/var/lib/postgresql/data" in v for v in db.get("volumes", [])), "docker-compose.yml: the database has no volume")
    need(db.get("depends_on") is None and "db" in server.get("depends_on", {}), "docker-compose.yml: server does not wait for db")

manifests = [d for f in sorted((root / "k8s").glob("*.yaml")) for d in load_all(f)]
kinds = {d.get("kind") for d in manifests}
need({"Deployment", "Service"} <= kinds, f"k8s: expected a Deployment and a Service, found {sorted(k for k in kinds if k)}")
for d in manifests:
    if d.get("kind") != "Deployment":
        continue
    pod = d["spec"]["template"]["spec"]
    need(pod.get("securityContext", {}).get("runAsNonRoot") is True, "k8s: pod securityContext.runAsNonRoot is not true")
    for c in pod["containers"]:
        need(c.get("livenessProbe", {}).get("httpGet", {}).get("path") == "/health", f"k8s: {c['name']} liveness is not /health")
        need(c.get("readinessProbe", {}).get("httpGet", {}).get("path") == "/ready", f"k8s: {c['name']} readiness is not /ready")
        need({"requests", "limits"} <= set(c.get("resources", {})), f"k8s: {c['name']} lacks resource requests and limits")
        need(any("secretKeyRef" in e.get("valueFrom", {}) for e in c.get("env", [])), f"k8s: {c['name']} takes no secret")

try:
    dockerfile = (root / "Dockerfile").read_text()
except OSError as error:
    problems.append(f"Dockerfile: {error}")
    dockerfile = ""
if dockerfile:
    lines = [l.strip() for l in dockerfile.splitlines() if l.strip() and not l.strip().startswith("#")]
    froms = [l for l in lines if l.upper().startswith("FROM ")]
    need(len(froms) >= 2 and " AS " in froms[0].upper(), "Dockerfile: not a multi-stage build")
    need("--static-swift-stdlib" in dockerfile, "Dockerfile: no --static-swift-stdlib")
    users = [l.split()[1] for l in lines if l.upper().startswith("USER ")]
    need(bool(users) and re.fullmatch(r"[1-9][0-9]*(:[1-9][0-9]*)?", users[-1]) is not None,
         "Dockerfile: the last USER is not a numeric non-root user")
    need(any(l.upper().startswith("HEALTHCHECK ") for l in lines), "Dockerfile: no HEALTHCHECK")
    need(any(l.upper().startswith("EXPOSE ") for l in lines), "Dockerfile: no EXPOSE")
    need(any(l.upper().startswith("COPY") and "flow.yaml" in l for l in lines), "Dockerfile: flow.yaml is not copied")

for p in problems:
    print(f"  ✗ {p}")
if problems:
    sys.exit(1)
print(f"  ✓ docker-compose.yml, k8s ({len(manifests)} objects) and Dockerfile look right")
PY
  if command -v kubernetes-validate >/dev/null 2>&1; then
    kubernetes-validate --strict --quiet "$dir"/k8s/*.yaml && echo "  ✓ k8s validates against the Kubernetes schemas (kubernetes-validate --strict)" || status=1
  else
    echo "  ! kubernetes-validate not installed (pip install kubernetes-validate): schema validation skipped"
  fi
done
exit $status
