import { parseProgram } from '../core/loyalty/program';
import { fail } from '../core/util/errors';
import { num, type ServerDb } from './db/database';

/** Publish a new program version chain-wide (every version is kept; tills pull the newest). */
export async function publishProgram(db: ServerDb, json: unknown): Promise<{ version: number }> {
  let program;
  try {
    program = parseProgram(json);
  } catch (err) {
    return fail('VALIDATION', 'The program is not valid: ' + (err instanceof Error ? err.message.slice(0, 300) : String(err)));
  }
  return db.tx('publish program', async (sql) => {
    const r = await sql.query<{ v: string }>('SELECT COALESCE(MAX(version), 0) + 1 AS v FROM program_version');
    const version = num(r.rows[0]!.v);
    await sql.query('INSERT INTO program_version (version, program) VALUES ($1, $2::jsonb)', [version, JSON.stringify(program)]);
    return { version };
  });
}

/** Keep the server's copy of a version the tills already use (same number), e.g. when seeding from a till. */
export async function putProgramVersion(db: ServerDb, version: number, json: unknown): Promise<void> {
  const program = parseProgram(json);
  await db.tx('put program', async (sql) => {
    await sql.query('INSERT INTO program_version (version, program) VALUES ($1, $2::jsonb) ON CONFLICT (version) DO NOTHING', [version, JSON.stringify(program)]);
  });
}
