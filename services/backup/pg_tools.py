"""PostgreSQL: ``pg_dump`` (custom format) and ``pg_restore`` of the server's own version.

A ``pg_dump`` older than the server refuses to dump it, and a ``pg_restore`` older than the
dump's ``pg_dump`` cannot read its archive; Debian's ``/usr/bin/pg_dump`` is a wrapper that
picks *a* version. So the tools are looked up by the server's major version
(``/usr/lib/postgresql/<major>/bin`` first, then ``CRM_PG_BIN_DIR``, then ``PATH``) and checked
with ``--version``. The connection travels in libpq's environment variables, the password too
(never on a command line other users can read in ``ps``).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from sqlalchemy import Connection
from sqlalchemy.engine import URL

_PARAMS = {"options": "PGOPTIONS", "sslmode": "PGSSLMODE", "sslrootcert": "PGSSLROOTCERT",
           "sslcert": "PGSSLCERT", "sslkey": "PGSSLKEY", "application_name": "PGAPPNAME",
           "connect_timeout": "PGCONNECT_TIMEOUT"}


class ToolMissing(RuntimeError):
    """No ``pg_dump``/``pg_restore`` of the server's major version was found."""

    def __init__(self, tool: str, major: int, found: list[str]) -> None:
        super().__init__(f"{tool} {major} not found")
        self.tool, self.major, self.found = tool, major, found


class ToolFailed(RuntimeError):
    def __init__(self, tool: str, status: int, stderr: str) -> None:
        super().__init__(f"{tool} exited {status}: {stderr.strip()[-2000:]}")
        self.tool, self.status, self.stderr = tool, status, stderr


def server_major(conn: Connection) -> int:
    return int(conn.exec_driver_sql("SHOW server_version_num").scalar()) // 10000


def server_version(conn: Connection) -> str:
    return str(conn.exec_driver_sql("SHOW server_version").scalar()).split()[0]


def _major_of(tool: Path) -> int | None:
    try:
        out = subprocess.run([str(tool), "--version"], capture_output=True, text=True,
                             timeout=30, check=False).stdout
    except OSError:
        return None
    found = re.search(r"\(PostgreSQL\)\s+(\d+)", out)
    return int(found.group(1)) if found else None


def find_tool(name: str, major: int) -> Path:
    """``pg_dump`` or ``pg_restore`` of exactly this major version."""
    candidates = [Path(f"/usr/lib/postgresql/{major}/bin/{name}")]
    if os.environ.get("CRM_PG_BIN_DIR"):
        candidates.append(Path(os.environ["CRM_PG_BIN_DIR"]) / name)
    on_path = shutil.which(name)
    if on_path:
        candidates.append(Path(on_path))
    found: list[str] = []
    for tool in candidates:
        if not tool.exists():
            continue
        version = _major_of(tool)
        if version == major:
            return tool
        found.append(f"{tool} ({version})")
    raise ToolMissing(name, major, found)


def libpq_env(url: URL) -> dict[str, str]:
    """The environment that points libpq at ``url`` (host, port, user, password, database
    and the URL's query options such as ``options=-csearch_path=...``)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    for var, value in (("PGHOST", url.host), ("PGPORT", url.port), ("PGUSER", url.username),
                       ("PGPASSWORD", url.password), ("PGDATABASE", url.database)):
        if value is not None:
            env[var] = str(value)
    for key, var in _PARAMS.items():
        value = url.query.get(key)
        if value:
            env[var] = value if isinstance(value, str) else value[-1]
    return env


def run(tool: Path, args: list[str], url: URL) -> None:
    proc = subprocess.run([str(tool), *args], env=libpq_env(url), capture_output=True,
                          text=True, check=False)
    if proc.returncode:
        raise ToolFailed(tool.name, proc.returncode, proc.stderr)


def dump(url: URL, major: int, snapshot: str, schema: str, out: Path) -> None:
    """``pg_dump --format=custom`` of the exported ``snapshot`` (the caller keeps the exporting
    transaction open meanwhile). A schema other than ``public`` is dumped on its own."""
    args = ["--format=custom", f"--snapshot={snapshot}", f"--file={out}"]
    if schema != "public":
        args.append(f"--schema={schema}")
    run(find_tool("pg_dump", major), args, url)


def restore(url: URL, major: int, archive: Path) -> None:
    """``pg_restore`` into the (emptied) target as one transaction, stopping at any error."""
    run(find_tool("pg_restore", major),
        ["--single-transaction", "--exit-on-error", "--no-owner", "--no-privileges",
         f"--dbname={url.database}", str(archive)], url)


__all__ = ["ToolFailed", "ToolMissing", "dump", "find_tool", "libpq_env", "restore",
           "server_major", "server_version"]
