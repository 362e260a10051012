/** Where an id leads: ledger ids carry their kind as a prefix; a bare 64-hex digest is a transaction. */
export function routeForId(raw: string): string | undefined {
  const id = raw.trim();
  // Colons stay as they are (DIDs), everything else a path segment cannot hold is encoded.
  const enc = encodeURIComponent(id).replace(/%3A/gi, ':');
  if (/^rcv_/.test(id)) return `/audit/receivables/${enc}`;
  if (/^crt_/.test(id)) return `/audit/certificates/${enc}`;
  if (/^fin_/.test(id)) return `/audit/history/financing/${enc}`;
  if (/^stl_/.test(id)) return `/audit/history/settlement/${enc}`;
  if (/^did:scf:/.test(id)) return `/audit/history/enterprise/${enc}`;
  if (/^[0-9a-f]{64}$/.test(id)) return `/audit/transactions/${enc}`;
  if (id !== '') return `/audit/history/creditLine/${enc}`;
  return undefined;
}
