"""Raw JSON-RPC for the scenario runner: one persistent HTTP connection (keep-alive), single requests
and batches, no middleware.

web3's HTTP provider goes through ``requests``, which looks the proxy settings of the environment up
again on every request (a millisecond or more each); a runner that talks to a local node thousands
of times per scenario keeps one ``http.client`` connection open instead. Nodes that are not reached
over HTTP (IPC, the in-process provider) go through web3's own ``make_request``.
"""

from __future__ import annotations

import http.client
import json
from typing import Any
from urllib.parse import urlsplit


class RpcError(Exception):
    """A JSON-RPC error answer (``data`` holds revert data when there is any)."""

    def __init__(self, message: str, data: Any = None) -> None:
        super().__init__(message)
        self.data = data


def _result(answer: Any) -> Any:
    if not isinstance(answer, dict):
        raise RpcError(f"not a JSON-RPC answer: {answer!r}")
    if "error" in answer and answer["error"] is not None:
        err = answer["error"]
        if isinstance(err, dict):
            raise RpcError(str(err.get("message", err)), err.get("data"))
        raise RpcError(str(err))
    return answer.get("result")


class JsonRpc:
    """JSON-RPC over one keep-alive HTTP connection (reopened once if the node closed it)."""

    def __init__(self, uri: str, timeout: float = 60.0) -> None:
        parts = urlsplit(uri)
        if parts.scheme not in ("http", "https"):
            raise ValueError(f"not an HTTP JSON-RPC endpoint: {uri}")
        self._https = parts.scheme == "https"
        self._host = parts.hostname or "127.0.0.1"
        self._port = parts.port or (443 if self._https else 80)
        self._path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        self._timeout = timeout
        self._conn: http.client.HTTPConnection | None = None
        self._id = 0
        self.requests = 0  # round trips made (a batch is one)

    def _connect(self) -> http.client.HTTPConnection:
        cls = http.client.HTTPSConnection if self._https else http.client.HTTPConnection
        return cls(self._host, self._port, timeout=self._timeout)

    def _post(self, payload: Any) -> Any:
        body = json.dumps(payload, separators=(",", ":")).encode()
        headers = {"Content-Type": "application/json", "Connection": "keep-alive"}
        for attempt in (0, 1):
            if self._conn is None:
                self._conn = self._connect()
            try:
                self._conn.request("POST", self._path, body, headers)
                resp = self._conn.getresponse()
                raw = resp.read()
            except (http.client.HTTPException, ConnectionError, OSError):
                self.close()
                if attempt:
                    raise
                continue
            self.requests += 1
            if resp.status != 200:
                raise RpcError(f"HTTP {resp.status} from the node: {raw[:200]!r}")
            return json.loads(raw)
        raise AssertionError("unreachable")

    def request(self, method: str, params: list[Any]) -> Any:
        """One call; its result, or RpcError."""
        self._id += 1
        return _result(self._post({"jsonrpc": "2.0", "id": self._id, "method": method, "params": params}))

    def batch(self, calls: list[tuple[str, list[Any]]]) -> list[Any]:
        """Several calls in one round trip; each item is the call's result or its RpcError (in order).

        The node may run a batch's calls concurrently: batch only calls that do not depend on each
        other (reads, receipts), never transactions whose order matters."""
        if not calls:
            return []
        first = self._id + 1
        self._id += len(calls)
        answers = self._post([{"jsonrpc": "2.0", "id": first + i, "method": m, "params": p}
                              for i, (m, p) in enumerate(calls)])
        if isinstance(answers, dict):  # a node that refuses batches answers with one error
            _result(answers)
            raise RpcError(f"batch refused: {answers!r}")
        by_id = {a.get("id"): a for a in answers if isinstance(a, dict)}
        out: list[Any] = []
        for i in range(len(calls)):
            try:
                out.append(_result(by_id.get(first + i)))
            except RpcError as err:
                out.append(err)
        return out

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            finally:
                self._conn = None


class Web3Rpc:
    """The same interface through web3's provider (IPC, the in-process provider, anything not HTTP)."""

    def __init__(self, provider: Any) -> None:
        self._provider = provider
        self.requests = 0

    def request(self, method: str, params: list[Any]) -> Any:
        self.requests += 1
        return _result(self._provider.make_request(method, params))

    def batch(self, calls: list[tuple[str, list[Any]]]) -> list[Any]:
        out: list[Any] = []
        for m, p in calls:
            try:
                out.append(self.request(m, p))
            except RpcError as err:
                out.append(err)
        return out

    def close(self) -> None:
        pass


def connect_rpc(web3_provider: Any) -> JsonRpc | Web3Rpc:
    """A persistent HTTP client where web3 itself talks HTTP to the node, else web3's provider."""
    uri = getattr(web3_provider, "endpoint_uri", None)
    if isinstance(uri, str) and uri.startswith(("http://", "https://")):
        return JsonRpc(uri)
    return Web3Rpc(web3_provider)
