import { fail } from '../../core/util/errors';

/** The PIN for a CLI command: `--pin`, else $KOPILKA_PIN (keeps it out of shell history). */
export function pinFrom(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const pin = flag ?? env.KOPILKA_PIN;
  if (!pin) fail('UNAUTHENTICATED', 'This needs a staff PIN: pass --pin 1234 or set KOPILKA_PIN');
  return pin;
}
