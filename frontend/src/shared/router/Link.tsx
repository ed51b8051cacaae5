import type { MouseEvent, ReactNode } from "react";

import { navigate } from "./navigation.ts";
import { pathFor, type Route } from "./routes.ts";

interface LinkProps {
  to: Route;
  children: ReactNode;
  className?: string;
  "aria-current"?: "page";
}

/** An <a> that navigates in-app on a plain click and behaves normally otherwise. */
export function Link({ to, children, className, ...rest }: LinkProps) {
  const href = pathFor(to);
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return; // new tab, new window, download: the browser's job
    }
    event.preventDefault();
    navigate(href);
  };
  return (
    <a href={href} className={className} onClick={onClick} aria-current={rest["aria-current"]}>
      {children}
    </a>
  );
}
