// Where a client keeps its session: any object with getItem/setItem/removeItem,
// synchronous (localStorage) or returning promises (IndexedDB wrappers, React
// Native's AsyncStorage). Memory by default in Node, localStorage in browsers.

/** A Storage-like object in memory: each call makes a separate one. */
export function memoryStorage() {
  const items = new Map();
  return {
    getItem: (key) => (items.has(key) ? items.get(key) : null),
    setItem: (key, value) => void items.set(key, String(value)),
    removeItem: (key) => void items.delete(key),
  };
}

export function defaultStorage() {
  try {
    // `window` excludes Node's experimental global localStorage.
    if (typeof window === 'object' && window.localStorage) return window.localStorage;
  } catch {
    // localStorage can throw (disabled cookies, opaque origins)
  }
  return memoryStorage();
}

// The stored record: the session plus the client's estimate of the server's
// clock offset, so a reload (or another tab) keeps the skew correction.
export async function readRecord(storage, key) {
  const text = await storage.getItem(key);
  if (typeof text !== 'string') return null;
  try {
    const record = JSON.parse(text);
    if (record && typeof record.session?.access_token === 'string' && typeof record.session?.refresh_token === 'string') {
      return record;
    }
  } catch {
    // corrupt: treated as absent
  }
  return null;
}

export async function writeRecord(storage, key, record) {
  await storage.setItem(key, JSON.stringify(record));
}

export async function removeRecord(storage, key) {
  await storage.removeItem(key);
}
