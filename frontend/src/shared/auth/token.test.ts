import { afterEach, describe, expect, it } from "vitest";

import { clearToken, initialToken, loadToken, saveToken, TOKEN_STORAGE_KEY } from "./token.ts";

afterEach(() => {
  localStorage.clear();
  window.history.replaceState(null, "", "/");
});

describe("API token", () => {
  it("is remembered in localStorage", () => {
    expect(loadToken(localStorage)).toBeNull();
    saveToken(localStorage, "abc");
    expect(localStorage.getItem(TOKEN_STORAGE_KEY)).toBe("abc");
    expect(loadToken(localStorage)).toBe("abc");
    clearToken(localStorage);
    expect(loadToken(localStorage)).toBeNull();
  });

  it("is taken once from ?token= and stripped from the URL", () => {
    window.history.replaceState(null, "", "/markets/T1?token=s3cret&view=no#ladder");
    expect(initialToken(window.location, window.history, localStorage)).toBe("s3cret");
    expect(window.location.pathname + window.location.search + window.location.hash).toBe(
      "/markets/T1?view=no#ladder",
    );
    expect(loadToken(localStorage)).toBe("s3cret");
    // A later start without the parameter uses the stored token.
    expect(initialToken(window.location, window.history, localStorage)).toBe("s3cret");
  });

  it("lets a URL token replace a stored one", () => {
    saveToken(localStorage, "old");
    window.history.replaceState(null, "", "/?token=new");
    expect(initialToken(window.location, window.history, localStorage)).toBe("new");
    expect(window.location.search).toBe("");
  });
});
