"""Atomic file replacement: a file is either the old one or the new one, never half.

A checkpoint written in place can be cut off by a crash, a full disk or
``Ctrl-C``, and the previous good checkpoint would be lost with it. So the new
bytes go to a temporary file in the same folder (``os.replace`` is atomic only
within one file system), which is flushed and fsynced before it is renamed over
the target; the folder is fsynced afterwards so that the rename itself survives
a power cut. If anything fails before the rename, the temporary file is removed
and the target is untouched. (A process killed outright, ``SIGKILL``, cannot
clean up: it may leave a ``.name.*.tmp`` file beside the target, but never a
damaged target.)

Example:
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "note.txt")
    >>> write_atomically(path, b"first"); write_atomically(path, b"second")
    >>> open(path, "rb").read(), os.listdir(os.path.dirname(path))
    (b'second', ['note.txt'])
"""

import os
import secrets

_CHUNK_BYTES = 16 * 1024 * 1024


def write_payload(file, payload):
    """Write ``payload`` (bytes-like) to the open binary ``file`` in chunks.

    Chunks keep each system call bounded; tests replace this function to
    simulate a failure part way through a write.

    Example:
        >>> import io
        >>> buffer = io.BytesIO(); write_payload(buffer, b"abc"); buffer.getvalue()
        b'abc'
    """
    view = memoryview(payload).cast("B")
    for start in range(0, len(view), _CHUNK_BYTES):
        file.write(view[start:start + _CHUNK_BYTES])


def write_atomically(path, payload):
    """Replace the file at ``path`` with ``payload`` (bytes-like), atomically.

    Missing parent folders are created. On any error, ``KeyboardInterrupt``
    included, the temporary file is removed and ``path`` keeps its old content.

    Args:
        path: the target file (str or path-like).
        payload: the new content.

    Example:
        >>> import os, tempfile
        >>> path = os.path.join(tempfile.mkdtemp(), "runs", "a.bin")
        >>> write_atomically(path, b"\\x00\\x01"); os.path.getsize(path)
        2
    """
    path = os.path.abspath(os.fspath(path))
    directory, filename = os.path.split(path)
    if os.path.isdir(path):
        raise IsADirectoryError(f"cannot write {path}: it is a folder; give a file name such "
                                "as 'model.safetensors'")
    os.makedirs(directory, exist_ok=True)
    temporary = os.path.join(directory, f".{filename}.{secrets.token_hex(6)}.tmp")
    # os.open with mode 0o666 lets the umask decide the permissions, as for any
    # new file (tempfile.mkstemp would force 0o600 onto the checkpoint).
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL
                         | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(descriptor, "wb") as file:
            write_payload(file, payload)
            file.flush()
            os.fsync(file.fileno())
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
