import type BetterSqlite3 from 'better-sqlite3';
import type { Db } from './types';

/**
 * Prepared statements cached per connection and SQL text: preparing costs more than running a
 * point lookup, and the counter paths (card lookup, checkout) run the same few statements all day.
 * The returned statement is reset to plain row objects, so a call site's `.pluck()`/`.raw()` never
 * leaks into another call site sharing the SQL.
 */
const caches = new WeakMap<Db, Map<string, BetterSqlite3.Statement>>();

export function stmt(db: Db, sql: string): BetterSqlite3.Statement {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  let s = cache.get(sql);
  if (!s) {
    s = db.prepare(sql);
    cache.set(sql, s);
  } else if (s.reader) {
    s.raw(false);
    s.pluck(false);
  }
  return s;
}
