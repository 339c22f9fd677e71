/**
 * Rows written in bulk by `copy-to-postgres` (docs/OPERATIONS.md, "Moving to
 * PostgreSQL"): a table's rows gathered and inserted a few hundred at a time
 * by one `INSERT … SELECT FROM unnest(…)` per batch, one array parameter per
 * column, so a year of records costs thousands of statements, not millions.
 * Table and column names are the copy's own constants, never input.
 */
import type pg from 'pg';

/** A column's type as PostgreSQL receives it. `jsonb` and `text[]` travel as JSON text and are cast in the statement. */
export type ColumnType = 'text' | 'bigint' | 'integer' | 'boolean' | 'bytea' | 'jsonb' | 'text[]';

export interface Column {
  name: string;
  type: ColumnType;
}

/** Rows per statement, and bytes (pictures, document updates) per statement: a batch is flushed at whichever comes first. */
const MAX_ROWS = 500;
const MAX_BYTES = 8 * 1024 * 1024;

/** What each column's array parameter is sent as, and how the selected value is made from it. */
function parameterOf(column: Column, index: number): { param: string; select: string } {
  const param = `$${index + 1}`;
  if (column.type === 'jsonb') return { param: `${param}::text[]`, select: `r.${column.name}::jsonb` };
  // unnest flattens a two-dimensional array, so an array per row goes as JSON text, as search/postgres-message-index.ts does.
  if (column.type === 'text[]')
    return { param: `${param}::text[]`, select: `ARRAY(SELECT jsonb_array_elements_text(r.${column.name}::jsonb))` };
  return { param: `${param}::${column.type}[]`, select: `r.${column.name}` };
}

export class RowWriter {
  private readonly statement: string;
  private readonly pending: unknown[][];
  private pendingBytes = 0;
  /** Rows inserted so far. */
  written = 0;

  constructor(
    private readonly client: pg.ClientBase,
    readonly table: string,
    private readonly columns: readonly Column[],
  ) {
    const parts = columns.map(parameterOf);
    const names = columns.map((column) => column.name).join(', ');
    this.statement = `INSERT INTO ${table} (${names}) SELECT ${parts.map((p) => p.select).join(', ')}
      FROM unnest(${parts.map((p) => p.param).join(', ')}) AS r(${names})`;
    this.pending = columns.map(() => []);
  }

  /** Adds a row (values in the columns' order; JSON values as objects); `bytes` counts toward the batch's size. */
  async add(values: readonly unknown[], bytes = 0): Promise<void> {
    if (values.length !== this.columns.length) throw new Error(`${this.table}: ${values.length} values for ${this.columns.length} columns`);
    values.forEach((value, i) => {
      const type = this.columns[i].type;
      this.pending[i].push((type === 'jsonb' || type === 'text[]') && value !== null ? JSON.stringify(value) : value);
    });
    this.pendingBytes += bytes;
    if (this.pending[0].length >= MAX_ROWS || this.pendingBytes >= MAX_BYTES) await this.flush();
  }

  /** Inserts what is gathered; call once after the last `add`. */
  async flush(): Promise<void> {
    const rows = this.pending[0].length;
    if (rows === 0) return;
    try {
      await this.client.query(this.statement, this.pending);
    } catch (error) {
      throw new Error(`copying into ${this.table}: ${error instanceof Error ? error.message : String(error)}`);
    }
    this.written += rows;
    for (const column of this.pending) column.length = 0;
    this.pendingBytes = 0;
  }
}
