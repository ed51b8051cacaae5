import { ApolloClient, ApolloLink, InMemoryCache } from "@apollo/client";
import { afterEach, describe, expect, it, vi } from "vitest";

import type { ApolloSetup, ApolloSetupOptions } from "./apollo.ts";
import { createSessionStore } from "./session.ts";
import { loadToken } from "./shared/auth/token.ts";
import { createConnectionStatusStore } from "./shared/connection/connectionStatus.ts";

function fakeApollo() {
  const made: { options: ApolloSetupOptions; setup: ApolloSetup; dispose: () => void }[] = [];
  const create = (options: ApolloSetupOptions): ApolloSetup => {
    const dispose = vi.fn();
    const setup: ApolloSetup = {
      client: new ApolloClient({ link: ApolloLink.empty(), cache: new InMemoryCache() }),
      connection: createConnectionStatusStore(),
      dispose,
    };
    made.push({ options, setup, dispose });
    return setup;
  };
  return { made, create };
}

afterEach(() => {
  localStorage.clear();
  vi.useRealTimers();
});

describe("session", () => {
  it("starts signed out without a token", () => {
    const { create, made } = fakeApollo();
    const session = createSessionStore({ storage: localStorage, initialToken: null, createApollo: create });
    expect(session.getSnapshot()).toMatchObject({ status: "signed-out", reason: "no-token" });
    expect(made).toHaveLength(0);
  });

  it("signs in with a token, remembers it and builds a client for it", () => {
    const { create, made } = fakeApollo();
    const session = createSessionStore({ storage: localStorage, initialToken: null, createApollo: create });
    const listener = vi.fn();
    session.subscribe(listener);

    session.signIn("  abc ");

    expect(session.getSnapshot()).toMatchObject({ status: "signed-in", token: "abc" });
    expect(made[0]?.options.token).toBe("abc");
    expect(loadToken(localStorage)).toBe("abc");
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it("returns to sign-in, forgets the token and disposes the client when the API refuses it", () => {
    vi.useFakeTimers();
    const { create, made } = fakeApollo();
    localStorage.setItem("kalshiflow.apiToken", "bad");
    const session = createSessionStore({ storage: localStorage, initialToken: "bad", createApollo: create });
    const first = made[0];
    if (first === undefined) throw new Error("no client built");

    first.options.onUnauthorized?.();

    expect(session.getSnapshot()).toMatchObject({ status: "signed-out", reason: "rejected" });
    expect(loadToken(localStorage)).toBeNull();
    vi.runAllTimers();
    expect(first.dispose).toHaveBeenCalledTimes(1);
  });

  it("ignores a late refusal from a client it already replaced", () => {
    const { create, made } = fakeApollo();
    const session = createSessionStore({ storage: localStorage, initialToken: "one", createApollo: create });
    session.signIn("two");
    made[0]?.options.onUnauthorized?.();
    expect(session.getSnapshot()).toMatchObject({ status: "signed-in", token: "two" });
  });
});
