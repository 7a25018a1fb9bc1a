import { useEffect } from 'react';

/**
 * Sets the document title of a page ("… · Jobmon"). An effect rather than React 19's hoisted <title>:
 * a page renders its title from different places while it loads and once it has data, and the hoisted
 * element was seen to keep the loading one.
 */
export function PageTitle({ children }: { children: string }) {
  useEffect(() => {
    document.title = `${children} · Jobmon`;
  }, [children]);
  return null;
}
