"""Replace the tree's outputs all or nothing: one lock, one journal, one atomic step per target.

Every command that writes the tree (``rebuild``, ``build``, ``render``, ``scrape -o``)
runs inside :func:`exclusive`:

1. It takes an exclusive ``flock`` on ``.transaction/lock``; a second command on the
   same tree is refused in one line.  The kernel drops the lock when its holder dies,
   so a killed run never leaves a stale lock.
2. It finishes whatever the previous holder left: a committed journal is rolled
   forward; then the scratch folder ``.transaction/work/`` is emptied, which undoes
   anything uncommitted.
3. The command writes everything it will publish inside the scratch folder, and
   proves each target's folder writable with an unnamed ``O_TMPFILE`` file (which
   vanishes with the process, so a probe can never be left behind).
4. :meth:`Transaction.commit` writes the journal (each target, its staged path and
   the staged inode) with one atomic rename: that is the commit point.  Then each
   target is replaced by one ``rename`` (files) or one ``renameat2(RENAME_EXCHANGE)``
   (folders), so ``site/`` is never missing or partial, not even for an instant.  A
   step is done when the target carries the staged inode, which makes rolling forward
   idempotent whatever instant the kill came at.  The journal is removed last.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import json
import os
import shutil
import signal
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from scraper.catalog.model import ScrapeError

STATE_DIR = ".transaction"
LOCK_FILE = "lock"
JOURNAL_FILE = "journal.json"
WORK_DIR = "work"
TRASH_PREFIX = "trash-"
# Scratch names earlier versions of the pipeline left behind when killed.
LEGACY_LEFTOVERS = (".docs.staging", ".site.staging", ".docs.previous", ".site.previous", ".rebuild-*")

# Test hook (tests/test_transaction.py): SIGKILL this process at the Nth checkpoint,
# and/or append each checkpoint's label to a file, so a test can kill at every step.
KILL_AT_ENV = "SCRAPER_KILL_AT"
CHECKPOINT_LOG_ENV = "SCRAPER_CHECKPOINT_LOG"
# ... and/or stop for a while at the Nth, so an outside kill surely lands in that stage
# (publishing is a few renames: over before a poller could see it had begun).
PAUSE_AT_ENV = "SCRAPER_PAUSE_AT"
_checkpoints = 0


def checkpoint(label: str) -> None:
    global _checkpoints
    _checkpoints += 1
    log = os.environ.get(CHECKPOINT_LOG_ENV)
    if log:
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(f"{_checkpoints}\t{label}\n")
    if os.environ.get(KILL_AT_ENV) == str(_checkpoints):
        os.kill(os.getpid(), signal.SIGKILL)
    if os.environ.get(PAUSE_AT_ENV) == str(_checkpoints):
        time.sleep(30)


# --- the primitives -----------------------------------------------------------------------

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def exchange(a: Path, b: Path) -> None:
    """Swap two paths in one step (Linux renameat2 RENAME_EXCHANGE): neither is ever missing."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(b))


_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """For a child process (``preexec_fn``): SIGKILL it when its parent dies.

    A killed command's build would otherwise go on writing into the scratch folder the
    next command is clearing.
    """
    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_durably(path: Path, payload: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(payload)
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(path, 0o644)


def remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path)


# --- the journal --------------------------------------------------------------------------


@dataclass
class Change:
    target: str  # relative to the tree's root
    staged: str  # inside the scratch folder
    inode: int


def read_journal(path: Path) -> list[Change] | None:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return [Change(**change) for change in raw["changes"]]
    except FileNotFoundError:
        return None
    except (ValueError, KeyError, TypeError) as error:
        # only ever written whole by a rename, so this is damage from outside: name it, touch nothing
        raise ScrapeError(f"{path}: unreadable journal ({error}); inspect the tree, then delete it to continue") from None


def write_journal(path: Path, changes: list[Change]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    write_durably(tmp, json.dumps({"changes": [asdict(c) for c in changes]}, indent=1).encode("utf-8"))
    checkpoint("commit")
    os.replace(tmp, path)
    fsync_dir(path.parent)


# --- the transaction ----------------------------------------------------------------------


class Transaction:
    """The outputs one command replaces; nothing outside the scratch folder changes before :meth:`commit`."""
    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.state_dir = self.root / STATE_DIR
        self.journal_path = self.state_dir / JOURNAL_FILE
        self.work = self.state_dir / WORK_DIR
        self.staged: dict[Path, Path] = {}  # target -> its new content in the scratch folder
        self.committed = False

    def _target(self, target: Path | str) -> Path:
        target = Path(target)
        target = target if target.is_absolute() else self.root / target
        if target in self.staged:
            raise ValueError(f"{target} staged twice")
        return target

    def stage_file(self, target: Path | str, content: str | bytes) -> None:
        target = self._target(target)
        inside = target.resolve().is_relative_to(self.root.resolve())
        relative = target.resolve().relative_to(self.root.resolve()) if inside else Path(f"outside-{len(self.staged)}", target.name)
        staged = self.work / "publish" / relative
        staged.parent.mkdir(parents=True, exist_ok=True)
        write_durably(staged, content.encode("utf-8") if isinstance(content, str) else content)
        self.staged[target] = staged

    def stage_tree(self, target: Path | str, built: Path) -> None:
        """``built``, a finished folder inside the scratch folder, becomes ``target``."""
        target = self._target(target)
        if not Path(built).resolve().is_relative_to(self.work.resolve()):
            raise ValueError(f"{built} is not inside {self.work}")
        self.staged[target] = Path(built)

    def commit(self) -> None:
        if not self.staged:
            return
        for target in self.staged:
            _probe_writable(target.parent, self.work)
        changes = [
            Change(os.path.relpath(target, self.root), os.path.relpath(staged, self.root), os.lstat(staged).st_ino)
            for target, staged in self.staged.items()
        ]
        os.sync()  # the staged trees reach the disk before the journal says they are the truth
        write_journal(self.journal_path, changes)
        self.committed = True
        _roll_forward(self.root, changes)


def _probe_writable(folder: Path, work: Path) -> None:
    """Fail before the commit, not halfway through publishing, when a target's folder refuses writes."""
    folder.mkdir(parents=True, exist_ok=True)
    if os.stat(folder).st_dev != os.stat(work).st_dev:
        raise ScrapeError(f"{folder}: on another file system than {work}; an atomic rename cannot reach it")
    fd = os.open(folder, os.O_TMPFILE | os.O_WRONLY, 0o600)
    os.close(fd)


def _roll_forward(root: Path, changes: list[Change]) -> None:
    for change in changes:
        target, staged = root / change.target, root / change.staged
        with contextlib.suppress(FileNotFoundError):
            if os.lstat(target).st_ino == change.inode:
                continue  # published before the interruption
        if not staged.exists() or os.lstat(staged).st_ino != change.inode:
            raise ScrapeError(
                f"{target}: the interrupted update's staged copy {staged} is gone; "
                f"restore the tree (git checkout), then delete {root / STATE_DIR / JOURNAL_FILE}"
            )
        target.parent.mkdir(parents=True, exist_ok=True)
        checkpoint(f"publish {change.target}")
        if staged.is_dir() and target.is_dir() and not target.is_symlink():
            exchange(staged, target)  # the old tree is now at the staged path, in the scratch folder
        else:
            os.replace(staged, target)
        fsync_dir(target.parent)
    checkpoint("journal done")
    (root / STATE_DIR / JOURNAL_FILE).unlink()
    fsync_dir(root / STATE_DIR)


def recover(root: Path) -> bool:
    """Finish what an interrupted command committed, drop what it did not; True when a journal was rolled forward."""
    state_dir = root / STATE_DIR
    changes = read_journal(state_dir / JOURNAL_FILE)
    if changes is not None:
        _roll_forward(root, changes)
    checkpoint("clean scratch")
    _clear_scratch(state_dir)
    for pattern in LEGACY_LEFTOVERS:
        for path in root.glob(pattern):
            remove(path)
    return changes is not None


def _clear_scratch(state_dir: Path) -> None:
    """Move the scratch folder aside before deleting it, so the next one starts empty even
    if a straggler of a killed command still writes into the old one."""
    (state_dir / (JOURNAL_FILE + ".tmp")).unlink(missing_ok=True)
    work = state_dir / WORK_DIR
    if work.exists():
        os.rename(work, state_dir / f"{TRASH_PREFIX}{os.getpid()}-{time.monotonic_ns()}")
    for trash in state_dir.glob(TRASH_PREFIX + "*"):
        shutil.rmtree(trash, ignore_errors=True)  # what a straggler keeps writing goes next time


# --- the lock -----------------------------------------------------------------------------


@contextlib.contextmanager
def exclusive(root: Path, command: str) -> Iterator[Transaction]:
    """Hold the tree's lock, repair the tree, and yield a transaction; every OS failure becomes one line."""
    root = Path(root)
    state_dir = root / STATE_DIR
    try:
        state_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(state_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        raise ScrapeError(f"{state_dir}: cannot take the tree's lock ({error.strerror})") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "another command"
            raise ScrapeError(f"{root}: busy: {holder} is updating this tree; try again when it finishes") from None
        with _holding(root, fd, command) as transaction:
            yield transaction
    finally:
        os.close(fd)  # releases the lock


@contextlib.contextmanager
def _holding(root: Path, fd: int, command: str) -> Iterator[Transaction]:
    """The part of :func:`exclusive` that runs only while this process holds the lock."""
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"`{command}` (pid {os.getpid()}, since {time.strftime('%Y-%m-%d %H:%M:%S')})\n".encode(), 0)
    transaction = Transaction(root)
    try:
        recover(root)
        transaction.work.mkdir()
        yield transaction
    except OSError as error:
        raise ScrapeError(_describe(error, transaction)) from None
    finally:
        with contextlib.suppress(OSError):
            if not transaction.journal_path.exists():  # else the next command rolls it forward
                _clear_scratch(transaction.state_dir)


def _describe(error: OSError, transaction: Transaction) -> str:
    where = error.filename or transaction.root
    reason = "no space left on the device" if error.errno in (errno.ENOSPC, errno.EDQUOT) else error.strerror or str(error)
    if transaction.committed:
        return f"{where}: {reason} while publishing; the next command completes the update"
    return f"{where}: {reason}; nothing was changed"
