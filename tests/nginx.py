"""A real nginx for the tests: the Debian package's binary run as an ordinary process, with its
own configuration, prefix, pid file and logs in a temporary directory, listening on a free port
of 127.0.0.1, serving a publication through the rules `write_rewrite_rules` wrote.

nginx is a Debian package, not a PyPI one: scripts/test installs it when it is missing. Where it
is not installed the tests fail and say so; they do not skip."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from .servers import RunningServer, _wait_until_up, free_port

if TYPE_CHECKING:
    from collections.abc import Iterator

# Debian installs server binaries in /usr/sbin, which an ordinary user's PATH may not have.
_SEARCH_PATH = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/usr/local/sbin"])


def find_debian_server(binary: str, package: str) -> str:
    """The path of a Debian package's server binary, or an error saying how to get it."""
    found = shutil.which(binary, path=_SEARCH_PATH)
    if found is None:
        raise RuntimeError(
            f"{binary} is not installed: run scripts/test, which installs Debian's {package} "
            f"package when it is missing (or `apt-get install {package}`)"
        )
    return found


def _config(prefix: Path, port: int, root: Path, rules: Path) -> str:
    # As root, nginx would run its workers as nobody, who may not read the publication; the
    # tests' own user reads it by definition. (Without root privileges `user` is ignored.)
    user = "user root root;\n" if os.geteuid() == 0 else ""
    temp = "\n".join(
        f"    {kind}_temp_path {prefix / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    # No mime.types: the rules must give every file its type themselves.
    return f"""{user}worker_processes 1;
pid {prefix / "nginx.pid"};
error_log {prefix / "error.log"} warn;
events {{
    worker_connections 64;
}}
http {{
    access_log {prefix / "access.log"};
{temp}
    default_type application/octet-stream;
    server {{
        listen 127.0.0.1:{port};
        server_name localhost;
        root {root};
        include {rules};
    }}
}}
"""


@contextlib.contextmanager
def nginx_server(root: Path, *, rules: Path | None = None) -> Iterator[str]:
    """nginx serving `root` (the document root) with `include RULES;` in its server block,
    `root/.nginx.conf` unless `rules` says otherwise, until the block ends. Yields the base URL,
    `http://127.0.0.1:PORT/`."""
    binary = find_debian_server("nginx", "nginx")
    rules = rules or root / ".nginx.conf"
    with tempfile.TemporaryDirectory(prefix="openforum-nginx-") as directory:
        prefix = Path(directory)
        config = prefix / "nginx.conf"
        port = free_port()
        config.write_text(_config(prefix, port, root.resolve(), rules.resolve()), encoding="utf-8")
        check = subprocess.run(
            [
                binary,
                "-t",
                "-q",
                "-p",
                str(prefix),
                "-e",
                str(prefix / "error.log"),
                "-c",
                str(config),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if check.returncode != 0:
            raise RuntimeError(f"nginx refuses the configuration:\n{check.stderr.strip()}")
        argv = [binary, "-p", str(prefix), "-e", str(prefix / "error.log")]
        argv += ["-c", str(config), "-g", "daemon off;"]
        # SIGTERM at the end: nginx's fast shutdown, which stops the workers with the master.
        with web_server("nginx", argv, port, prefix / "error.log") as url:
            yield url


@contextlib.contextmanager
def web_server(name: str, argv: list[str], port: int, error_log: Path) -> Iterator[str]:
    """A web server started as `argv`, listening on `port`, until the block ends; a start that
    fails says so with the server's error log."""
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    server = RunningServer(f"http://127.0.0.1:{port}/", process)
    try:
        try:
            _wait_until_up(server.url, process, seconds=30)
        except RuntimeError as error:
            log = error_log.read_text(encoding="utf-8", errors="replace")
            raise RuntimeError(f"{error}\n{name}'s error log:\n{log}") from None
        yield server.url
    finally:
        server.stop()
