import {
  CombinedGraphQLErrors,
  CombinedProtocolErrors,
  ServerError,
  ServerParseError,
} from "@apollo/client/errors";

/** Status codes a reverse proxy answers with when nothing listens behind it. */
const BACKEND_DOWN_STATUSES = new Set([500, 502, 503, 504]);

/**
 * Turns whatever Apollo (or fetch) threw into one sentence an operator can act
 * on. The dashboard shows this text instead of a blank page or "[object Object]".
 */
export function describeError(error: unknown): string {
  if (CombinedGraphQLErrors.is(error)) {
    return `The API reported an error: ${joinMessages(error.errors)}`;
  }
  if (CombinedProtocolErrors.is(error)) {
    return `The live connection reported an error: ${joinMessages(error.errors)}`;
  }
  if (ServerError.is(error)) {
    const fromBody = graphqlMessagesFromBody(error.bodyText);
    if (fromBody !== null) {
      return `The API rejected the request (HTTP ${String(error.statusCode)}): ${fromBody}`;
    }
    const hint = BACKEND_DOWN_STATUSES.has(error.statusCode)
      ? " Is the kalshiflow backend running?"
      : "";
    return `The API answered HTTP ${String(error.statusCode)}.${hint}`;
  }
  if (ServerParseError.is(error)) {
    return (
      "The API answered with something that is not GraphQL JSON. " +
      "Check that /graphql reaches the kalshiflow backend."
    );
  }
  if (error instanceof TypeError) {
    // fetch() rejects with a TypeError when the network request itself fails.
    return `Cannot reach the API (${error.message}). Is the kalshiflow backend running?`;
  }
  if (error instanceof Error && error.message !== "") {
    return error.message;
  }
  return "An unknown error occurred.";
}

function joinMessages(errors: readonly { message: string }[]): string {
  const messages = errors.map((e) => e.message).filter((m) => m !== "");
  return messages.length > 0 ? messages.join("; ") : "no message given";
}

/** Some servers put GraphQL errors in a non-200 JSON body; surface them. */
function graphqlMessagesFromBody(bodyText: string): string | null {
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    return null;
  }
  if (typeof body !== "object" || body === null || !("errors" in body)) {
    return null;
  }
  const { errors } = body;
  if (!Array.isArray(errors)) {
    return null;
  }
  const messages = errors.flatMap((e: unknown) =>
    typeof e === "object" && e !== null && "message" in e && typeof e.message === "string"
      ? [e.message]
      : [],
  );
  return messages.length > 0 ? messages.join("; ") : null;
}
