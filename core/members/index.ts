export { normalizePhone, tryNormalizePhone, maskPhone, parseLast4, DEFAULT_PHONE_REGION } from './phone';
export { parseCardCode, isValidEan13, ean13CheckDigit, makeEan13, QR_PREFIX } from './card';
export type { CardKind, CardCode } from './card';
