"""The runner's raw JSON-RPC client against a real local HTTP server (no chain): one keep-alive
connection for many requests, batch answers matched to their calls by id whatever order the
server answers in, error answers raised with their revert data, and a connection the node closed
reopened once."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from carbonchain.scenario.rpc import JsonRpc, RpcError, connect_rpc


class Node(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive
    connections: list[object] = []
    close_next = False

    def setup(self) -> None:
        super().setup()
        Node.connections.append(self.client_address)

    def answer(self, call: dict) -> dict:
        if call["method"] == "fail":
            return {"jsonrpc": "2.0", "id": call["id"], "error": {"code": 3, "message": "execution reverted",
                                                                    "data": "0x3712d445" + "00" * 32}}
        return {"jsonrpc": "2.0", "id": call["id"], "result": [call["method"], call["params"]]}

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        out = [self.answer(c) for c in reversed(body)] if isinstance(body, list) else self.answer(body)
        raw = json.dumps(out).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        if Node.close_next:
            self.send_header("Connection", "close")
            self.close_connection = True
            Node.close_next = False
        self.end_headers()
        self.wfile.write(raw)

    def log_message(self, *_a: object) -> None:
        pass


@pytest.fixture
def node():
    Node.connections = []
    Node.close_next = False
    server = ThreadingHTTPServer(("127.0.0.1", 0), Node)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_many_requests_share_one_connection(node):
    rpc = JsonRpc(node)
    for i in range(20):
        assert rpc.request("eth_blockNumber", [i]) == ["eth_blockNumber", [i]]
    assert len(Node.connections) == 1 and rpc.requests == 20


def test_a_batch_answers_in_the_order_of_its_calls_and_keeps_errors_in_place(node):
    rpc = JsonRpc(node)
    got = rpc.batch([("a", [1]), ("fail", []), ("c", [3])])  # the server answers in reverse order
    assert got[0] == ["a", [1]] and got[2] == ["c", [3]]
    assert isinstance(got[1], RpcError) and got[1].data.startswith("0x3712d445")
    assert rpc.requests == 1 and rpc.batch([]) == []


def test_an_error_answer_is_raised_with_its_revert_data(node):
    with pytest.raises(RpcError, match="execution reverted") as err:
        JsonRpc(node).request("fail", [])
    assert err.value.data == "0x3712d445" + "00" * 32


def test_a_connection_the_node_closed_is_reopened(node):
    rpc = JsonRpc(node)
    Node.close_next = True
    assert rpc.request("a", []) == ["a", []]
    assert rpc.request("b", []) == ["b", []]
    assert len(Node.connections) == 2


def test_the_in_process_provider_goes_through_web3_and_an_http_node_gets_its_own_connection(node, chain):
    from carbonchain.scenario.rpc import Web3Rpc

    rpc = connect_rpc(chain.provider.web3.provider)
    assert isinstance(rpc, Web3Rpc)
    head = rpc.request("eth_blockNumber", [])
    assert (int(head, 16) if isinstance(head, str) else head) == chain.blocks.head.number
    assert isinstance(rpc.batch([("eth_nope", [])])[0], RpcError)
    from web3 import HTTPProvider

    assert isinstance(connect_rpc(HTTPProvider(node)), JsonRpc)
