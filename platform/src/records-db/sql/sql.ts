/**
 * What the records' books need of a relational database, and no more: statements with `?`
 * placeholders, run alone or together in one transaction. Each adapter (sqlite/, postgres/)
 * implements it over its driver and turns the driver's failures into the port's errors
 * (RecordConflictError, RecordsUnavailableError, RecordsRejectedError) before they reach a
 * book, so the books hold the SQL and the mapping to the port's shapes, written once.
 */

/** A value a statement binds. Booleans are the adapters' to store (SQLite: 0 and 1). */
export type SqlValue = string | number | boolean | null;

export interface SqlSession {
  /** The rows the statement answers (a SELECT, or a write with RETURNING). */
  all<R>(sql: string, params?: readonly SqlValue[]): Promise<R[]>;
  /** Runs a write; how many rows it changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
}

/** Where the two SQL dialects the books meet differ in a statement. */
export interface SqlDialect {
  readonly name: 'postgres' | 'sqlite';
  /**
   * An expression answering the one column (named `x`) of `select` as a JSON array, `[]` when
   * it answers no rows; the driver returns it parsed (PostgreSQL's json) or as text (SQLite).
   */
  jsonArray(select: string): string;
}

export interface Sql extends SqlSession {
  readonly dialect: SqlDialect;
  /**
   * Runs `work` in one transaction: committed when it resolves, rolled back (nothing of it
   * kept) when it throws, which `transaction` then throws.
   */
  transaction<T>(work: (tx: SqlSession) => Promise<T>): Promise<T>;
  /** See RecordsDb.changeMark. */
  changeMark(): string | undefined;
  close(): Promise<void>;
}

/** The first row a statement answers. */
export async function first<R>(
  session: SqlSession,
  sql: string,
  params?: readonly SqlValue[],
): Promise<R | undefined> {
  return (await session.all<R>(sql, params))[0];
}

/** `?, ?, ?` for a list of n values (n > 0). */
export const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');
