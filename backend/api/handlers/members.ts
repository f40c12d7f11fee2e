import type { Handlers } from '../../../core/contract';
import { maskPhone, normalizePhone } from '../../../core/members';
import { fail, KopilkaError } from '../../../core/util/errors';
import { getSetting } from '../../db/settings';
import { onMemberEnrolled } from '../../loyalty/index';
import { addMember, findMemberByCard, findMemberByPhone, findMembersByLast4, getMember } from '../../members/members';
import { setConsent } from '../../privacy/privacy';
import type { ApiDeps } from '../deps';
import { memberView } from '../member-view';

function orNull<T>(f: () => T): T | null {
  try {
    return f();
  } catch (e) {
    if (e instanceof KopilkaError && e.code === 'NOT_FOUND') return null;
    throw e;
  }
}

export function memberHandlers(deps: ApiDeps): Pick<Handlers, 'member.identify' | 'member.findByPhone' | 'member.findByLast4' | 'member.get' | 'member.enrol' | 'member.search' | 'member.detail' | 'member.update'> {
  const { db } = deps;
  const now = () => (deps.now?.() ?? new Date()).toISOString();
  return {
    'member.identify': ({ code }) => orNull(() => memberView(db, findMemberByCard(db, code), now())),
    'member.findByPhone': ({ phone }) => orNull(() => memberView(db, findMemberByPhone(db, phone), now())),
    'member.findByLast4': ({ last4 }) => findMembersByLast4(db, last4).map((c) => ({ id: c.id, name: c.name, phoneMasked: c.maskedPhone ?? '—' })),
    'member.get': ({ id }) => memberView(db, id, now()),
    'member.enrol': (i) => {
      if (!i.consent) fail('VALIDATION', 'The customer must agree to the processing of personal data before enrolment');
      const at = now();
      const m = db.transaction(() => {
        const created = addMember(db, { name: i.name, phone: i.phone, ...(i.cardCode ? { card: i.cardCode } : {}), ...(i.birthday ? { birthday: i.birthday } : {}), consentPd: true, consentMarketing: i.marketingConsent }, at);
        // Welcome bonus, if the program has one, lands in the same transaction as the member.
        onMemberEnrolled(db, created.id, at);
        return created;
      })();
      return memberView(db, m.id, at);
    },
    'member.search': ({ session, query }) => {
      deps.sessions.require(session);
      const q = query.trim();
      const digits = q.replace(/\D/g, '');
      const rows = db
        .prepare(
          `SELECT m.id, m.name, m.phone, m.consent_pd, coalesce(b.balance, 0) AS balance FROM member m
           LEFT JOIN member_balance b ON b.member_id = m.id
           WHERE ? = '' OR m.name LIKE '%' || ? || '%' COLLATE NOCASE OR (length(?) >= 3 AND m.phone LIKE '%' || ? || '%')
              OR m.id IN (SELECT member_id FROM member_card WHERE code = ?)
           ORDER BY m.name LIMIT 50`,
        )
        .all(q, q, digits, digits, q) as { id: string; name: string; phone: string | null; consent_pd: number; balance: number }[];
      return rows.map((r) => ({ id: r.id, name: r.name, phoneMasked: r.phone ? maskPhone(r.phone) : '—', balance: r.balance, consent: r.consent_pd === 1 }));
    },
    'member.detail': ({ session, id }) => {
      deps.sessions.require(session);
      const m = getMember(db, id);
      return { ...memberView(db, m, now()), phone: m.phone ?? '', marketingConsent: m.consentMarketing };
    },
    'member.update': ({ session, id, ...patch }) => {
      const actor = deps.sessions.require(session);
      const at = now();
      db.transaction(() => {
        const m = getMember(db, id);
        // Profile fields are plain columns; consents go through privacy's setConsent so the
        // change is audited with the consent text version.
        if (patch.name !== undefined || patch.phone !== undefined || patch.birthday !== undefined) {
          const phone = patch.phone !== undefined ? normalizePhone(patch.phone, getSetting<string>(db, 'phone.defaultRegion')) : m.phone;
          if (phone !== m.phone && db.prepare('SELECT 1 FROM member WHERE phone = ? AND id <> ?').get(phone, id)) {
            fail('CONFLICT', `Phone ${maskPhone(phone!)} belongs to another member`);
          }
          db.prepare('UPDATE member SET name = ?, phone = ?, birthday = ?, updated_at = ? WHERE id = ?').run(
            patch.name ?? m.name, phone, patch.birthday !== undefined ? patch.birthday : m.birthday, at, id,
          );
        }
        if (patch.consent !== undefined && patch.consent !== m.consentPd) setConsent(db, actor, id, 'processing', patch.consent, at);
        if (patch.marketingConsent !== undefined && patch.marketingConsent !== m.consentMarketing) setConsent(db, actor, id, 'marketing', patch.marketingConsent, at);
      })();
      return memberView(db, id, at);
    },
  };
}
