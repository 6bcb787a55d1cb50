import { classActions } from './class-store';

/**
 * Opens a student's lab as its editor in a new tab. The tab is opened at the click (a tab opened
 * after an answer from the agent would be blocked as a pop-up), then sent to the fresh one-time
 * link; it is cut from this page first, as `noopener` would.
 */
export async function takeOver(student: string): Promise<string | null> {
  const tab = window.open('about:blank', '_blank');
  const { url, why } = await classActions.newLink(student);
  if (url === null) {
    tab?.close();
    return why ?? 'the agent gave no link';
  }
  if (tab) {
    tab.opener = null;
    tab.location.href = url;
  }
  return null;
}
