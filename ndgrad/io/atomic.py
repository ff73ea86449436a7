"""Atomic file replacement: a file is either the old one or the new one, never half.

A checkpoint written in place can be cut off by a crash, a full disk or
``Ctrl-C``, and the previous good checkpoint would be lost with it. So the new
bytes go to a temporary file in the same folder (``os.replace`` is atomic only
within one file system), which is flushed and fsynced before it is renamed over
the target; the folder is fsynced afterwards so that the rename itself survives
a power cut. If anything fails before the rename, the temporary file is removed
and the target is untouched. A process killed outright (``SIGKILL``, a power
cut) cannot clean up: it may leave a ``.<name>.<12 hex digits>.tmp`` file
beside the target, never a damaged target; the next save to that path removes
such leftovers. Only ndgrad's own temporary names for that very target are
touched, and only when no process is still writing them: a writer holds an
exclusive ``flock`` on its temporary file until the rename, and the lock dies
with its process.

Example:
    >>> from ndgrad.io.atomic import write_atomically
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "note.txt")
    >>> write_atomically(path, b"first"); write_atomically(path, b"second")
    >>> open(path, "rb").read(), os.listdir(os.path.dirname(path))
    (b'second', ['note.txt'])
"""

import os
import re
import secrets
import stat

try:
    import fcntl
except ImportError:         # Windows: an open file cannot be deleted there anyway
    fcntl = None

_CHUNK_BYTES = 16 * 1024 * 1024


def write_payload(file, payload):
    """Write ``payload`` (bytes-like) to the open binary ``file`` in chunks.

    Chunks keep each system call bounded; tests replace this function to
    simulate a failure part way through a write.

    Example:
        >>> from ndgrad.io.atomic import write_payload
        >>> import io
        >>> buffer = io.BytesIO(); write_payload(buffer, b"abc"); buffer.getvalue()
        b'abc'
    """
    view = memoryview(payload).cast("B")
    for start in range(0, len(view), _CHUNK_BYTES):
        file.write(view[start:start + _CHUNK_BYTES])


def _temporary_name_pattern(filename):
    return re.compile(rf"\.{re.escape(filename)}\.[0-9a-f]{{12}}\.tmp")


def _try_lock(descriptor):
    """Take the exclusive lock without waiting; False when another holds it."""
    if fcntl is None:
        return True
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    except OSError:         # a file system without locks: treat the file as in use
        return False
    return True


def remove_leftovers(path):
    """Remove the temporary files that interrupted saves to ``path`` left behind.

    Only names of the form ``.<file name>.<12 hex digits>.tmp`` beside ``path``
    that are regular files and that no live writer holds locked are removed;
    returns their names.

    Example:
        >>> from ndgrad.io.atomic import remove_leftovers
        >>> import os, tempfile
        >>> folder = tempfile.mkdtemp(); path = os.path.join(folder, "w.safetensors")
        >>> for name in (".w.safetensors.0123456789ab.tmp", ".other.0123456789ab.tmp"):
        ...     _ = open(os.path.join(folder, name), "wb").write(b"half")
        >>> remove_leftovers(path), sorted(os.listdir(folder))
        (['.w.safetensors.0123456789ab.tmp'], ['.other.0123456789ab.tmp'])
    """
    directory, filename = os.path.split(os.path.abspath(os.fspath(path)))
    pattern = _temporary_name_pattern(filename)
    try:
        names = sorted(name for name in os.listdir(directory) if pattern.fullmatch(name))
    except OSError:
        return []
    removed = []
    for name in names:
        candidate = os.path.join(directory, name)
        try:
            if not stat.S_ISREG(os.lstat(candidate).st_mode):
                continue
            descriptor = os.open(candidate, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
                                 | getattr(os, "O_NONBLOCK", 0))
        except OSError:
            continue
        try:
            if _try_lock(descriptor):
                os.unlink(candidate)
                removed.append(name)
        except OSError:
            pass
        finally:
            os.close(descriptor)
    return removed


def _create_locked_temporary(directory, filename):
    """A new temporary file beside the target, locked, as ``(path, descriptor)``."""
    while True:
        temporary = os.path.join(directory, f".{filename}.{secrets.token_hex(6)}.tmp")
        # os.open with mode 0o666 lets the umask decide the permissions, as for any
        # new file (tempfile.mkstemp would force 0o600 onto the checkpoint).
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL
                             | getattr(os, "O_BINARY", 0), 0o666)
        _try_lock(descriptor)
        try:
            # Another save's cleanup may have removed the file between its creation
            # and the lock: then it is no longer ours to write, so start again.
            if os.stat(temporary).st_ino == os.fstat(descriptor).st_ino:
                return temporary, descriptor
        except FileNotFoundError:
            pass
        os.close(descriptor)


def write_atomically(path, payload):
    """Replace the file at ``path`` with ``payload``, atomically.

    Missing parent folders are created, and the temporary files that earlier,
    interrupted saves to ``path`` left behind are removed. On any error,
    ``KeyboardInterrupt`` included, the temporary file is removed and ``path``
    keeps its old content.

    Args:
        path: the target file (str or path-like).
        payload: the new content: bytes-like, or a tuple or list of bytes-like
            pieces written one after the other (no joined copy is made).

    Example:
        >>> from ndgrad.io.atomic import write_atomically
        >>> import os, tempfile
        >>> path = os.path.join(tempfile.mkdtemp(), "runs", "a.bin")
        >>> write_atomically(path, (b"\\x00", b"\\x01")); os.path.getsize(path)
        2
    """
    path = os.path.abspath(os.fspath(path))
    directory, filename = os.path.split(path)
    if os.path.isdir(path):
        raise IsADirectoryError(f"cannot write {path}: it is a folder; give a file name such "
                                "as 'model.safetensors'")
    os.makedirs(directory, exist_ok=True)
    remove_leftovers(path)
    pieces = payload if isinstance(payload, (tuple, list)) else (payload,)
    temporary, descriptor = _create_locked_temporary(directory, filename)
    try:
        with os.fdopen(descriptor, "wb") as file:
            for piece in pieces:
                write_payload(file, piece)
            file.flush()
            os.fsync(file.fileno())
            if fcntl is not None:   # renamed under the lock, so no cleanup takes it away
                os.replace(temporary, path)
        if fcntl is None:           # Windows renames closed files only
            os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
    _fsync_directory(directory)


def _fsync_directory(directory):
    # Makes the rename durable on POSIX; Windows cannot open a folder for this
    # and its os.replace is already durable enough for our purpose.
    if os.name == "nt":
        return
    try:
        descriptor = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
