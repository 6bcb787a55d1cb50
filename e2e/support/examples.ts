import { expect, type Page } from '@playwright/test';

/** Opens one of examples/ from the top bar (the lab becomes that topology). */
export async function openExample(
  page: Page,
  title: 'veth pair' | 'bridge' | 'router with NAT' | 'firewall drop',
): Promise<void> {
  await page.getByRole('button', { name: 'examples' }).click();
  await page.getByRole('menuitem', { name: `open example ${title}` }).click();
  const replace = page.getByRole('dialog', { name: /^Replace the lab/ });
  if (await replace.isVisible()) await replace.getByRole('button', { name: 'Replace' }).click();
  await expect(page.getByText(`Opened the ${title} example.`)).toBeVisible({ timeout: 30_000 });
}
