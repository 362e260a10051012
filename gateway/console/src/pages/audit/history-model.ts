import type { HistoryEntry } from '../../api/types';

/** The fields whose value differs from the version before (the oldest version lists none). */
export function changedFields(entry: HistoryEntry, older: HistoryEntry | undefined): string[] {
  if (!older?.value || !entry.value) return [];
  const keys = new Set([...Object.keys(entry.value), ...Object.keys(older.value)]);
  return [...keys].filter((key) => JSON.stringify(entry.value?.[key]) !== JSON.stringify(older.value?.[key])).sort();
}
