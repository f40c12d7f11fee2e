import { DEFAULT_PROGRAM, parseProgram, type Program } from '../../core/loyalty/program';
import { fail } from '../../core/util/errors';
import type { Db } from '../db/types';
import { assertLocalProgramEditable } from '../sync/chain-checkout';
import { stmt } from '../db/statements';

/**
 * Program versions. Every version ever set is kept (the `program` table refuses edits); a sale
 * records the version it was quoted under, and the active one is the newest whose
 * `active_from` has come.
 */
export type ActiveProgram = Readonly<{ version: number | null; program: Program }>;

/** Versions never change once stored, so a parsed version can be kept per connection. */
const parsed = new WeakMap<Db, Map<number, Program>>();

export function loadActiveProgram(db: Db, atIso: string): ActiveProgram {
  const rows = stmt(db, 'SELECT version, active_from FROM program ORDER BY version DESC').all() as { version: number; active_from: string }[];
  // active_from carries an offset; compare instants, not strings.
  const at = Date.parse(atIso);
  const row = rows.find((r) => Date.parse(r.active_from) <= at);
  if (!row) return { version: null, program: DEFAULT_PROGRAM };
  return { version: row.version, program: programByVersion(db, row.version) };
}

/** A stored version; null = the built-in default used before any program was set. */
export function programByVersion(db: Db, version: number | null): Program {
  if (version === null) return DEFAULT_PROGRAM;
  let cache = parsed.get(db);
  if (!cache) parsed.set(db, (cache = new Map()));
  const hit = cache.get(version);
  if (hit) return hit;
  const body = stmt(db, 'SELECT body FROM program WHERE version = ?').pluck().get(version) as string | undefined;
  if (body === undefined) fail('NOT_FOUND', `Program version ${version} is not stored on this terminal`);
  const program = parseProgram(JSON.parse(body));
  cache.set(version, program);
  return program;
}

/** Store a new program version (validated); returns its version number. Old versions stay. */
export function saveProgram(db: Db, input: unknown, activeFrom: string, note = ''): number {
  assertLocalProgramEditable(db); // registered tills take the chain's program
  const program = parseProgram(input);
  if (Number.isNaN(Date.parse(activeFrom))) fail('VALIDATION', `"${activeFrom}" is not a date-time for the program to start`);
  const next = ((stmt(db, 'SELECT max(version) FROM program').pluck().get() as number | null) ?? 0) + 1;
  stmt(db, 'INSERT INTO program (version, body, active_from, created_at, note) VALUES (?, ?, ?, ?, ?)').run(
    next, JSON.stringify(program), activeFrom, new Date().toISOString(), note,
  );
  return next;
}

export type ProgramVersionRow = Readonly<{ version: number; name: string; activeFrom: string; createdAt: string; note: string }>;

export function listPrograms(db: Db): readonly ProgramVersionRow[] {
  const rows = stmt(db, 'SELECT version, body, active_from, created_at, note FROM program ORDER BY version').all() as { version: number; body: string; active_from: string; created_at: string; note: string }[];
  return rows.map((r) => ({ version: r.version, name: String((JSON.parse(r.body) as { name?: unknown }).name ?? ''), activeFrom: r.active_from, createdAt: r.created_at, note: r.note }));
}
