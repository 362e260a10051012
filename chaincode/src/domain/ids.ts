/** Ledger ids are derived from the transaction id, so every endorser derives the same one. */
export function certificateId(txId: string, index: number): string {
  return `crt_${txId}_${index}`;
}
