"""Keeps docker-compose.dev.yml, the Dockerfile and the README in step (run by scripts/test after
`docker-compose config` has validated the file's syntax): every service has a health check, the
service is built from the multi-stage, non-root Dockerfile, and every published port and every
variable given to the service is documented in the README."""

import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
REQUIRED = {"postgres", "redis", "kafka", "moto", "gpubroker", "prometheus"}


def main() -> int:
    compose = yaml.safe_load((ROOT / "docker-compose.dev.yml").read_text())
    readme = (ROOT / "README.md").read_text()
    dockerfile = (ROOT / "Dockerfile").read_text()
    problems = []
    services = compose.get("services", {})
    for name in sorted(REQUIRED - services.keys()):
        problems.append(f"service {name} is missing")
    for name, service in services.items():
        if "healthcheck" not in service:
            problems.append(f"service {name} has no healthcheck")
        for port in service.get("ports", []):
            host = str(port).split(":")[0]
            if not re.search(rf"\b{host}\b", readme):
                problems.append(f"port {host} of {name} is not in README.md")
    app = services.get("gpubroker", {})
    if app.get("build") not in (".", {"context": "."}):
        problems.append("gpubroker must be built from ./Dockerfile")
    for variable in app.get("environment", {}):
        if f"`{variable}`" not in readme:
            problems.append(f"variable {variable} of gpubroker is not in README.md")
    if len(re.findall(r"^FROM ", dockerfile, re.M)) < 2:
        problems.append("Dockerfile is not multi-stage")
    user = re.findall(r"^USER (\S+)", dockerfile, re.M)
    if not user or user[-1] in ("root", "0"):
        problems.append("Dockerfile does not run as a non-root user")
    for problem in problems:
        print(f"check-compose: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
