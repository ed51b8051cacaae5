import type { ReactNode } from "react";

/**
 * The three non-data states every dashboard panel has. Each one renders
 * visible text, so a failing request never leaves a blank page.
 */

export function LoadingState({ label }: { label: string }) {
  return (
    <div className="state state--loading" role="status" aria-live="polite">
      <span className="state__spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

interface ErrorStateProps {
  title: string;
  message: string;
  onRetry?: () => void;
}

export function ErrorState({ title, message, onRetry }: ErrorStateProps) {
  return (
    <div className="state state--error" role="alert">
      <div>
        <strong className="state__title">{title}</strong>
        <p className="state__message">{message}</p>
      </div>
      {onRetry !== undefined && (
        <button type="button" className="button" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}

export function EmptyState({ children }: { children: ReactNode }) {
  return <div className="state state--empty">{children}</div>;
}
