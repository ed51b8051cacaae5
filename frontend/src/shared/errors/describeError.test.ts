import { CombinedGraphQLErrors, ServerError, ServerParseError } from "@apollo/client/errors";
import { describe, expect, it } from "vitest";

import { describeError } from "./describeError.ts";

function response(status: number): Response {
  return new Response("", { status });
}

describe("describeError", () => {
  it("joins GraphQL error messages", () => {
    const error = new CombinedGraphQLErrors({
      errors: [{ message: "first" }, { message: "second" }],
    });
    expect(describeError(error)).toBe("The API reported an error: first; second");
  });

  it("hints at a stopped backend for a proxy's 502", () => {
    const error = new ServerError("Response not successful", {
      response: response(502),
      bodyText: "",
    });
    expect(describeError(error)).toBe(
      "The API answered HTTP 502. Is the kalshiflow backend running?",
    );
  });

  it("surfaces GraphQL messages carried in a non-200 JSON body", () => {
    const error = new ServerError("Response not successful", {
      response: response(400),
      bodyText: JSON.stringify({ errors: [{ message: "Cannot query field 'x'" }] }),
    });
    expect(describeError(error)).toBe(
      "The API rejected the request (HTTP 400): Cannot query field 'x'",
    );
  });

  it("explains a non-JSON answer", () => {
    const error = new ServerParseError(new SyntaxError("Unexpected token <"), {
      response: response(200),
      bodyText: "<html>",
    });
    expect(describeError(error)).toMatch(/not GraphQL JSON/);
  });

  it("never returns an empty string", () => {
    expect(describeError(new Error(""))).toBe("An unknown error occurred.");
    expect(describeError({ weird: true })).toBe("An unknown error occurred.");
  });
});
