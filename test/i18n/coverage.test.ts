import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { ENTRIES, localizeError, matchRu, translateRu } from '../../renderer/src/errors-ru';
import { helperTemplates, scanRefusals, show, type Part } from './templates';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Refusals that never reach the till screen, so they need no Russian text. Each says why.
 * Everything else written in core/, backend/ or the in-memory backend must match an entry.
 */
const NOT_SHOWN_IN_UI: readonly Readonly<{ file: RegExp; why: string }>[] = [
  // The terminal CLI talks English to whoever runs it; the counter UI never calls it.
  { file: /^backend\/cli\//, why: 'CLI-only' },
];

/**
 * Messages not built from literals where the refusal is thrown. Each names where its text comes
 * from; helpers with their own templates are swept below (HELPERS).
 */
const DYNAMIC_ALLOWED: Readonly<Record<string, string>> = {
  'core/util/errors.ts|message': 'fail() and assert() themselves: their callers are swept',
  'core/contract/dispatch.ts|r.error.message': 'unwrap re-throws the envelope: the message was swept where it was written',
  'core/loyalty/quote.ts|redeemRefusal(program, member?.balance ?? 0, maxRedeemPoints, req.points)': 'templates swept via HELPERS',
  'backend/staff/authorize.ts|formatLock(db, locked)': 'templates swept via HELPERS',
  'backend/staff/authorize.ts|formatLock(db, until)': 'templates swept via HELPERS',
  "backend/catalog/catalog.ts|`Product ${i?.path.join('.') || ''}: ${i?.message ?? 'invalid'}`.trim()": 'catalog import (manager tooling): entries "Product {field}: {problem}" cover it, the zod detail stays as written',
  'backend/sync/client.ts|e.message': 'the chain server’s own message, passed on (server/ writes it); shown as the server wrote it',
  'backend/sync/client.ts|errorOf(r.body).message': 'the chain server’s own message, passed on; shown as the server wrote it',
  'native/printer/transports.ts|faultMessage(fault)': 'templates swept via HELPERS',
  "native/printer/transports.ts|e.code === 'ENOENT' ? 'The \"lp\" command is missing: install CUPS (apt-get install cups-client)' : e.message": 'the OS error text, passed on; the literal branch has an entry',
  "native/printer/winspool.ts|e.code === 'ENOENT' ? 'PowerShell (powershell.exe) is missing: it is needed to print through the Windows spooler' : e.message": 'the OS error text, passed on; the literal branch has an entry',
};

const HELPERS: readonly (readonly [file: string, fn: string, code: string])[] = [
  ['core/loyalty/quote.ts', 'redeemRefusal', 'LIMIT_EXCEEDED'],
  ['backend/staff/authorize.ts', 'formatLock', 'LOCKED'],
  ['native/printer/status.ts', 'faultMessage', 'DEVICE'],
];

/** A plausible value for a `${…}` hole, guessed from its source text, so the sample reads like a real refusal. */
function sampleValue(hole: string): string {
  const h = hole.toLowerCase();
  const table: readonly (readonly [RegExp, string])[] = [
    [/^pin_rule$/, 'A PIN is 4 to 8 digits'],
    [/phone/, '+7 *** ***-45-67'],
    [/card|raw/, '2000000100013'],
    [/formatmoney/, '150,00 ₽'],
    [/tofixed/, '120.50'],
    [/\/ 100/, '120.5'],
    [/ddmm|validfrom|validto|expires/, '01.03'],
    [/fmtpct/, '50%'],
    [/role|minimumrole/, 'manager'],
    [/when/, '14:35'],
    [/url/, 'https://kopilka.example.com'],
    [/name/, 'Латте'],
    [/\.code|promo/, 'SPRING10'],
    [/message/, 'The member has 5 points; cannot redeem 10'],
    [/reason/, 'offline'],
    [/state/, 'printing'],
    [/(^|\.)at$|occurredat|activefrom|^t$|^iso$/, '2026-03-01T10:15:00+03:00'],
    [/json/, '{"mode":"all"}'],
  ];
  for (const [re, v] of table) if (re.test(h)) return v;
  return '42';
}

const sample = (parts: readonly Part[]) => parts.map((p) => ('text' in p ? p.text : sampleValue(p.hole))).join('');
const CYRILLIC = /[А-Яа-яЁё]/;
/** Sample values that are English words or messages the catalog translates rather than copies. */
const TRANSLATED_VALUES = new Set(['manager', 'offline', 'printing', 'The member has 5 points; cannot redeem 10']);

describe('every refusal that can reach the UI has Russian text', () => {
  const { templates, dynamic } = scanRefusals(ROOT, ['core', 'backend', 'native', 'renderer/src/api']);
  const shown = templates.filter((t) => !NOT_SHOWN_IN_UI.some((a) => a.file.test(t.file)));

  test('the sweep finds the refusals (guards against a broken scanner)', () => {
    assert.ok(shown.length > 200, `only ${shown.length} templates found`);
    assert.ok(shown.some((t) => show(t.parts).startsWith('Card ${card.code} is not registered')));
  });

  test('each template, with plausible values, matches an entry of the same code', () => {
    const missing: string[] = [];
    for (const t of shown) {
      const msg = sample(t.parts);
      const hit = matchRu(msg, t.code);
      if (!hit || (hit.code !== t.code && hit.code !== '*')) missing.push(`${t.file}:${t.line} ${t.code} ${show(t.parts)}\n    sample: ${msg}`);
      else {
        const ru = translateRu(msg, t.code);
        assert.match(ru, CYRILLIC, `${t.file}:${t.line}`);
        // The facts survive: every value put into a hole is in the Russian text, except words
        // the catalog translates itself (roles, states, nested messages) and constants (PIN_RULE).
        for (const p of t.parts) {
          if ('text' in p || /^PIN_RULE$/.test(p.hole)) continue;
          const v = sampleValue(p.hole);
          if (!TRANSLATED_VALUES.has(v)) assert.ok(ru.includes(v), `${t.file}:${t.line}: "${v}" lost in "${ru}" (from "${msg}")`);
        }
      }
    }
    assert.deepEqual(missing, [], `Add these to renderer/src/errors-ru.ts (or, if the UI never shows them, to NOT_SHOWN_IN_UI with a reason):\n${missing.join('\n')}`);
  });

  test('messages built elsewhere are accounted for', () => {
    const unknown = dynamic.filter((d) => !NOT_SHOWN_IN_UI.some((a) => a.file.test(d.file)) && !(`${d.file}|${d.expr}` in DYNAMIC_ALLOWED));
    assert.deepEqual(unknown.map((d) => `${d.file}:${d.line} ${d.code} ${d.expr}`), [], 'a refusal passes on a message built elsewhere: sweep its helper (HELPERS) or explain it in DYNAMIC_ALLOWED');
  });

  test('helpers that build refusal messages: each template has an entry', () => {
    for (const [file, fn, code] of HELPERS) {
      const found = helperTemplates(ROOT, file, fn);
      assert.ok(found.length > 0, `${fn} not found in ${file}`);
      for (const parts of found) {
        const msg = sample(parts);
        assert.equal(matchRu(msg, code)?.code, code, `${file} ${fn}: no entry for "${msg}"`);
      }
    }
  });
});

/**
 * Chain-server refusals a till never shows: the server's admin API (the owner's tooling, English
 * like the CLI) and internal assertions. Everything else the server writes reaches a till screen,
 * nested in "Sync refused: …" or a hold refusal, or as the answer to registering the till.
 */
const SERVER_NOT_SHOWN: readonly Readonly<{ where: RegExp; why: string }>[] = [
  { where: /^server\/auth\.ts .*(Admin API|admin token|No terminal|Give the shop a name)/, why: 'admin API (checkAdmin, setTerminalStatus, ensureShop)' },
  { where: /^server\/http\.ts .*blocked and offlineRedeemAllowed/, why: 'admin API (member block)' },
  { where: /^server\/db\/database\.ts /, why: 'internal assertion on database values' },
  { where: /^server\/ingest\.ts .*Unhandled kind/, why: 'exhaustiveness guard (never reached)' },
];
const SERVER_DYNAMIC: Readonly<Record<string, string>> = {
  'server/main.ts|e.error.message': 'the CLI of the server prints its own errors; not a till',
  "server/programs.ts|'The program is not valid: ' + (err instanceof Error ? err.message.slice(0, 300) : String(err))": 'entry "The program is not valid: {detail}"; the zod detail stays as written',
};

describe('every chain-server refusal a till can show has Russian text', () => {
  const { templates, dynamic } = scanRefusals(ROOT, ['server']);
  const shown = templates.filter((t) => !SERVER_NOT_SHOWN.some((a) => a.where.test(`${t.file} ${show(t.parts)}`)));

  test('the sweep finds the server refusals', () => {
    assert.ok(shown.length > 30, `only ${shown.length} templates found`);
  });
  test('each, with plausible values, matches an entry, alone and nested in "Sync refused: …"', () => {
    const missing: string[] = [];
    for (const t of shown) {
      const msg = sample(t.parts);
      const hit = matchRu(msg, t.code);
      if (!hit || (hit.code !== t.code && hit.code !== '*')) {
        missing.push(`${t.file}:${t.line} ${t.code} ${show(t.parts)}\n    sample: ${msg}`);
        continue;
      }
      const ru = translateRu(msg, t.code);
      assert.match(ru, CYRILLIC, `${t.file}:${t.line}`);
      for (const p of t.parts) if (!('text' in p)) assert.ok(ru.includes(sampleValue(p.hole)), `${t.file}:${t.line}: "${sampleValue(p.hole)}" lost in "${ru}"`);
      assert.equal(translateRu(`Sync refused: ${msg}`, 'INTERNAL'), `Синхронизация отклонена: ${ru}`);
    }
    assert.deepEqual(missing, [], `Add these to renderer/src/errors-ru.ts (or, if no till shows them, to SERVER_NOT_SHOWN with a reason):\n${missing.join('\n')}`);
  });
  test('messages built elsewhere are accounted for', () => {
    const unknown = dynamic.filter((d) => !(`${d.file}|${d.expr}` in SERVER_DYNAMIC));
    assert.deepEqual(unknown.map((d) => `${d.file}:${d.line} ${d.code} ${d.expr}`), []);
  });
});

/**
 * Latin-script words the Russian entries may keep: codes, commands, settings, device addresses
 * and brands a cashier or technician types or looks up as they are. Anything else is English left behind.
 */
const TECHNICAL = new Set(
  ('QR- Kopilka: EAN-13 saleId UUID refundId loyalty.refundDebt refuse ISO T14:30:00 T10:15:00 T09:00:00 PIN. PIN pin KOPILKA_PIN ' +
    'cashier manager owner Z- from to serial: hid: Windows lp CUPS apt-get install cups-client PowerShell powershell.exe ' +
    'tcp://192.168.1.50:9100 serial:/dev/ttyUSB0 baud usb:/dev/usb/lp0 queue:RECEIPT virtual:/tmp/prints hid:0c2e:0b61 hid:VID:PID stdin: ' +
    'CUPS: lpstat e Windows. queue:EPSON_TM-T20III USB- vendor:product id kopilka scan list USB HID POS Linux udev: KERNEL hidraw ATTRS ' +
    'MODE GROUP plugdev dialout URL https://kopilka.example.com terminal register server code CODE migration ' +
    'JSON batchId clientTime seq delta memberId occurredAt prevHash hash payload programVersion null').split(' '),
);
const holesOf = (x: string) => [...x.matchAll(/\{([a-zA-Z]+)(?:\|[a-zA-Z]+)?\}/g)].map((m) => m[1]).sort();

describe('the catalog itself', () => {
  test('each Russian sentence carries every fact of its English template, and only those', () => {
    for (const [code, en, ru] of ENTRIES) assert.deepEqual(holesOf(ru), holesOf(en), `${code} ${en}`);
  });
  test('no English left in the Russian sentences (outside technical tokens)', () => {
    for (const [, en, ru] of ENTRIES) {
      const left = (ru.replace(/\{[a-zA-Z|]+\}/g, '').match(/[A-Za-z][A-Za-z0-9_.:\-/]*/g) ?? []).filter((w) => !TECHNICAL.has(w));
      assert.deepEqual(left, [], `${en}\n  → ${ru}`);
    }
  });
  test('no two entries with the same code and template (the second would never be used)', () => {
    const seen = new Set<string>();
    for (const [code, en] of ENTRIES) {
      assert.ok(!seen.has(code + en), `duplicate: ${code} ${en}`);
      seen.add(code + en);
    }
  });
});

describe('translation rules', () => {
  test('unknown messages fall back to the English text, never empty', () => {
    assert.equal(translateRu('Something nobody wrote an entry for', 'INTERNAL'), 'Something nobody wrote an entry for');
  });
  test('facts keep their format: card numbers, amounts, dates, names', () => {
    assert.equal(translateRu('Promo code SPRING10 needs a check of at least 1 500,00 ₽', 'VALIDATION'), 'Промокод SPRING10 действует при чеке от 1 500,00 ₽');
    assert.equal(translateRu('Gift certificate GC-0001 expired on 01.03', 'VALIDATION'), 'Срок подарочного сертификата GC-0001 истёк 01.03');
    assert.equal(
      translateRu('The check changed: it is now 120.50 ₽, payments add up to 100.00 ₽. Check the total and take payment again', 'CONFLICT'),
      'Чек изменился: теперь к оплате 120.50 ₽, а платежи в сумме 100.00 ₽. Проверьте итог и примите оплату заново',
    );
  });
  test('roles are named in Russian; nested server messages are translated too', () => {
    assert.equal(translateRu('Иван (cashier) may not do this: it needs a manager PIN', 'FORBIDDEN'), 'Иван (кассир) не может это сделать: нужен PIN менеджера');
    assert.equal(translateRu('The chain server refused the redemption: The member has 5 points; cannot redeem 10', 'INSUFFICIENT_POINTS'), 'Сервер сети отказал в списании: У клиента 5 баллов: списать 10 нельзя');
  });
  test('points agree with their number', () => {
    assert.equal(translateRu('The member has 1 points; cannot redeem 100', 'INSUFFICIENT_POINTS'), 'У клиента 1 балл: списать 100 нельзя');
    assert.equal(translateRu('The member has 22 points; cannot redeem 100', 'INSUFFICIENT_POINTS'), 'У клиента 22 балла: списать 100 нельзя');
    assert.equal(translateRu('The member has 12 points; cannot redeem 100', 'INSUFFICIENT_POINTS'), 'У клиента 12 баллов: списать 100 нельзя');
  });
  test('amount labels and offline reasons inside a refusal are Russian too', () => {
    assert.equal(translateRu('Cash float must be a whole number of minor units, got 1.5', 'VALIDATION'), 'Размен: нужно целое число копеек, получено 1.5');
    assert.equal(
      translateRu('Points cannot be redeemed without the chain server right now (This member is blocked by the chain). Sell without points or reconnect the till', 'INSUFFICIENT_POINTS'),
      'Сейчас баллы нельзя списать без сервера сети (Клиент заблокирован сетью). Продайте без списания или восстановите связь кассы',
    );
  });
  test('English UI: the backend text as written', () => {
    const en = 'Card 2000000100013 is not registered: enrol the customer or check the card';
    assert.equal(localizeError(en, 'NOT_FOUND', 'en'), en);
    assert.notEqual(localizeError(en, 'NOT_FOUND', 'ru'), en);
  });
  test('input checks: known field names in Russian, unknown ones as written; zod’s own wording too', () => {
    assert.equal(translateRu('managerPin: The manager PIN is 4 to 8 digits; idempotencyKey: Invalid UUID', 'VALIDATION'), 'PIN менеджера: PIN менеджера — от 4 до 8 цифр; idempotencyKey: Неверный UUID');
    assert.equal(translateRu('reason: Too big: expected string to have <=200 characters', 'VALIDATION'), 'Причина: Слишком длинно: символов должно быть не больше 200');
  });
  test('input checks: each issue translated, with its field', () => {
    assert.equal(translateRu('lines.0.qty: Quantity must be at least 1; reason: Say why the sale is refunded', 'VALIDATION'), 'Количество, строка 1: Количество — не меньше 1; Причина: Укажите причину возврата');
  });
});
