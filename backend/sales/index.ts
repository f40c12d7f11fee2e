export { quoteSale, commitSale, settlePayment } from './checkout';
export type { SaleRequest, CartItemRequest, PaymentRequest, PaymentLine, SaleQuote, CommittedSale } from './checkout';
export { refundSale, slice } from './refund';
export type { RefundRequest, RefundLineRequest, RefundResult } from './refund';
export { loadSale, findSaleId } from './read';
export type { StoredSale, StoredSaleLine } from './read';
export { buildSaleReceipt, buildRefundReceipt } from './receipt';
export { businessTime, formatReceiptTime } from './time';
