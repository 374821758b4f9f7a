"""The scheduled rebuild workflow cannot run here; its syntax and shape are checked instead."""

from __future__ import annotations

import re

import yaml
from conftest import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "rebuild.yml"
CRON_FIELD = re.compile(r"^(\*|\d+(-\d+)?)(/\d+)?(,(\*|\d+(-\d+)?)(/\d+)?)*$")


def test_rebuild_workflow_is_valid():
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    triggers = workflow[True] if True in workflow else workflow["on"]  # YAML 1.1 reads a bare `on` as true
    [schedule] = triggers["schedule"]
    fields = schedule["cron"].split()
    assert len(fields) == 5 and all(CRON_FIELD.match(f) for f in fields)
    assert "workflow_dispatch" in triggers
    assert workflow["permissions"] == {"contents": "write", "pull-requests": "write"}
    [job] = workflow["jobs"].values()
    steps = job["steps"]
    assert all(("uses" in step) != ("run" in step) for step in steps)
    assert all(re.match(r"^[\w.-]+/[\w.-]+@v\d+$", step["uses"]) for step in steps if "uses" in step)
    runs = [step["run"] for step in steps if "run" in step]
    assert any("make rebuild" in run for run in runs) and any("make test" in run for run in runs)
    assert steps[-1]["uses"].startswith("peter-evans/create-pull-request@")
    assert runs.index(next(r for r in runs if "make rebuild" in r)) < runs.index(next(r for r in runs if "make test" in r))


PAGES_WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"


def test_pages_workflow_builds_on_merges_and_deploys_the_site():
    workflow = yaml.safe_load(PAGES_WORKFLOW.read_text(encoding="utf-8"))
    triggers = workflow[True] if True in workflow else workflow["on"]
    assert triggers["push"] == {"branches": ["main"]} and "workflow_dispatch" in triggers
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    for job in (build, deploy):
        assert all(("uses" in step) != ("run" in step) for step in job["steps"])
        assert all(re.match(r"^[\w.-]+/[\w.-]+@v\d+$", step["uses"]) for step in job["steps"] if "uses" in step)
    [make] = [step["run"] for step in build["steps"] if "run" in step]
    assert make.startswith("make site SITE_URL=") and "github.io" in make
    upload = next(step for step in build["steps"] if step.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "site"
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    assert deploy["steps"][-1]["uses"].startswith("actions/deploy-pages@")
