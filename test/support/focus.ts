// Where the keyboard focus is in a portal page, for the browser tests' focus checks (docs/portal.md
// "Accessibility": each action's result takes the focus, a refusal is focused at its field).

import type { Page } from 'playwright-core';

/** The id of the focused element, the role of the alert or status box it sits in, or its tag; `body` when nothing has the focus. */
export const focused = (page: Page): Promise<string> =>
  page.evaluate(() => {
    const a = document.activeElement;
    if (a === null || a === document.body) return 'body';
    return a.id || a.closest('[role=alert],[role=status]')?.getAttribute('role') || a.tagName.toLowerCase();
  });

/** The text of the focused element (a button's name, an alert's text), trimmed; '' when none. */
export const focusedText = (page: Page): Promise<string> =>
  page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');
