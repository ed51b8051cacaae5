import { fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";

import { SignInPage } from "./SignInPage.tsx";

describe("SignInPage", () => {
  it("asks for the token and signs in with what was typed", () => {
    const onSignIn = vi.fn();
    render(<SignInPage reason="no-token" onSignIn={onSignIn} />);
    const button = screen.getByRole("button", { name: "Sign in" });
    expect(button).toBeDisabled();
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();

    fireEvent.change(screen.getByLabelText("API token"), { target: { value: "s3cret" } });
    fireEvent.click(button);

    expect(onSignIn).toHaveBeenCalledWith("s3cret");
  });

  it("says clearly when the API refused the token", () => {
    render(<SignInPage reason="rejected" onSignIn={vi.fn()} />);
    expect(screen.getByRole("alert")).toHaveTextContent("The API refused that token (HTTP 401)");
  });
});
