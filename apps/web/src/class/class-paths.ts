/**
 * The trainer's class pages' addresses, apart from the pages themselves: main.tsx picks the page
 * from the address before either the editor's or the class pages' chunk is fetched.
 */
export const CLASS_PATHS = { overview: '/class', links: '/class/links' } as const;

/** Which class page an address is, or null for the editor. */
export function classPage(pathname: string): 'overview' | 'links' | null {
  const path = pathname.replace(/\/+$/, '');
  if (path === CLASS_PATHS.overview) return 'overview';
  if (path === CLASS_PATHS.links) return 'links';
  return null;
}
