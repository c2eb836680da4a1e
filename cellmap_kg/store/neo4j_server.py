"""The project's own Neo4j 5 server: resolved from Maven Central, configured, started and stopped here.

``cellmap-kg neo4j install | start | stop | status`` call this module. A *home* folder (default
``./.cellmap-kg/neo4j``, beside the embedded FalkorDB store, or ``$CELLMAP_KG_NEO4J_HOME``) holds everything::

    <home>/pom.xml          copy of the shipped pom (``neo4j_pom.xml``: every version pinned there)
    <home>/lib/             runtime jars of ``org.neo4j:neo4j`` + Neo4j Browser (``mvn dependency:copy-dependencies``)
    <home>/plugins/         only with ``install --with-gds``: Neo4j Graph Data Science (``neo4j_gds_pom.xml``), the
                            jars of its runtime closure that ``lib/`` does not have (by group and artifact id)
    <home>/conf/neo4j.conf  written by ``configure`` (127.0.0.1 only, ports, memory, the packaged JVM options)
    <home>/password         the ``neo4j`` user's password (mode 600), from ``$NEO4J_PASSWORD`` or generated
    <home>/cds/             the class-data-sharing archive of ``lib/`` that ``install(cds=True)`` builds (``neo4j_cds``)
    <home>/data, logs, run  databases, ``logs/neo4j.log`` / ``debug.log``, ``run/neo4j.pid``
    <home>/staging/         a build's staging instance (``neo4j_rebuild``); keeps ``initial-auth.ini`` (+ ``.sha256``),
                            the password file neo4j-admin wrote for it (delete both to have neo4j-admin run again)

The server is started by Neo4j's own launcher (``org.neo4j.server.startup.Neo4jCommand start``, what the
``bin/neo4j`` script of a tarball runs): it reads ``neo4j.conf``, applies heap and ``server.jvm.additional``,
daemonizes ``org.neo4j.server.CommunityEntryPoint`` and writes ``run/neo4j.pid``. ``start`` then waits until Bolt
answers. ``stop`` signals that pid (SIGTERM) and ends the process once the server has closed its store
(``store_lock_held``; SIGKILL after ``STOP_TIMEOUT_S`` at the latest). ``neo4j-admin`` is
``org.neo4j.server.startup.Neo4jAdminCommand`` on the same classpath (``admin``).

Memory (a 2-core, 24 GiB machine that also runs FalkorDB, the API and PyTorch): heap 1-2 GiB, page cache 1 GiB;
the full cell-map graph (~100 k nodes, ~700 k relationships) takes ~0.3 GiB on disk, so it is cached whole.

Versions: Neo4j 5.26 LTS Community and Neo4j Browser 5.24 (``neo4j_pom.xml``). APOC is not installed: no library
query, analysis or export calls an ``apoc.*`` procedure. Graph Data Science 2.13 (the series for Neo4j 5.26) is
installed on request (``install(with_gds=True)``, ``cellmap-kg neo4j install --with-gds``): only the GNN
evaluation's GDS embedding baselines use it (``neo4j_gds``), and a default install stays without it.

Example::

    >>> server = Neo4jServer(Path(".cellmap-kg/neo4j"))   # doctest: +SKIP
    >>> server.start()                                    # installs first if needed   # doctest: +SKIP
    >>> server.uri, server.password                       # doctest: +SKIP
    ('bolt://127.0.0.1:7687', '...')
    >>> server.stop()                                     # doctest: +SKIP
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

from ..paths import state_path
from .base import StoreError
from .falkordb_server import pid_alive

HOME_ENV = "CELLMAP_KG_NEO4J_HOME"
DEFAULT_BOLT_PORT = 7687
DEFAULT_HTTP_PORT = 7474
START_TIMEOUT_S = 180.0
"""How long ``start`` waits for Bolt to answer (a cold JVM on a busy 2-core machine needs ~20-60 s)."""
STOP_TIMEOUT_S = 60.0
"""How long ``stop`` waits after SIGTERM before SIGKILL."""
STORE_LOCK = Path("databases") / "store_lock"
"""The DBMS's lock file in the data folder. The server holds a POSIX record lock on it (``FileChannel.tryLock``)
from start until every database is stopped: shutdown checkpoint written, transaction logs and store files closed."""
INSTALL_TIMEOUT_S = 1200.0
"""How long the Maven resolution of the jars may take (first run: ~130 MB from Maven Central)."""

LAUNCHER = "org.neo4j.server.startup.Neo4jCommand"
ADMIN = "org.neo4j.server.startup.Neo4jAdminCommand"

JVM_ADDITIONAL = (
    # The JVM options of the neo4j.conf packaged with Neo4j 5.26 (server.jvm.additional), kept as shipped.
    "-XX:+UseG1GC", "-XX:-OmitStackTraceInFastThrow", "-XX:+AlwaysPreTouch", "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields", "-XX:+DisableExplicitGC", "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true", "-Djdk.tls.ephemeralDHKeySize=2048",
    "-Djdk.tls.rejectClientInitiatedRenegotiation=true", "-XX:FlightRecorderOptions=stackdepth=256",
    "-XX:+UnlockDiagnosticVMOptions", "-XX:+DebugNonSafepoints", "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "-Dlog4j2.disable.jmx=true",
)


class Neo4jServerError(StoreError):
    """The project's Neo4j could not be installed, started or stopped (the message says why and what to do)."""


def default_home() -> Path:
    """``$CELLMAP_KG_NEO4J_HOME``, else ``./.cellmap-kg/neo4j`` (beside the default embedded store)."""
    return state_path("neo4j", HOME_ENV)


def pom_text() -> str:
    """The shipped pom (``cellmap_kg/store/neo4j_pom.xml``) that pins every Java-side version."""
    return files(__package__).joinpath("neo4j_pom.xml").read_text(encoding="utf-8")


def gds_pom_text() -> str:
    """The shipped Graph Data Science pom (``cellmap_kg/store/neo4j_gds_pom.xml``)."""
    return files(__package__).joinpath("neo4j_gds_pom.xml").read_text(encoding="utf-8")


def _pinned(text: str, prop: str) -> str:
    return text.split(f"<{prop}>", 1)[1].split("<", 1)[0]


def gds_pinned_version() -> str:
    """The Graph Data Science version pinned in the shipped GDS pom, e.g. ``"2.13.9"``."""
    return _pinned(gds_pom_text(), "gds.version")


def pom_sha256() -> str:
    """Hex SHA-256 of the shipped pom's text: what ``lib/.pom.sha256`` records of the jars resolved from it (and
    what ``neo4j_cds`` stamps an archive of those jars with)."""
    return hashlib.sha256(pom_text().encode()).hexdigest()


def neo4j_version() -> str:
    """The Neo4j version pinned in the shipped pom, e.g. ``"5.26.30"``."""
    return _pinned(pom_text(), "neo4j.version")


def require_tools() -> tuple[str, str]:
    """Paths of ``java`` and ``mvn``.

    Raises:
        Neo4jServerError: one of them is not on PATH (the message names the docker compose alternative).
    """
    found = {tool: shutil.which(tool) for tool in ("java", "mvn")}
    missing = [tool for tool, path in found.items() if path is None]
    if missing:
        raise Neo4jServerError(
            f"{' and '.join(missing)} not found on PATH: the project's Neo4j needs Java 17+ and Maven "
            "(Debian: apt-get install openjdk-17-jre-headless maven), or run Neo4j 5 with "
            "`docker compose -f docker/docker-compose.yml up neo4j` and use --store bolt://127.0.0.1:7687")
    return found["java"], found["mvn"]


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free now (the kernel's choice)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _maven(mvn: str, pom: Path, *goal: str) -> None:
    """Run ``mvn -B -q -f pom GOAL...``.

    Raises:
        Neo4jServerError: Maven timed out or failed (its last output lines are in the message).
    """
    cmd = [mvn, "-B", "-q", "-f", str(pom), *goal]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=INSTALL_TIMEOUT_S)
    except subprocess.TimeoutExpired as exc:
        raise Neo4jServerError(f"Maven did not finish within {INSTALL_TIMEOUT_S:.0f} s: {' '.join(cmd)}") from exc
    if done.returncode != 0:
        tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-15:])
        raise Neo4jServerError(f"Maven could not resolve the jars of {pom.name} (exit {done.returncode}):\n{tail}")


def _listed_artifacts(text: str) -> dict[tuple[str, str], Path]:
    """``{(group, artifact): jar}`` of ``mvn dependency:list -DoutputAbsoluteArtifactFilename=true`` output, whose
    lines read ``group:artifact:type[:classifier]:version:scope:/path/x.jar[ -- module name]``."""
    out = {}
    for line in text.splitlines():
        parts = line.strip().split(" -- ", 1)[0].split(":")
        if len(parts) >= 6 and parts[-1].endswith(".jar"):
            out[(parts[0], parts[1])] = Path(parts[-1])
    return out


def _gds_hash() -> str:
    return hashlib.sha256((pom_text() + gds_pom_text()).encode()).hexdigest()


@dataclass
class Neo4jServer:
    """The project's Neo4j 5 Community server living in ``home``.

    Args:
        home: the server's folder (see the module docstring for its layout).
        bolt_port, http_port: loopback ports (127.0.0.1 only); ``None`` keeps the ports of an existing
            ``neo4j.conf``, else 7687 / 7474.
        heap_max, pagecache: JVM max heap and page cache (Neo4j size strings, e.g. ``"2g"``).
    """

    home: Path = field(default_factory=default_home)
    bolt_port: int | None = None
    http_port: int | None = None
    heap_max: str = "2g"
    pagecache: str = "1g"
    # set by neo4j_cds.build_archive's start only (the JVM lists its classes)
    _class_list: Path | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.home = Path(self.home).absolute()
        current = self._conf_settings()
        if self.bolt_port is None:
            self.bolt_port = int(current.get("server.bolt.listen_address", f":{DEFAULT_BOLT_PORT}").rsplit(":", 1)[1])
        if self.http_port is None:
            self.http_port = int(current.get("server.http.listen_address", f":{DEFAULT_HTTP_PORT}").rsplit(":", 1)[1])

    # ------------------------------------------------------------------------------------------------ layout
    @property
    def lib_dir(self) -> Path:
        return self.home / "lib"

    @property
    def data_dir(self) -> Path:
        """``<home>/data``: databases and transaction logs (a symlink to the live generation after a rebuild)."""
        return self.home / "data"

    @property
    def plugins_dir(self) -> Path:
        return self.home / "plugins"

    @property
    def conf_dir(self) -> Path:
        return self.home / "conf"

    @property
    def conf_file(self) -> Path:
        return self.conf_dir / "neo4j.conf"

    @property
    def pid_file(self) -> Path:
        return self.home / "run" / "neo4j.pid"

    @property
    def password_file(self) -> Path:
        return self.home / "password"

    @property
    def log_file(self) -> Path:
        return self.home / "logs" / "neo4j.log"

    @property
    def uri(self) -> str:
        """The Bolt URI of this server (``bolt://127.0.0.1:<bolt_port>``), usable as ``--store``."""
        return f"bolt://127.0.0.1:{self.bolt_port}"

    @property
    def browser_url(self) -> str:
        """Neo4j Browser of this server."""
        return f"http://127.0.0.1:{self.http_port}/browser/"

    @property
    def password(self) -> str:
        """The ``neo4j`` user's password.

        Raises:
            Neo4jServerError: the server is not installed (no password file).
        """
        if not self.password_file.exists():
            raise Neo4jServerError(f"no Neo4j installed in {self.home}: run `cellmap-kg neo4j install`")
        return self.password_file.read_text(encoding="utf-8").strip()

    def _conf_settings(self) -> dict[str, str]:
        if not self.conf_file.exists():
            return {}
        out = {}
        for line in self.conf_file.read_text(encoding="utf-8").splitlines():
            if "=" in line and not line.lstrip().startswith("#"):
                key, value = line.split("=", 1)
                out.setdefault(key.strip(), value.strip())
        return out

    def _env(self) -> dict[str, str]:
        return {**os.environ, "NEO4J_HOME": str(self.home), "NEO4J_CONF": str(self.conf_dir)}

    # ------------------------------------------------------------------------------------------------ install
    def installed(self) -> bool:
        """True when ``lib/`` holds the jars of the shipped pom (its hash is recorded in ``lib/.pom.sha256``)."""
        marker = self.lib_dir / ".pom.sha256"
        return marker.exists() and marker.read_text().strip() == pom_sha256()

    def gds_installed(self) -> bool:
        """True when ``plugins/`` holds the Graph Data Science jars of the shipped GDS pom for this ``lib/``
        (the hash of both poms is recorded in ``plugins/.gds.sha256``)."""
        marker = self.plugins_dir / ".gds.sha256"
        return marker.exists() and marker.read_text().strip() == _gds_hash()

    def install(self, *, force: bool = False, with_gds: bool = False, cds: bool = False, echo=print) -> bool:
        """Resolve the jars with Maven into ``lib/`` (and with ``with_gds`` Graph Data Science into ``plugins/``),
        write ``neo4j.conf`` and set the initial password; with ``cds`` (``cellmap-kg neo4j install``), build the
        class-data-sharing archive of the jars if there is none (``neo4j_cds.build_archive``: once, ~1 min; the
        server must be stopped).

        Idempotent: does nothing but rewrite the configuration when the jars of these poms are there (``force``
        re-resolves them). The jars land in ``lib.partial/`` (``plugins.partial/``) and are renamed to ``lib/``
        (``plugins/``) only when Maven succeeded, so an interrupted install never leaves a half-filled folder.
        GDS, once installed, stays (and keeps its ``neo4j.conf`` setting) until ``plugins/`` is removed, and is
        resolved again when ``lib/`` is (a changed pom). Returns True if jars were resolved.

        Raises:
            Neo4jServerError: no ``java``/``mvn``, or Maven failed (its last output lines are in the message). An
                archive that could not be built is reported through ``echo`` (the server starts without it).
        """
        from .neo4j_cds import build_archive, cds_dir

        _, mvn = require_tools()
        self.home.mkdir(parents=True, exist_ok=True)
        resolved = False
        if force or not self.installed():
            pom = self.home / "pom.xml"
            pom.write_text(pom_text(), encoding="utf-8")
            partial = self.home / "lib.partial"
            shutil.rmtree(partial, ignore_errors=True)
            echo(f"resolving Neo4j {neo4j_version()} Community + Neo4j Browser with Maven into {self.lib_dir} "
                 "(first time: ~130 MB from Maven Central)")
            _maven(mvn, pom, "dependency:copy-dependencies", "-DincludeScope=runtime", f"-DoutputDirectory={partial}")
            (partial / ".pom.sha256").write_text(pom_sha256())
            shutil.rmtree(self.lib_dir, ignore_errors=True)
            shutil.rmtree(cds_dir(self), ignore_errors=True)  # the archive of the previous jars
            partial.rename(self.lib_dir)
            resolved = True
        opted_in = with_gds or (self.plugins_dir / ".gds.sha256").exists()  # GDS follows a re-resolved lib/
        if opted_in and (force or resolved or not self.gds_installed()):
            self._install_gds(mvn, echo)
            resolved = True
        self.configure()
        if not self.password_file.exists():
            self._set_initial_password(echo)
        if cds:
            build_archive(self, echo=echo)
        return resolved

    def _install_gds(self, mvn: str, echo) -> None:
        """Copy into ``plugins/`` the runtime closure of the GDS pom less every (group, artifact) of ``lib/``'s
        pom, both as Maven resolves them (``dependency:list``)."""
        echo(f"resolving Neo4j Graph Data Science {gds_pinned_version()} with Maven into {self.plugins_dir} "
             "(first time: ~15 MB from Maven Central)")
        gds_pom = self.home / "gds-pom.xml"
        gds_pom.write_text(gds_pom_text(), encoding="utf-8")
        (self.home / "pom.xml").write_text(pom_text(), encoding="utf-8")
        listed = {}
        for name, pom in (("neo4j", self.home / "pom.xml"), ("gds", gds_pom)):
            out = self.home / f"{name}-dependencies.txt"
            _maven(mvn, pom, "dependency:list", "-DincludeScope=runtime", f"-DoutputFile={out}",
                   "-DoutputAbsoluteArtifactFilename=true", f"-Dneo4j.version={neo4j_version()}")
            listed[name] = _listed_artifacts(out.read_text(encoding="utf-8"))
            out.unlink()
        partial = self.home / "plugins.partial"
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir()
        for key, jar in listed["gds"].items():
            if key not in listed["neo4j"]:
                shutil.copy2(jar, partial / jar.name)
        (partial / ".gds.sha256").write_text(_gds_hash())
        shutil.rmtree(self.plugins_dir, ignore_errors=True)
        partial.rename(self.plugins_dir)

    def configure(self) -> None:
        """(Re)write ``conf/neo4j.conf`` from this object's ports and memory settings (and the class-data archive's
        JVM option when there is a current one, ``neo4j_cds.jvm_options``)."""
        from .neo4j_cds import jvm_options

        self.conf_dir.mkdir(parents=True, exist_ok=True)
        settings = {
            "server.default_listen_address": "127.0.0.1",
            "server.default_advertised_address": "127.0.0.1",
            "server.bolt.listen_address": f"127.0.0.1:{self.bolt_port}",
            "server.bolt.advertised_address": f"127.0.0.1:{self.bolt_port}",
            "server.http.listen_address": f"127.0.0.1:{self.http_port}",
            "server.http.advertised_address": f"127.0.0.1:{self.http_port}",
            "server.https.enabled": "false",
            "dbms.security.auth_enabled": "true",
            "server.memory.heap.initial_size": "1g",
            "server.memory.heap.max_size": self.heap_max,
            "server.memory.pagecache.size": self.pagecache,
            "dbms.usage_report.enabled": "false",
            "client.allow_telemetry": "false",  # Neo4j Browser: no product analytics either
            # Neo4j Browser may fetch :play guides and :style files from these hosts (cellmap-kg serve's guide and
            # style, cellmap_kg/browser); the first two are the default. Neo4j 5.26 declares the setting by this
            # name (ServerSettings in neo4j-server; strict validation rejects "..._allowlist").
            "browser.remote_content_hostname_whitelist": "guides.neo4j.com,localhost,127.0.0.1",
            "server.directories.data": str(self.data_dir),
            "server.directories.logs": str(self.home / "logs"),
            "server.directories.plugins": str(self.plugins_dir),
            "server.directories.import": str(self.home / "import"),
            "server.directories.run": str(self.home / "run"),
            # resolved: a staging instance's lib/ links to the live one, whose class-data archive it shares only
            # with the same class path (neo4j_cds)
            "server.directories.lib": str(self.lib_dir.resolve()),
            "db.tx_log.rotation.retention_policy": "2 files",
        }
        if self.gds_installed():
            # GDS procedures read the kernel's internals: Neo4j loads them only when listed here (GDS docs,
            # "Installation": dbms.security.procedures.unrestricted=gds.*).
            settings["dbms.security.procedures.unrestricted"] = "gds.*"
        lines = ["# Written by cellmap-kg (cellmap_kg/store/neo4j_server.py); `cellmap-kg neo4j start` rewrites it.",
                 *(f"{k}={v}" for k, v in settings.items()),
                 *(f"server.jvm.additional={opt}" for opt in JVM_ADDITIONAL + jvm_options(self, self._class_list))]
        tmp = self.conf_file.with_suffix(".tmp")
        tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
        tmp.replace(self.conf_file)

    def _set_initial_password(self, echo) -> None:
        given = os.environ.get("NEO4J_PASSWORD")
        password = given or secrets.token_urlsafe(18)
        if len(password) < 8:
            raise Neo4jServerError("NEO4J_PASSWORD must have at least 8 characters (Neo4j's minimum)")
        self.admin("dbms", "set-initial-password", "--", password)  # "--": a password may begin with "-"
        self.password_file.write_text(password + "\n", encoding="utf-8")
        self.password_file.chmod(0o600)
        if not given:
            echo(f"generated password for user neo4j: {password}  (stored in {self.password_file})")

    def admin(self, *args: str, timeout: float = 900.0) -> subprocess.CompletedProcess:
        """Run ``neo4j-admin ARGS`` (``Neo4jAdminCommand``) against this home; returns the finished process.

        Raises:
            Neo4jServerError: not installed, or neo4j-admin exited non-zero (its output is in the message).
        """
        java, _ = require_tools()
        if not self.lib_dir.exists():
            raise Neo4jServerError(f"no Neo4j installed in {self.home}: run `cellmap-kg neo4j install`")
        cmd = [java, "-cp", f"{self.lib_dir}/*", ADMIN, *args]
        done = subprocess.run(cmd, capture_output=True, text=True, env=self._env(), timeout=timeout)
        if done.returncode != 0:
            tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-20:])
            raise Neo4jServerError(f"neo4j-admin {' '.join(args[:3])} failed (exit {done.returncode}):\n{tail}")
        return done

    # ------------------------------------------------------------------------------------------------ run
    def pid(self) -> int | None:
        """The pid of this home's running server, or None (a stale pid file is removed)."""
        try:
            pid = int(self.pid_file.read_text().strip())
        except (OSError, ValueError):
            return None
        if pid_alive(pid):
            return pid
        self.pid_file.unlink(missing_ok=True)
        return None

    def bolt_answers(self, timeout: float = 5.0) -> bool:
        """True when Bolt accepts this home's credentials and runs ``RETURN 1``."""
        from neo4j import GraphDatabase
        from neo4j.exceptions import AuthError, DriverError, Neo4jError

        try:
            with GraphDatabase.driver(self.uri, auth=("neo4j", self.password), connection_timeout=timeout) as drv:
                drv.verify_connectivity()
                return True
        except AuthError as exc:
            raise Neo4jServerError(f"Neo4j at {self.uri} rejects the password in {self.password_file}: {exc}") from exc
        except (DriverError, Neo4jError, OSError):
            return False

    def start(self, *, timeout: float = START_TIMEOUT_S, echo=print, class_list: Path | None = None) -> None:
        """Install if needed, write the configuration, start the server in the background and wait for Bolt.

        Does nothing but check Bolt when this home's server already runs. ``class_list``: the JVM lists the classes
        it loads there (``neo4j_cds.build_archive``), and the archive is not used.

        Raises:
            Neo4jServerError: a port is taken by another program, the launcher failed, or Bolt did not answer
                within ``timeout`` s (the end of ``logs/neo4j.log`` is in the message).
        """
        if self.pid() is not None:
            self._wait_bolt(timeout)
            return
        from .neo4j_rebuild import recover

        recover(self.home)  # finish a data-folder swap interrupted by a kill (atomic rebuilds)
        self._class_list = class_list
        try:
            self.install(echo=echo)
        finally:
            self._class_list = None
        for name, port in (("Bolt", self.bolt_port), ("HTTP", self.http_port)):
            if not _port_free(port):
                raise Neo4jServerError(f"{name} port 127.0.0.1:{port} is in use by another program: choose another "
                                       f"with `cellmap-kg neo4j start --{name.lower()}-port N`")
        java, _ = require_tools()
        (self.home / "logs").mkdir(parents=True, exist_ok=True)
        echo(f"starting Neo4j {neo4j_version()} in {self.home} (Bolt {self.uri}, Browser {self.browser_url})")
        # The launcher daemonizes the server, which inherits the launcher's stdout/stderr: they go to a file, not
        # to a pipe that would stay open (and block a reader) for as long as the server runs.
        launcher_log = self.home / "logs" / "launcher.log"
        with launcher_log.open("w") as out:
            try:
                done = subprocess.run([java, "-cp", f"{self.lib_dir}/*", LAUNCHER, "start"], stdout=out,
                                      stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=self._env(),
                                      timeout=timeout, start_new_session=True)
            except subprocess.TimeoutExpired as exc:  # a slow launcher on a loaded machine: the server may be up
                done = subprocess.CompletedProcess(exc.cmd, 0 if self.pid() else 1)
        if done.returncode != 0 or self.pid() is None:
            said = launcher_log.read_text(encoding="utf-8", errors="replace").strip()[-1500:]
            raise Neo4jServerError(f"the Neo4j launcher failed (exit {done.returncode}): {said}\n{self._log_tail()}")
        self._wait_bolt(timeout)

    def _wait_bolt(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.bolt_answers():
                return
            if self.pid() is None:
                raise Neo4jServerError(f"Neo4j in {self.home} exited during start-up\n{self._log_tail()}")
            time.sleep(0.5)
        raise Neo4jServerError(f"Neo4j in {self.home} did not answer on {self.uri} within {timeout:.0f} s\n"
                               f"{self._log_tail()}")

    def _log_tail(self, lines: int = 15) -> str:
        if not self.log_file.exists():
            return f"(no log at {self.log_file})"
        tail = self.log_file.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]
        return f"last lines of {self.log_file}:\n" + "\n".join(tail)

    def stop(self, *, timeout: float = STOP_TIMEOUT_S) -> bool:
        """Stop this home's server (``stop_servers``); False if none ran."""
        return stop_servers([self], timeout=timeout)[0]

    def status(self) -> dict:
        """What runs where: ``{home, version, installed, gds, running, pid, bolt, browser, passwordFile}``
        (``gds``: the installed Graph Data Science version, or None)."""
        pid = self.pid()
        return {"home": str(self.home), "version": neo4j_version(), "installed": self.installed(),
                "gds": gds_pinned_version() if self.gds_installed() else None, "running": pid is not None,
                "pid": pid, "bolt": self.uri, "browser": self.browser_url,
                "passwordFile": str(self.password_file) if self.password_file.exists() else None}


def store_lock_held(data_dir: Path) -> bool:
    """True while a Neo4j process holds the store lock of ``data_dir`` (``STORE_LOCK``); False when the file is
    missing or free. The test takes and drops the same POSIX record lock (``fcntl.lockf``), without waiting."""
    try:
        fd = os.open(data_dir / STORE_LOCK, os.O_RDWR)
    except OSError:
        return False
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    else:
        fcntl.lockf(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)


def stop_servers(servers: list[Neo4jServer], *, timeout: float = STOP_TIMEOUT_S) -> list[bool]:
    """Stop several project servers at once; per server, True if one ran.

    Each gets SIGTERM first (they shut down side by side). A server whose store lock was seen held and is then
    free has stopped every database (Neo4j 5 releases the lock after the shutdown checkpoint and closing its files,
    ~0.1-1 s after SIGTERM here) and is then ended with SIGKILL: what is left of a Neo4j 5.26 shutdown is the
    graceful close of Bolt's connectors and event loops, which took another ~10 s on this machine (``debug.log``:
    "Shutting down Bolt server" to "Bolt server has been shut down") and touches no data. A server whose lock was
    never seen held (still starting, or no data folder) is waited for until it exits. SIGKILL after ``timeout`` s
    at the latest.
    """
    running = {}
    for server in servers:
        pid = server.pid()
        if pid is not None:
            os.kill(pid, signal.SIGTERM)
            running[pid] = server
    deadline = time.monotonic() + timeout
    locked = {pid for pid, server in running.items() if store_lock_held(server.data_dir)}
    waiting = set(running)
    while waiting:
        for pid in list(waiting):
            if not pid_alive(pid):
                waiting.discard(pid)
                continue
            held = store_lock_held(running[pid].data_dir)
            if held:
                locked.add(pid)
            if (pid in locked and not held) or time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                _wait_gone(pid)
                waiting.discard(pid)
        if waiting:
            time.sleep(0.05)
    for server in running.values():
        server.pid_file.unlink(missing_ok=True)
    stopped = {id(server) for server in running.values()}
    return [id(server) in stopped for server in servers]


def _wait_gone(pid: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while pid_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.02)


def managed_server(driver_uri: str) -> Neo4jServer | None:
    """The project's Neo4j in ``default_home()`` if ``driver_uri`` is its Bolt address (``bolt://127.0.0.1:PORT``
    or ``localhost``) and it is installed, else None (a server the project does not manage)."""
    from urllib.parse import urlparse

    parsed = urlparse(driver_uri)
    server = Neo4jServer(default_home())
    if parsed.hostname not in ("127.0.0.1", "localhost") or parsed.port != server.bolt_port:
        return None
    return server if server.password_file.exists() else None


def local_password(driver_uri: str) -> str | None:
    """The stored password of ``managed_server(driver_uri)``, else None. Lets ``--store bolt://127.0.0.1:7687``
    work without ``NEO4J_PASSWORD`` after ``cellmap-kg neo4j start``."""
    server = managed_server(driver_uri)
    return server.password if server else None
