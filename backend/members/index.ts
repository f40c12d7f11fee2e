export { addMember, getMember, findMemberByCard, findMemberByPhone, findMembersByLast4, resolveMember, addCard, recentEvents } from './members';
export type { Member, MemberCandidate, AddMemberInput, MemberQuery } from './members';
