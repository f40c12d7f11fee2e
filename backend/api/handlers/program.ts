import type { Handlers } from '../../../core/contract';
import { quoteToView } from '../../../core/contract/views';
import { parseProgram } from '../../../core/loyalty/program';
import { quote, type CartLine } from '../../../core/loyalty/quote';
import { listPrograms, loadActiveProgram, saveProgram } from '../../loyalty/index';
import type { ApiDeps } from '../deps';
import { asActor } from '../../audit/audit';

export function programHandlers(deps: ApiDeps): Pick<Handlers, 'program.get' | 'program.save' | 'program.simulate'> {
  const { db } = deps;
  const now = () => (deps.now?.() ?? new Date()).toISOString();
  return {
    'program.get': () => {
      const at = now();
      const active = loadActiveProgram(db, at);
      const row = listPrograms(db).find((p) => p.version === active.version);
      return { version: active.version, program: active.program as unknown as Record<string, unknown>, activatedAt: row?.activeFrom ?? null };
    },
    'program.save': ({ session, program }) => {
      const actor = deps.sessions.require(session);
      // asActor: the program.change audit entry names the manager who saved it (issue 6).
      const version = asActor(db, actor.staffId, () => saveProgram(db, program, now(), `UI: ${actor.name}`));
      return { version };
    },
    'program.simulate': ({ session, program, lines, balance, redeem }) => {
      deps.sessions.require(session);
      const p = parseProgram(program);
      const cart: CartLine[] = lines.map((l, i) => ({
        lineNo: i + 1, productId: `sim-${i + 1}`, sku: `SIM-${i + 1}`, name: l.name, category: l.category, qty: l.qty, unitPrice: l.unitPrice,
        earnsPoints: l.earnsPoints, payableWithPoints: l.payableWithPoints,
      }));
      const { lines: _l, ...rest } = quoteToView(quote({ program: p, programVersion: null, lines: cart, member: { id: 'simulated', balance }, redeem: { mode: redeem }, at: now() }));
      return rest;
    },
  };
}
