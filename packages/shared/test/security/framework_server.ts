import type { Server } from "node:http";
import { http } from "@google-cloud/functions-framework";
import { getTestServer } from "@google-cloud/functions-framework/testing";
import { httpHandler, type Orchestrator } from "../../src/http/orchestrator_app";

let registered = 0;

/** Serves `orchestrator` through the real Functions Framework on 127.0.0.1; returns its URL. */
export async function serveThroughFramework(
  orchestrator: Orchestrator,
): Promise<{ base: string; close: () => Promise<void> }> {
  const entryPoint = `securityTarget${++registered}`;
  http(entryPoint, httpHandler(orchestrator));
  const server: Server = getTestServer(entryPoint);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  return { base, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
