import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

/** A request the fake prediction coordinator received. */
export interface CoordinatorRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

/** A loopback stand-in for the prediction coordinator that answers scripted statuses. */
export interface CoordinatorServer {
  url: string;
  requests: CoordinatorRequest[];
  /** Statuses for the next requests, in order; afterwards 200. */
  answer(...statuses: number[]): void;
  close(): Promise<void>;
}

/** Starts the stand-in on 127.0.0.1 and a free port. */
export async function startCoordinatorServer(): Promise<CoordinatorServer> {
  const requests: CoordinatorRequest[] = [];
  const statuses: number[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      requests.push({
        path: req.url ?? "",
        headers: req.headers,
        body: JSON.parse(Buffer.concat(chunks).toString("utf8") || "null"),
      });
      res.writeHead(statuses.shift() ?? 200, { "content-type": "application/json" });
      res.end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    answer: (...s) => void statuses.push(...s),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
