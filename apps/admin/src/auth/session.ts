// The admin key lives in sessionStorage only: it survives a reload but not closing the tab, is never
// put in a URL (no query strings, no router state) and never logged.
const STORAGE_KEY = 'warden.admin-key';

export function readStoredKey(storage: Storage | undefined = globalThis.sessionStorage): string | null {
  try {
    return storage?.getItem(STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
}

export function storeKey(key: string, storage: Storage | undefined = globalThis.sessionStorage): void {
  try {
    storage?.setItem(STORAGE_KEY, key);
  } catch {
    // storage disabled (private mode): the key then lives for this page only
  }
}

export function clearStoredKey(storage: Storage | undefined = globalThis.sessionStorage): void {
  try {
    storage?.removeItem(STORAGE_KEY);
  } catch {
    // nothing stored
  }
}
