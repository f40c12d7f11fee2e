import { z } from 'zod';
import { channel } from '../define';
import { IsoDateTime, Ok, Session } from '../common';

export const authChannels = {
  'auth.login': channel(
    z.object({ pin: z.string().regex(/^\d{4,8}$/, 'The PIN is 4 to 8 digits') }),
    z.object({ session: Session, name: z.string(), role: z.enum(['manager', 'owner', 'cashier']), expiresAt: IsoDateTime }),
    'Manager PIN login; returns a session token the manager screens pass along.',
  ),
  'auth.logout': channel(z.object({ session: Session }), Ok, 'End a manager session.'),
} as const;
