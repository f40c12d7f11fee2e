export { readPrinterSettings, writePrinterSettings } from './settings';
export type { PrinterSettings } from './settings';
export { enqueue, processQueue, queueStatus, cancelJob, reprintLast, startRecoveryLoop, effectivePrinterUri, fillQrTemplate, getJob, jobBytes } from './queue';
export type { PrintJob, QueueStatus, ProcessResult, JobKind } from './queue';
export { printSale, printRefund, printZ, printX, printTest, reprintLastReceipt, shopHeader } from './service';
export type { PrintOutcome, Target } from './service';
