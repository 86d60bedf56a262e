import { existsSync, readFileSync } from "node:fs";
import { isBuiltin } from "node:module";
import { dirname, join, resolve } from "node:path";
import { ConfigurationError } from "../errors";

/** Workspace packages are inlined; anything under this scope left external is a bug. */
export const WORKSPACE_SCOPE = "@orchestrator/";

/** An import esbuild left external, and the file that made it. */
export interface ExternalImport {
  specifier: string;
  /** Absolute path of the importing file, where resolution starts. */
  importer: string;
}

/** `@scope/name/sub` → `@scope/name`, `name/sub` → `name`; null for builtins and relatives. */
export function packageNameOf(specifier: string): string | null {
  if (isBuiltin(specifier) || specifier.startsWith(".") || specifier.startsWith("/")) return null;
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] ?? null);
}

/**
 * Exact versions of the npm packages the bundle imports, read from the package each
 * importer really resolves to (through pnpm's links), so the deployed install gets the
 * version the tests ran against.
 */
export function resolveExternalVersions(imports: ExternalImport[]): Record<string, string> {
  const versions = new Map<string, string>();
  for (const { specifier, importer } of imports) {
    const name = packageNameOf(specifier);
    if (name === null) continue;
    if (name.startsWith(WORKSPACE_SCOPE)) {
      throw new ConfigurationError(`workspace package ${name} was left external by ${importer}`);
    }
    const version = installedVersion(name, dirname(importer));
    const seen = versions.get(name);
    if (seen !== undefined && seen !== version) {
      throw new ConfigurationError(
        `${name} resolves to both ${seen} and ${version}; one bundle can ship only one`,
      );
    }
    versions.set(name, version);
  }
  return Object.fromEntries([...versions].sort(([a], [b]) => a.localeCompare(b)));
}

function installedVersion(name: string, fromDir: string): string {
  for (let dir = resolve(fromDir); ; dir = dirname(dir)) {
    const manifest = join(dir, "node_modules", name, "package.json");
    if (existsSync(manifest)) {
      const { version } = JSON.parse(readFileSync(manifest, "utf8")) as { version?: unknown };
      if (typeof version !== "string") throw new ConfigurationError(`${manifest} has no version`);
      return version;
    }
    if (dirname(dir) === dir) {
      throw new ConfigurationError(`${name} is imported but not installed (from ${fromDir})`);
    }
  }
}
