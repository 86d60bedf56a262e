import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium } from "playwright-core";
import { describe } from "vitest";

/** Debian's `chromium` package installs here (`apt-get install -y chromium`). */
export const CHROMIUM_PATH = "/usr/bin/chromium";

const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/**
 * `describe` for suites that need Chromium: skipped with a loud message where it is missing,
 * and failing instead when REQUIRE_CHROMIUM=1 (CI sets it once the package is installed).
 */
export function describeWithChromium(name: string, body: () => void): void {
  if (existsSync(CHROMIUM_PATH)) {
    describe(name, body);
    return;
  }
  const message =
    `\n!!! SKIPPED "${name}": ${CHROMIUM_PATH} not found. ` +
    "Install it with `apt-get install -y chromium` (Debian) to run the status page test.\n";
  if (process.env.REQUIRE_CHROMIUM === "1") {
    throw new Error(`REQUIRE_CHROMIUM=1 but ${CHROMIUM_PATH} is missing`);
  }
  process.stderr.write(message);
  describe.skip(name, body);
}

/** A headless Chromium with a fresh profile that is deleted on close. */
export async function openChromium(): Promise<{
  context: BrowserContext;
  close: () => Promise<void>;
}> {
  const profile = mkdtempSync(join(tmpdir(), "status-page-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 900 },
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
