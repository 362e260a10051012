/** Lowercase hex SHA-256 of a document's bytes, computed in the browser: only the digest goes to the ledger. */
export async function sha256Hex(data: BufferSource): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', data);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** The digest of the file chosen in a file input, or undefined while none is. */
export async function digestOfFile(file: File | undefined): Promise<string | undefined> {
  return file ? sha256Hex(await file.arrayBuffer()) : undefined;
}
