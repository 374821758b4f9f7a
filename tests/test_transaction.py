"""`make rebuild` as a transaction, proved by killing it: at every checkpoint, at random instants,
with two runs at once, and with ENOSPC / EACCES injected by strace at the write and publish steps.

The rule each test holds: right after the interruption `site/` and `docs/` are each whole (old
or new) and every file is old or new; the next rebuild then converges to exactly the tree an
uninterrupted run gives, byte for byte, with nothing left over.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import ROOT, exhaustive_only
from test_rebuild import EN_PATH, FAST, FILTERS_PATH, ZH_PATH, doc_args, make_small_workspace, serve_small
from upstream_server import UpstreamServer

from scraper import transaction
from scraper.catalog.model import ScrapeError

# What shows that a run has reached a stage: MkDocs writing the new site, the journal of the publish.
STAGE_SIGNS = {"building": f"{transaction.WORK_DIR}/site", "publishing": transaction.JOURNAL_FILE}
LAST_MODIFIED = "Mon, 09 Mar 2026 10:00:00 GMT"  # fixed, so two runs write the same bytes
LOCK = f"{transaction.STATE_DIR}/{transaction.LOCK_FILE}"
STRACE = shutil.which("strace")


def snapshot(root: Path) -> dict[str, str]:
    """Every file under root, hidden ones included; the lock file's holder line is not content."""
    found = {}
    for path in sorted(root.rglob("*")):
        relative = str(path.relative_to(root))
        if path.is_file() and not path.is_symlink():
            found[relative] = "lock" if relative == LOCK else hashlib.sha256(path.read_bytes()).hexdigest()
        elif path.is_dir() and not any(path.iterdir()):
            found[relative + "/"] = "empty"
    return found


def part(tree: dict[str, str], top: str) -> dict[str, str]:
    return {key: value for key, value in tree.items() if key.startswith(top + "/")}


def fresh_workspace(base: Path, template: Path) -> Path:
    shutil.copytree(template, base, symlinks=True)
    return base


@pytest.fixture(scope="module")
def upstream():
    with UpstreamServer() as server:
        serve_small(server, headers={"Last-Modified": LAST_MODIFIED})
        yield server


def command(root: Path, upstream: UpstreamServer) -> list[str]:
    return [
        sys.executable, "-m", "scraper", "rebuild", "--root", str(root),
        "--en", upstream.url(EN_PATH), "--zh", upstream.url(ZH_PATH), "--filters", upstream.url(FILTERS_PATH),
        *doc_args(upstream.url("")), *FAST,
    ]


def rebuild(root: Path, upstream: UpstreamServer, env: dict[str, str] | None = None, prefix: list[str] = ()) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*prefix, *command(root, upstream)], cwd=ROOT, capture_output=True, text=True, timeout=300, env=os.environ | (env or {})
    )


@pytest.fixture(scope="module")
def reference(tmp_path_factory, upstream):
    """The old tree, the tree one uninterrupted rebuild gives, and that run's checkpoints."""
    template = make_small_workspace(tmp_path_factory.mktemp("template"))
    # the template holds the lock file a first command leaves, so old and new trees compare whole
    with transaction.exclusive(template, "test"):
        pass
    run = fresh_workspace(tmp_path_factory.mktemp("reference") / "tree", template)
    log = run.parent / "checkpoints.tsv"
    started = time.monotonic()
    result = rebuild(run, upstream, {transaction.CHECKPOINT_LOG_ENV: str(log)})
    seconds = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("+1 code (-2043 NO_REFERENCE_PRICE)")
    labels = [line.split("\t")[1] for line in log.read_text(encoding="utf-8").splitlines()]
    return {"template": template, "old": snapshot(template), "new": snapshot(run), "checkpoints": labels, "seconds": seconds}


def assert_whole(tree: dict[str, str], old: dict[str, str], new: dict[str, str]) -> None:
    """Each published folder is all old or all new, and each file is old or new, never partial."""
    for top in ("site", "docs"):
        assert part(tree, top) in (part(old, top), part(new, top)), f"{top}/ is mixed or partial"
    for name, digest in tree.items():
        if name.startswith(("data/", "upstream/")):
            assert digest in (old.get(name), new.get(name)), f"{name} is neither old nor new"


PUBLISHED = [
    "upstream/testnet-errors.en.html", "upstream/testnet-errors.zh-CN.html", "upstream/testnet_filters.md", "data/filters.json",
    "data/statuses.json", "data/changes.json", "data/errors.json", "upstream/manifest.json", "docs", "site",
]
# Every checkpoint of an uninterrupted run, in order.  Each kill test names one, so the
# matrix spreads over the test workers.
CHECKPOINTS = ["clean scratch", "commit", *(f"publish {target}" for target in PUBLISHED), "journal done"]
# `make test` kills at one checkpoint of each kind: before the commit, at it, at the first and a middle
# published file, at each published folder, after them.  `make check` kills at every one.
REPRESENTATIVE = {"clean scratch", "commit", "publish upstream/testnet-errors.en.html", "publish data/errors.json",
                  "publish docs", "publish site", "journal done"}


def _checkpoint_param(number: int, label: str):
    return pytest.param(number, id=f"{number}-{label}", marks=() if label in REPRESENTATIVE else exhaustive_only)


def test_checkpoints_cover_every_publishing_step(reference):
    assert reference["checkpoints"] == CHECKPOINTS
    assert reference["new"] != reference["old"]
    assert not any(name.startswith((".transaction/work", ".transaction/journal")) for name in reference["new"])


def _kill_and_recover(reference, upstream, base: Path, kill: dict[str, str] | float | str) -> str:
    tree = fresh_workspace(base / "tree", reference["template"])
    if isinstance(kill, dict):
        killed = rebuild(tree, upstream, kill)
        returncode = killed.returncode
    else:  # an instant: an outside kill -9 after `kill` seconds, or once the run reaches a stage
        env = os.environ.copy()
        if kill == "publishing":  # held mid-publishing (after its first step), so the outside kill lands there
            env[transaction.PAUSE_AT_ENV] = str(reference["checkpoints"].index("publish upstream/testnet-errors.en.html") + 2)
        process = subprocess.Popen(command(tree, upstream), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        if isinstance(kill, str):
            sign = tree / transaction.STATE_DIR / STAGE_SIGNS[kill]
            while not sign.exists() and process.poll() is None:
                time.sleep(0.005)
        else:
            time.sleep(kill)
        process.send_signal(signal.SIGKILL)
        returncode = process.wait()
    after_kill = snapshot(tree)
    assert_whole(after_kill, reference["old"], reference["new"])
    assert (tree / "site").is_dir()
    recovered = rebuild(tree, upstream)
    assert recovered.returncode == 0, recovered.stderr
    assert snapshot(tree) == reference["new"], f"no convergence after a kill ({kill})"
    shutil.rmtree(base)
    return f"{returncode}"


@pytest.mark.parametrize("point", [_checkpoint_param(n, label) for n, label in enumerate(CHECKPOINTS, 1)])
def test_kill_at_every_checkpoint_then_rebuild_converges(reference, upstream, tmp_path, point):
    """SIGKILL at each checkpoint of an uninterrupted run: before the commit, at it, at every publish, after them."""
    code = _kill_and_recover(reference, upstream, tmp_path, {transaction.KILL_AT_ENV: str(point)})
    assert code == str(-signal.SIGKILL)  # the run really died at its checkpoint


@pytest.mark.parametrize("instant", [0.1, "building", "publishing", pytest.param(0.8, marks=exhaustive_only)])
def test_kill_at_instants_then_rebuild_converges(reference, upstream, tmp_path, instant):
    """Outside kills while fetching, parsing, building and publishing (a number: that share of
    an uninterrupted run's time); MkDocs, the killed run's child, must not write on into the
    scratch folder the next run clears."""
    kill = instant * reference["seconds"] if isinstance(instant, float) else instant
    code = _kill_and_recover(reference, upstream, tmp_path, kill)
    if isinstance(instant, str):
        assert code == str(-signal.SIGKILL)  # stopped at that stage; a timed kill may come after a quick run's end


def test_kill_during_recovery_then_rebuild_converges(reference, upstream, tmp_path):
    """The repair itself killed at each of its publishing steps still converges."""
    tree = fresh_workspace(tmp_path / "tree", reference["template"])
    first_publish = reference["checkpoints"].index("publish upstream/testnet-errors.en.html") + 1
    assert rebuild(tree, upstream, {transaction.KILL_AT_ENV: str(first_publish + 1)}).returncode == -signal.SIGKILL
    # the next run starts its count afresh: checkpoint 1, 2, ... are the repair's own publishing steps
    for step in (1, 2, 3):
        assert rebuild(tree, upstream, {transaction.KILL_AT_ENV: str(step)}).returncode == -signal.SIGKILL
        assert_whole(snapshot(tree), reference["old"], reference["new"])
    assert rebuild(tree, upstream).returncode == 0
    assert snapshot(tree) == reference["new"]


def test_second_command_on_a_busy_tree_is_refused_in_one_line(reference, upstream, tmp_path):
    tree = fresh_workspace(tmp_path / "tree", reference["template"])
    # the first run is held at its commit (SIGSTOP), so the second certainly meets the lock
    first = subprocess.Popen(command(tree, upstream), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not (tree / transaction.STATE_DIR / transaction.WORK_DIR / "site").exists():
        assert first.poll() is None and time.monotonic() < deadline
        time.sleep(0.05)
    os.kill(first.pid, signal.SIGSTOP)
    try:
        second = rebuild(tree, upstream)
        with pytest.raises(ScrapeError, match="busy") as refused:
            with transaction.exclusive(tree, "build"):
                pass
    finally:
        os.kill(first.pid, signal.SIGCONT)
    out, err = first.communicate(timeout=300)
    assert first.returncode == 0, err
    assert second.returncode == 1
    [line] = second.stderr.strip().splitlines()
    assert "busy" in line and "rebuild" in line and f"pid {first.pid}" in line
    assert f"pid {first.pid}" in str(refused.value)
    assert snapshot(tree) == reference["new"]


def test_two_rebuilds_at_once_never_interleave(reference, upstream, tmp_path):
    tree = fresh_workspace(tmp_path / "tree", reference["template"])
    runs = [subprocess.Popen(command(tree, upstream), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [(run.wait(timeout=300), *run.communicate()) for run in runs]
    assert any(code == 0 for code, _, _ in results)
    for code, out, err in results:
        if code != 0:
            assert len(err.strip().splitlines()) == 1 and "busy" in err, err
    assert snapshot(tree) == reference["new"]


# --- the disk says no ----------------------------------------------------------------------

needs_strace = pytest.mark.skipif(STRACE is None, reason="strace injects the failures: apt-get install -y strace")


def strace(*injections: str) -> list[str]:
    return [STRACE, "-f", "-qq", "-o", "/dev/null", *injections]


@needs_strace
@pytest.mark.parametrize(
    ("what", "injection", "expected"),
    [
        ("ENOSPC writing the new data", ("-e", "inject=write:error=ENOSPC", "-P", "{work}/publish/data/errors.json"), "no space left"),
        ("EACCES creating the new data", ("-e", "inject=openat:error=EACCES", "-P", "{work}/publish/data/errors.json"), "Permission denied"),
        ("a read-only data/", ("-e", "inject=openat:error=EROFS", "-P", "{root}/data"), "Read-only file system"),
    ],
)
def test_write_step_failures_change_nothing(reference, upstream, tmp_path, what, injection, expected):
    tree = fresh_workspace(tmp_path / "tree", reference["template"])
    work = tree / transaction.STATE_DIR / transaction.WORK_DIR
    prefix = strace(*[part.format(work=work, root=tree) for part in injection])
    result = rebuild(tree, upstream, prefix=prefix)
    assert result.returncode == 1, result.stderr
    [line] = result.stderr.strip().splitlines()
    assert expected in line and "nothing was changed" in line, line
    assert snapshot(tree) == reference["old"]


@needs_strace
def test_a_refusal_while_publishing_is_completed_by_the_next_command(reference, upstream, tmp_path):
    tree = fresh_workspace(tmp_path / "tree", reference["template"])
    staged = tree / transaction.STATE_DIR / transaction.WORK_DIR / "publish" / "data" / "errors.json"
    refused = rebuild(tree, upstream, prefix=strace("-e", "inject=rename,renameat,renameat2:error=EACCES", "-P", str(staged)))
    assert refused.returncode == 1
    [line] = refused.stderr.strip().splitlines()
    assert "Permission denied while publishing" in line and "next command completes" in line, line
    assert_whole(snapshot(tree), reference["old"], reference["new"])
    assert rebuild(tree, upstream).returncode == 0
    assert snapshot(tree) == reference["new"]


# --- the primitives ------------------------------------------------------------------------


def test_published_folder_is_never_missing_while_replaced(tmp_path):
    """A reader polling site/ during 200 replacements never finds it missing or empty."""
    root = tmp_path
    (root / "site").mkdir()
    (root / "site" / "index.html").write_text("0", encoding="utf-8")
    seen_missing = []
    done = threading.Event()

    def reader():
        while not done.is_set():
            try:
                (root / "site" / "index.html").read_text(encoding="utf-8")
            except FileNotFoundError:
                seen_missing.append(1)

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for generation in range(1, 201):
            with transaction.exclusive(root, "test") as txn:
                built = txn.work / "site"
                built.mkdir()
                (built / "index.html").write_text(str(generation), encoding="utf-8")
                txn.stage_tree(root / "site", built)
                txn.commit()
    finally:
        done.set()
        thread.join()
    assert not seen_missing
    assert (root / "site" / "index.html").read_text(encoding="utf-8") == "200"
    assert sorted(p.name for p in (root / transaction.STATE_DIR).iterdir()) == [transaction.LOCK_FILE]


def test_a_failure_before_commit_leaves_nothing(tmp_path):
    (tmp_path / "data.json").write_text("old", encoding="utf-8")
    with pytest.raises(ScrapeError, match="boom"):
        with transaction.exclusive(tmp_path, "test") as txn:
            txn.stage_file(tmp_path / "data.json", "new")
            raise ScrapeError("boom")
    assert (tmp_path / "data.json").read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in (tmp_path / transaction.STATE_DIR).iterdir()) == [transaction.LOCK_FILE]


def test_leftovers_of_older_versions_are_removed(tmp_path):
    for name in (".rebuild-abc123/site", ".site.staging", ".docs.previous"):
        (tmp_path / name).mkdir(parents=True)
    with transaction.exclusive(tmp_path, "test"):
        pass
    assert sorted(p.name for p in tmp_path.iterdir()) == [transaction.STATE_DIR]


def test_a_damaged_journal_is_named_not_guessed(tmp_path):
    (tmp_path / transaction.STATE_DIR).mkdir()
    (tmp_path / transaction.STATE_DIR / transaction.JOURNAL_FILE).write_text("{not json", encoding="utf-8")
    with pytest.raises(ScrapeError, match="unreadable journal"):
        with transaction.exclusive(tmp_path, "test"):
            pass
    assert (tmp_path / transaction.STATE_DIR / transaction.JOURNAL_FILE).exists()


def test_any_writing_command_first_completes_an_interrupted_rebuild(reference, upstream, tmp_path):
    """`make site` after a rebuild killed mid-publish: the data it builds from is the whole new data."""
    from scraper.catalog.inputs import Inputs
    from scraper.site import builder

    tree = fresh_workspace(tmp_path / "tree", reference["template"])
    kill_at = reference["checkpoints"].index("publish data/errors.json") + 1
    assert rebuild(tree, upstream, {transaction.KILL_AT_ENV: str(kill_at)}).returncode == -signal.SIGKILL
    assert (tree / transaction.STATE_DIR / transaction.JOURNAL_FILE).exists()
    with transaction.exclusive(tree, "build") as txn:
        builder.build(Inputs.load(tree / "data"), txn)  # loaded under the lock, after the repair
    after = snapshot(tree)
    for top in ("data", "upstream"):
        assert part(after, top) == part(reference["new"], top)
    assert (tree / "site" / "codes" / "-2043" / "index.html").is_file()
    assert not (tree / transaction.STATE_DIR / transaction.JOURNAL_FILE).exists()
