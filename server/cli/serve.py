"""kadun serve: the backend with its embedded Redis, ready for the extension."""
from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import click

from ._common import data_dir_option, echo, extension_dir, fail, pairing_ttl, resolve_data_dir


def _port_free(host: str, port: int) -> bool:
    """Whether HOST:PORT can be bound now (checked before printing a code the user cannot use)."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError:
        return False
    family, _, _, _, address = infos[0]
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError:
            return False
    return True


def redact(url: str) -> str:
    """A Redis URL fit to print: its password replaced by ***."""
    import re

    return re.sub(r"^([a-z+]+://[^:@/]*:)[^@/]*@", r"\1***@", url)


def gunicorn_conf_path() -> Path:
    """The gunicorn settings file: KADUN_GUNICORN_CONF, else gunicorn.conf.py beside the package."""
    return Path(os.environ.get("KADUN_GUNICORN_CONF") or Path(__file__).resolve().parents[2] / "gunicorn.conf.py")


def load_gunicorn_settings(path: Path) -> dict:
    """The settings gunicorn.conf.py defines (the names gunicorn knows), as gunicorn itself reads them."""
    import runpy

    from gunicorn.config import Config

    known = Config().settings
    namespace = runpy.run_path(str(path))
    return {k: v for k, v in namespace.items() if k in known and not k.startswith("_")}


def split_bind(bind: str) -> tuple[str, int]:
    """``127.0.0.1:8765`` / ``[::1]:8765`` / ``0.0.0.0:80`` → (host, port)."""
    host, _, port = bind.rpartition(":")
    return host.strip("[]") or "127.0.0.1", int(port)


def _gunicorn_app(options: dict, supervisor=None):
    """gunicorn with our app; with ``supervisor``, its master also keeps the embedded Redis alive.

    The master's loop wakes at least once a second and whenever a child exits (the redis-server
    is the master's child), and checks its workers there; the supervisor is checked at the same
    point, in the master's one thread (no thread beside a process that forks workers).
    """
    from gunicorn.app.base import BaseApplication
    from gunicorn.arbiter import Arbiter

    class SupervisingArbiter(Arbiter):
        def manage_workers(self):
            super().manage_workers()
            if supervisor is not None:
                supervisor.log = self.log  # gunicorn's error log: stderr of kadun serve
                supervisor.check()

    class KadunGunicorn(BaseApplication):
        def load_config(self):
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self):
            from .. import create_app

            return create_app()

        def run(self):
            try:
                SupervisingArbiter(self).run()
            except RuntimeError as error:  # what BaseApplication.run does with a bad setting
                echo(f"\nError: {error}\n", err=True)
                sys.exit(1)

    return KadunGunicorn()


@click.command("serve")
@click.option("--host", default=None, help="Address to listen on  [default: 127.0.0.1, or KADUN_BIND's]")
@click.option("--port", default=None, type=click.IntRange(1, 65535), help="[default: 8765, or KADUN_BIND's]")
@data_dir_option
@click.option("--workers", default=None, type=click.IntRange(1, 64),
              help="Worker processes, each with a few threads  [default: 2, or KADUN_WORKERS]")
def command(host: str | None, port: int | None, data_dir, workers: int | None) -> None:
    """Start the backend on http://HOST:PORT and print a pairing code for the extension.

    gunicorn's settings come from gunicorn.conf.py (the same file a plain `gunicorn -c` reads)."""
    from ..storage import users
    from ..storage.devices import lifetime_seconds
    from ..storage.private import make_private
    from ..storage.redis import EmbeddedRedis, connect
    from ..storage.supervisor import RedisSupervisor
    from ._common import key_path_of, record_server

    try:
        lifetime_seconds(os.environ.get("KADUN_TOKEN_DAYS"))
    except ValueError as error:
        fail(f"KADUN_TOKEN_DAYS: {error}", code=2)

    conf = gunicorn_conf_path()
    try:
        options = load_gunicorn_settings(conf)
    except (OSError, SyntaxError, ValueError) as error:
        fail(f"cannot read the gunicorn settings {conf}: {error}", code=1, error="unavailable")
    conf_binds = options.get("bind") or ["127.0.0.1:8765"]
    conf_host, conf_port = split_bind(conf_binds[0] if isinstance(conf_binds, list) else conf_binds)
    host, port = host or conf_host, port or conf_port
    options.pop("wsgi_app", None)
    options["bind"] = [f"[{host}]:{port}" if ":" in host else f"{host}:{port}"]
    if workers:
        options["workers"] = workers
    data = make_private(resolve_data_dir(data_dir).resolve())
    if not _port_free(host, port):
        fail(f"端口已被占用 port {host}:{port} is in use or not available; try --port", code=1,
             error="unavailable")
    from ..config import is_hosted

    try:
        hosted = is_hosted({"MODE": os.environ.get("KADUN_MODE")})
    except ValueError as error:
        fail(str(error), code=2)
    url = os.environ.get("KADUN_REDIS_URL") or os.environ.get("REDIS_URL")
    embedded = None
    try:
        if not url:
            embedded = EmbeddedRedis(data)
            url = embedded.start()
        client = connect(url)
        client.ping()
        # Hosted: people sign up at /account; a code for the backend's own user would pair to no one's.
        code = None if hosted else users.new_pairing_code(client, ttl=pairing_ttl())
    except Exception as error:  # storage could not be reached: say so plainly
        fail(f"cannot start storage: {redact(str(error))}", code=1, error="unavailable")
    os.environ["KADUN_DATA_DIR"] = str(data)
    os.environ["KADUN_REDIS_URL"] = url
    shown = f"[{host}]" if ":" in host else host
    record_server(data, url=f"http://{shown}:{port}", storage_url=url, key_path=key_path_of(data))

    echo("卡盾 KaDun backend")
    echo(f"  地址 URL:            http://{shown}:{port}")
    echo(f"  数据目录 data:       {data}")
    echo(f"  存储 storage:        {'embedded redis ' + url if embedded else redact(url)}")
    echo(f"  扩展目录 extension:  {extension_dir()}  (chrome://extensions → 加载已解压的扩展程序 / Load unpacked)")
    if hosted:
        echo(f"  托管模式 hosted mode: 账户 accounts at http://{shown}:{port}/account "
                   "(put a TLS proxy in front: see the README's \"Hosted mode\")")
    else:
        echo("  在扩展的设置页输入配对码 (enter this pairing code in the extension's options page),")
        minutes = max(1, pairing_ttl() // 60)
        echo(f"  {minutes} 分钟内有效 (valid {minutes} minutes), 仅可使用一次 (single use); "
                   "`kadun pair` prints a new one.")
        echo(f"  配对码 pairing code: {code}", color=False)
    # Flush now: the workers are forked from this process and must not inherit unwritten output.
    sys.stdout.flush()

    master = os.getpid()
    try:
        # gunicorn's arbiter handles SIGTERM / SIGINT (stops the workers, then sys.exit), so the
        # finally below runs and the embedded server is shut down cleanly with its AOF fsynced.
        _gunicorn_app(options, RedisSupervisor(embedded) if embedded is not None else None).run()
    finally:
        # Workers are forked inside run() and leave it by SystemExit through this same frame: only
        # the master may stop Redis, else the first worker to exit (graceful stop, HUP, orphaned by
        # a killed master) would shut it down under the others' requests in flight.
        if embedded is not None and os.getpid() == master:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            embedded.stop()
