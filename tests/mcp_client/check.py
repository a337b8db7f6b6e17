#!/usr/bin/env python3
"""`kopai mcp` checked with a real MCP client: the official Python SDK (`mcp` on PyPI, the
version pinned in .ci/run). Usage: check.py path/to/kopai. Exits non-zero on any mismatch."""

import asyncio
import json
import os
import sys
import tempfile

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

import fake_kopai

EXPECTED_TOOLS = {
    "search_traces", "get_trace", "trace_summaries", "search_logs", "search_metrics",
    "discover_metrics", "services", "operations", "dashboards_list", "dashboard_get",
}


def payload(result):
    """The structured payload, checked to be the same JSON as the one text block."""
    assert len(result.content) == 1, result
    assert json.loads(result.content[0].text) == result.structuredContent, result
    return result.structuredContent


async def main(kopai):
    url = fake_kopai.start()
    home = tempfile.mkdtemp()
    env = {"HOME": home, "PATH": os.environ.get("PATH", ""), "NO_PROXY": "127.0.0.1"}
    params = StdioServerParameters(command=kopai, args=["mcp", "--url", url], env=env, cwd=home)
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            info = await session.initialize()
            assert info.serverInfo.name == "kopai", info
            tools = (await session.list_tools()).tools
            names = {tool.name for tool in tools}
            assert names == EXPECTED_TOOLS, names
            for tool in tools:
                hints = tool.annotations
                assert hints.readOnlyHint and hints.idempotentHint and hints.openWorldHint is False, tool
            services = payload(await session.call_tool("services", {}))
            assert services["count"] == 2, services
            trace = payload(await session.call_tool("get_trace", {"traceId": fake_kopai.TRACE_ID}))
            assert trace["spanCount"] == 7 and "POST /checkout" in trace["waterfall"], trace
            page = payload(await session.call_tool("search_traces", {"since": "1h", "limit": 8}))
            assert page["truncated"] is True and page["nextCursor"], page
            calls = [session.call_tool("services", {}), session.call_tool("search_logs", {"limit": 5})]
            both = await asyncio.gather(*calls)
            assert not any(r.isError for r in both), both
            refused = await session.call_tool("search_traces", {"trace_id": "x"})
            assert refused.isError, refused
            error = payload(refused)
            assert error["error"] == "invalid_input" and "traceId" in error["issues"][0], error
    print(f"kopai mcp: checked with the Python MCP SDK: {len(names)} tools, 6 calls")


if __name__ == "__main__":
    asyncio.run(main(os.path.abspath(sys.argv[1])))
