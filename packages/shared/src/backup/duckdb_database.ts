import { resolve } from "node:path";
import {
  type DuckDBConnection,
  DuckDBInstance,
  type DuckDBType,
  type DuckDBValue,
} from "@duckdb/node-api";

/**
 * One DuckDB file opened once per process and shared by every store on that path: DuckDB
 * lets only one process write a file, and several orchestrators run in one demo process.
 * Statements run one at a time on one connection, so concurrent writers never meet a
 * transaction conflict; the local write rate (a few per second at most) allows it.
 */
export class SharedDuckDb {
  private users = 0;
  private tail: Promise<unknown> = Promise.resolve();

  private constructor(
    /** Registry key: the absolute path, or a unique key for an in-memory database. */
    readonly key: string,
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  /** Runs one statement after every earlier one has finished; returns rows as JSON values. */
  run(
    sql: string,
    values: Record<string, DuckDBValue> = {},
    types?: Record<string, DuckDBType>,
  ): Promise<Record<string, unknown>[]> {
    const result = this.tail.then(async () => {
      const reader = await this.connection.runAndReadAll(sql, values, types);
      return reader.getRowObjectsJson() as Record<string, unknown>[];
    });
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Opens `path` or joins the store already open on it. `:memory:` is never shared. */
  static async acquire(path: string): Promise<SharedDuckDb> {
    const key = path === ":memory:" ? `:memory:${++memoryCount}` : resolve(path);
    let opening = registry.get(key);
    if (opening === undefined) {
      opening = (async () => {
        const instance = await DuckDBInstance.create(path);
        return new SharedDuckDb(key, instance, await instance.connect());
      })();
      registry.set(key, opening);
      opening.catch(() => registry.delete(key));
    }
    const database = await opening;
    database.users += 1;
    return database;
  }

  /** Leaves the database; the last user closes the file. */
  async release(): Promise<void> {
    this.users -= 1;
    if (this.users > 0) return;
    registry.delete(this.key);
    await this.tail;
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

const registry = new Map<string, Promise<SharedDuckDb>>();
let memoryCount = 0;
