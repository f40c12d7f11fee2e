import type { Command } from 'commander';
import { authorize } from '../../staff/authorize';
import { pinFrom } from '../../staff/pin-source';
import { addStaff, clearSession, currentSession, deactivateStaff, listStaff, setSession, staffCount } from '../../staff/staff';
import type { CliContext } from '../context';

export function register(program: Command, ctx: CliContext): void {
  const staff = program.command('staff').description('staff members, roles and PINs; who is signed in at the till');

  staff
    .command('add')
    .description('add a staff member (the very first one must be an owner and needs no PIN; later ones need an owner PIN)')
    .requiredOption('--name <name>', 'name shown on receipts and reports')
    .requiredOption('--role <role>', 'cashier, manager or owner')
    .requiredOption('--new-pin <PIN>', 'their PIN, 4 to 8 digits')
    .option('--pin <PIN>', 'owner PIN authorising this (or $KOPILKA_PIN)')
    .action(async (o: { name: string; role: string; newPin: string; pin?: string }) => {
      const db = await ctx.db();
      const by = staffCount(db) === 0 ? null : authorize(db, pinFrom(o.pin), 'staff.manage');
      const s = addStaff(db, by, { name: o.name, role: o.role, pin: o.newPin });
      ctx.out({ ok: true, staff: s }, `Added ${s.name} (${s.role}), id ${s.id}`);
    });

  staff
    .command('list')
    .description('list staff members (PIN hashes are never shown)')
    .action(async () => {
      const db = await ctx.db();
      const list = listStaff(db);
      const session = currentSession(db);
      ctx.out(
        { ok: true, staff: list, signedIn: session },
        list.length === 0
          ? 'No staff yet: add the owner with `kopilka staff add --name … --role owner --new-pin …`'
          : list.map((s) => `${s.active ? ' ' : 'x'} ${s.name.padEnd(24)} ${s.role.padEnd(8)} ${s.id}${session?.staffId === s.id ? '  (signed in)' : ''}`).join('\n'),
      );
    });

  staff
    .command('deactivate')
    .description('switch off a staff member’s PIN (owner PIN)')
    .argument('<id>', 'staff id')
    .requiredOption('--reason <text>', 'why')
    .option('--pin <PIN>', 'owner PIN (or $KOPILKA_PIN)')
    .action(async (id: string, o: { reason: string; pin?: string }) => {
      const db = await ctx.db();
      const by = authorize(db, pinFrom(o.pin), 'staff.manage');
      deactivateStaff(db, by, id, o.reason);
      ctx.out({ ok: true, id }, `Deactivated ${id}`);
    });

  staff
    .command('login')
    .description('sign in at the till: sales and point events are attributed to you until someone else signs in')
    .option('--pin <PIN>', 'your PIN (or $KOPILKA_PIN)')
    .action(async (o: { pin?: string }) => {
      const db = await ctx.db();
      const who = authorize(db, pinFrom(o.pin), 'sale');
      setSession(db, who);
      ctx.out({ ok: true, signedIn: who }, `Signed in: ${who.name} (${who.role})`);
    });

  staff
    .command('logout')
    .description('sign out of the till')
    .action(async () => {
      const db = await ctx.db();
      clearSession(db);
      ctx.out({ ok: true }, 'Signed out');
    });
}
