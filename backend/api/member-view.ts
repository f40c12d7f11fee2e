import type { MemberView } from '../../core/contract';
import { summarizeLots } from '../../core/loyalty/lots';
import { loadActiveProgram, loadMemberSnapshot, memberLots } from '../loyalty/index';
import { getMember, type Member } from '../members/members';
import type { Db } from '../db/types';

/**
 * The member panel: spendable and pending points from the lot replay (so a hold period shows as
 * pending), the first lot to expire, the stored tier with progress to the next one, stamps.
 */
export function memberView(db: Db, memberOrId: Member | string, atIso: string): MemberView {
  const m = typeof memberOrId === 'string' ? getMember(db, memberOrId) : memberOrId;
  const { program } = loadActiveProgram(db, atIso);
  const replay = memberLots(db, m.id);
  const summary = summarizeLots(replay, atIso);
  const soonest = replay.lots
    .filter((l) => l.remaining > 0 && l.expiresAt !== null && l.expiresAt > atIso && l.availableAt <= atIso)
    .sort((a, b) => (a.expiresAt! < b.expiresAt! ? -1 : 1));
  let expiring: MemberView['expiring'] = null;
  if (soonest.length > 0) {
    const at = soonest[0]!.expiresAt!;
    expiring = { points: soonest.filter((l) => l.expiresAt === at).reduce((a, l) => a + l.remaining, 0), at };
  }
  const snap = loadMemberSnapshot(db, m.id, atIso, program);
  const tierRow = snap.tier?.levelId;
  let tier: MemberView['tier'] = null;
  if (program.tiers) {
    const levels = [...program.tiers.levels].sort((a, b) => a.threshold - b.threshold);
    const idx = Math.max(0, levels.findIndex((l) => l.id === (tierRow ?? levels[0]!.id)));
    const next = levels[idx + 1] ?? null;
    const spend = program.tiers.basis === 'rolling' ? (snap.windowSpend ?? 0) : (snap.lifetimeSpend ?? 0);
    tier = { name: levels[idx]!.name, nextName: next?.name ?? null, progress: spend, target: next?.threshold ?? null };
  }
  const stamps = program.stamps.map((s) => ({ label: s.name, have: snap.stamps?.[s.id]?.count ?? 0, need: s.goal }));
  return {
    id: m.id,
    name: m.name,
    phoneMasked: m.maskedPhone ?? '—',
    cardCode: m.cards.find((c) => c.status === 'active')?.code ?? null,
    // The snapshot's balance: local lots on a stand-alone till, the chain's balance on a registered one.
    balance: snap.balance,
    pending: summary.pending,
    expiring,
    tier,
    stamps,
    consent: m.consentPd,
    birthday: m.birthday,
  };
}
