import http from "node:http";
import type { AddressInfo } from "node:net";
import { PubSub } from "@google-cloud/pubsub";
import { afterEach, expect, it } from "vitest";
import type { HealthRow } from "../../src/cli/orchestrator/health_command";
import { TRANSITION_NAMES } from "../../src/config/transition_defaults";
import { type Orchestrator, route } from "../../src/http/orchestrator_app";
import { describeWithEmulators } from "../../src/testing/emulator_suite";
import { type PipelineFixture, pipelineFixture } from "./pipeline_fixture";

/** Serves one orchestrator's routes on 127.0.0.1, recording the Authorization headers. */
async function serve(orchestrator: Orchestrator, seen: string[]) {
  const server = http.createServer(async (req, res) => {
    seen.push(String(req.headers.authorization ?? ""));
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const reply = await route(orchestrator, {
      method: req.method ?? "GET",
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body: undefined,
    });
    res.writeHead(reply.status, { "content-type": "application/json" });
    res.end(JSON.stringify(reply.body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(r)) };
}

describeWithEmulators("orchestrator health", () => {
  let fx: PipelineFixture;
  const servers: { close: () => Promise<unknown> }[] = [];
  afterEach(async () => {
    await Promise.all(servers.map((s) => s.close()));
    servers.length = 0;
    await fx?.close();
  });

  it("calls /ready on each function and names the one that is not ready", async () => {
    // A generous limit: a fresh client's first call opens its channel, which can be slow.
    fx = await pipelineFixture({ READY_TIMEOUT_MS: "10000" });
    const pubsub = new PubSub({ projectId: fx.projectId });
    // Phase 4's completion topic is missing: that function cannot be ready.
    for (const name of ["phase2-to-phase3", "phase3-to-phase4"] as const) {
      await pubsub.createTopic(fx.orchestrators[name].config.completionTopic);
    }
    await pubsub.close();
    const seen: string[] = [];
    const urls: string[] = [];
    for (const name of TRANSITION_NAMES) {
      const server = await serve(fx.orchestrators[name], seen);
      servers.push(server);
      urls.push(server.url);
    }
    const args = ["--url-phase3", urls[0], "--url-phase4", urls[1], "--url-phase5", urls[2]];
    const json = await fx.cli("health", ...(args as string[]), "--token", "local-token", "--json");
    expect(json.code).toBe(1);
    const rows = JSON.parse(json.stdout) as HealthRow[];
    expect(
      rows.map((r) => [r.function, r.status, r.httpStatus]),
      json.stdout,
    ).toEqual([
      ["phase2-to-phase3", "ready", 200],
      ["phase3-to-phase4", "ready", 200],
      ["phase4-to-phase5", "not_ready", 503],
    ]);
    expect(rows[2]?.dependencies["pubsub:nba-phase4-precompute-complete"]).toMatchObject({
      ok: false,
      error: "topic_not_found",
    });
    expect(seen).toEqual(Array(3).fill("Bearer local-token"));

    const table = await fx.cli("health", ...(args as string[]), "--no-auth");
    expect(table.stdout).toMatch(/^FUNCTION\s+STATUS\s+HTTP\s+DEPENDENCIES$/m);
    expect(table.stdout).toMatch(
      /^phase4-to-phase5\s+not_ready\s+503\s+.*pubsub:nba-phase4-precompute-complete DOWN \(topic_not_found\)/m,
    );
    expect(seen.slice(3)).toEqual(["", "", ""]);
  });

  it("reports a function it cannot reach", async () => {
    fx = await pipelineFixture();
    const dead = "http://127.0.0.1:9";
    const run = await fx.cli(
      "health",
      "--url-phase3",
      dead,
      "--url-phase4",
      dead,
      "--url-phase5",
      dead,
      "--no-auth",
    );
    expect(run.code).toBe(1);
    expect(run.stdout.match(/unreachable/g)).toHaveLength(3);
  });
});
