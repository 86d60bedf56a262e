import type { ObservedRequest } from "./host_protocol";
import type { Timeline } from "./timeline";

/** Every push delivery the functions answered, in order. */
export class DeliveryLog {
  readonly deliveries: ObservedRequest[] = [];

  constructor(private readonly timeline: Timeline) {}

  /** Records one request the functions host observed; only Pub/Sub pushes are kept. */
  record(request: ObservedRequest): void {
    if (request.method !== "POST") return;
    this.deliveries.push(request);
    const what = request.summary ?? "(unreadable message)";
    this.timeline.add(
      "deliver",
      `${request.function} <- ${what}: ${request.status} ${outcome(request.responseBody)}`,
    );
  }

  /** Whether the function acknowledged (answered 2xx) the message `messageId`. */
  acknowledged(messageId: string): boolean {
    return this.deliveries.some((d) => d.messageId === messageId && d.status < 300);
  }

  /** Deliveries answered with something other than 2xx: Pub/Sub redelivers these. */
  refused(): ObservedRequest[] {
    return this.deliveries.filter((d) => d.status >= 300);
  }
}

/** `waiting`, `triggered`, `already_triggered (duplicate)`, or the body itself. */
function outcome(responseBody: string): string {
  try {
    const body = JSON.parse(responseBody) as {
      status?: unknown;
      duplicate?: unknown;
      reason?: unknown;
    };
    const parts = [String(body.status ?? "")];
    if (body.duplicate === true) parts.push("(duplicate)");
    if (typeof body.reason === "string") parts.push(`- ${body.reason}`);
    return parts.join(" ");
  } catch {
    return responseBody;
  }
}
