/**
 * The API token: remembered in localStorage so a reload stays signed in, and
 * accepted once from `?token=` (the link `kalshiflow up` prints), then
 * removed from the address bar so it does not end up in history or screenshots.
 */

export const TOKEN_STORAGE_KEY = "kalshiflow.apiToken";
const URL_PARAM = "token";

export function loadToken(storage: Storage): string | null {
  try {
    const value = storage.getItem(TOKEN_STORAGE_KEY);
    return value === null || value.trim() === "" ? null : value;
  } catch {
    return null; // storage disabled (privacy mode): sign in each visit
  }
}

export function saveToken(storage: Storage, token: string): void {
  try {
    storage.setItem(TOKEN_STORAGE_KEY, token);
  } catch {
    // Not remembered; the session still works until reload.
  }
}

export function clearToken(storage: Storage): void {
  try {
    storage.removeItem(TOKEN_STORAGE_KEY);
  } catch {
    // Nothing stored, nothing to clear.
  }
}

/**
 * Takes `?token=` out of the current URL (keeping other parameters and the
 * hash) and returns it, or null when absent.
 */
export function takeTokenFromUrl(location: Location, history: History): string | null {
  const url = new URL(location.href);
  const token = url.searchParams.get(URL_PARAM);
  if (token === null) return null;
  url.searchParams.delete(URL_PARAM);
  history.replaceState(history.state, "", url.pathname + url.search + url.hash);
  const trimmed = token.trim();
  return trimmed === "" ? null : trimmed;
}

/** Startup: a token from the URL wins (and is remembered), else the stored one. */
export function initialToken(location: Location, history: History, storage: Storage): string | null {
  const fromUrl = takeTokenFromUrl(location, history);
  if (fromUrl !== null) {
    saveToken(storage, fromUrl);
    return fromUrl;
  }
  return loadToken(storage);
}
