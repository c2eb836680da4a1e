"""Settings of the REST API, from arguments (``cellmap-kg serve``) or environment variables (Docker, uvicorn).

Environment variables (all optional):

=====================================  =======================================================================
``CELLMAP_KG_STORE``                   store URI (default: ``./.cellmap-kg``, see ``cellmap_kg.store``)
``CELLMAP_KG_API_CYPHER``              ``1``/``true`` enables ``POST /cypher`` (read-only Cypher); default off
``CELLMAP_KG_API_MAP_WRITES``          ``1``/``true`` enables adding, removing and comparing maps (``/maps``); off
``CELLMAP_KG_API_CYPHER_TIMEOUT_MS``   timeout of one ``/cypher`` query in ms (default 5000)
``CELLMAP_KG_API_CYPHER_MAX_ROWS``     rows returned by ``/cypher`` at most (default 1000)
``CELLMAP_KG_API_QUERY_TIMEOUT_MS``    timeout of library queries and endpoint reads in ms (default 30000)
``CELLMAP_KG_API_CORS_ORIGINS``        comma-separated origins allowed by CORS (default none: CORS off)
``CELLMAP_KG_API_MAX_CONCURRENCY``     store queries in flight at most (default 16)
``CELLMAP_KG_API_CACHE_ENTRIES``       answers kept by the response cache (default 4096; 0 disables it)
=====================================  =======================================================================
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

ENV_PREFIX = "CELLMAP_KG_API_"
_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off", ""}


@dataclass(frozen=True)
class ApiSettings:
    """How the API reaches its store and what it allows.

    Attributes:
        store_uri: store URI (``None``: ``cellmap_kg.store.default_uri()``).
        cypher_enabled: serve ``POST /cypher`` (otherwise it answers 403).
        map_writes_enabled: serve ``POST /maps``, ``DELETE /maps/{name}`` and ``POST /maps/{a}/compare/{b}``,
            which write to the graph (otherwise they answer 403).
        cypher_timeout_ms: timeout of one ``/cypher`` query (ms).
        cypher_max_rows: rows returned by ``/cypher`` at most; more are cut and flagged ``truncated``.
        query_timeout_ms: timeout of library queries and of the reads behind the other endpoints (ms).
        cors_origins: origins allowed by CORS (empty: no CORS headers).
        max_concurrency: store queries running at once at most; further requests wait up to
            ``acquire_timeout_s`` and then get 503.
        acquire_timeout_s: seconds a request waits for a store slot.
        counts_ttl_s: seconds ``/health`` caches the node/relationship counts.
        cache_entries: answers kept by the exact response cache (keyed by the graph's build, see
            ``cellmap_kg.api.cache``); 0 disables it.
    """

    store_uri: str | None = None
    cypher_enabled: bool = False
    map_writes_enabled: bool = False
    cypher_timeout_ms: int = 5000
    cypher_max_rows: int = 1000
    query_timeout_ms: int = 30000
    cors_origins: tuple[str, ...] = ()
    max_concurrency: int = 16
    acquire_timeout_s: float = 30.0
    counts_ttl_s: float = 60.0
    cache_entries: int = 4096

    def __post_init__(self) -> None:
        for name in ("cypher_timeout_ms", "cypher_max_rows", "query_timeout_ms", "max_concurrency"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                raise ValueError(f"ApiSettings.{name} must be a positive integer, got {value!r}")
        if not isinstance(self.cache_entries, int) or isinstance(self.cache_entries, bool) or self.cache_entries < 0:
            raise ValueError(f"ApiSettings.cache_entries must be an integer >= 0, got {self.cache_entries!r}")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ApiSettings:
        """Settings from environment variables (module docstring). Raises ``ValueError`` naming a bad variable."""
        env = os.environ if environ is None else environ

        def integer(name: str, default: int) -> int:
            raw = env.get(ENV_PREFIX + name)
            if raw is None or not raw.strip():
                return default
            try:
                return int(raw)
            except ValueError:
                raise ValueError(f"{ENV_PREFIX}{name}={raw!r}: expected an integer") from None

        def flag(name: str) -> bool:
            raw = env.get(ENV_PREFIX + name, "").strip().lower()
            if raw not in _TRUE | _FALSE:
                raise ValueError(f"{ENV_PREFIX}{name}={raw!r}: expected 1/0, true/false, yes/no or on/off")
            return raw in _TRUE

        origins = tuple(o.strip() for o in env.get(ENV_PREFIX + "CORS_ORIGINS", "").split(",") if o.strip())
        defaults = cls()
        return cls(
            store_uri=env.get("CELLMAP_KG_STORE") or None,
            cypher_enabled=flag("CYPHER"),
            map_writes_enabled=flag("MAP_WRITES"),
            cypher_timeout_ms=integer("CYPHER_TIMEOUT_MS", defaults.cypher_timeout_ms),
            cypher_max_rows=integer("CYPHER_MAX_ROWS", defaults.cypher_max_rows),
            query_timeout_ms=integer("QUERY_TIMEOUT_MS", defaults.query_timeout_ms),
            cors_origins=origins,
            max_concurrency=integer("MAX_CONCURRENCY", defaults.max_concurrency),
            cache_entries=integer("CACHE_ENTRIES", defaults.cache_entries),
        )

    def to_env(self) -> dict[str, str]:
        """The environment variables that ``from_env`` turns back into these settings (for worker processes)."""
        env = {
            ENV_PREFIX + "CYPHER": "1" if self.cypher_enabled else "0",
            ENV_PREFIX + "MAP_WRITES": "1" if self.map_writes_enabled else "0",
            ENV_PREFIX + "CYPHER_TIMEOUT_MS": str(self.cypher_timeout_ms),
            ENV_PREFIX + "CYPHER_MAX_ROWS": str(self.cypher_max_rows),
            ENV_PREFIX + "QUERY_TIMEOUT_MS": str(self.query_timeout_ms),
            ENV_PREFIX + "CORS_ORIGINS": ",".join(self.cors_origins),
            ENV_PREFIX + "MAX_CONCURRENCY": str(self.max_concurrency),
            ENV_PREFIX + "CACHE_ENTRIES": str(self.cache_entries),
        }
        if self.store_uri:
            env["CELLMAP_KG_STORE"] = self.store_uri
        return env
