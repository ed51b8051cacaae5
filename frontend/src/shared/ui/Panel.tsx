import type { ReactNode } from "react";

interface PanelProps {
  title: string;
  /** Small text or controls at the right of the title bar. */
  aside?: ReactNode;
  children: ReactNode;
}

/** A titled card; the building block of dashboard pages. */
export function Panel({ title, aside, children }: PanelProps) {
  return (
    <section className="panel" aria-label={title}>
      <header className="panel__header">
        <h2 className="panel__title">{title}</h2>
        {aside !== undefined && <div className="panel__aside">{aside}</div>}
      </header>
      <div className="panel__body">{children}</div>
    </section>
  );
}
