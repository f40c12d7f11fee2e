import { missingCase } from '../../core/util/errors';

/** Who may do what. Cashiers sell; managers handle money corrections and reports; owners also manage staff and privacy. */
export const ROLES = ['cashier', 'manager', 'owner'] as const;
export type Role = (typeof ROLES)[number];

export const ACTIONS = [
  'sale',
  'shift.open',
  'shift.cash',
  'report.x',
  'member.enrol',
  'refund',
  'void',
  'points.adjust',
  'redeem.large',
  'shift.close',
  'report.z',
  'report.loyalty',
  'program.change',
  'member.view_phone',
  'member.export',
  'member.erase',
  'staff.manage',
] as const;
export type Action = (typeof ACTIONS)[number];

export function isAction(s: string): s is Action {
  return (ACTIONS as readonly string[]).includes(s);
}
export function isRole(s: string): s is Role {
  return (ROLES as readonly string[]).includes(s);
}

/** The least role allowed to perform an action. */
export function minimumRole(action: Action): Role {
  switch (action) {
    case 'sale':
    case 'shift.open':
    case 'shift.cash':
    case 'report.x':
    case 'member.enrol':
      return 'cashier';
    case 'refund':
    case 'void':
    case 'points.adjust':
    case 'redeem.large':
    case 'shift.close':
    case 'report.z':
    case 'report.loyalty':
    case 'program.change':
    case 'member.view_phone':
      return 'manager';
    case 'member.export':
    case 'member.erase':
    case 'staff.manage':
      return 'owner';
    default:
      return missingCase(action);
  }
}

const RANK: Readonly<Record<Role, number>> = { cashier: 1, manager: 2, owner: 3 };

export function roleAllows(role: Role, action: Action): boolean {
  return RANK[role] >= RANK[minimumRole(action)];
}
