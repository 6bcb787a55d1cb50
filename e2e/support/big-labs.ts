import { expect, type Page } from '@playwright/test';

/**
 * The large labs the specs import (the screen's, the overview's, the picture's geometry), made
 * here from a few numbers, and their import through the top bar's file button, as a person would.
 */

interface Place {
  x: number;
  y: number;
}

/** A lab document as a topology file holds it (validated by the agent on import). */
export interface LabFile {
  schemaVersion: 1;
  namespaces: { name: string; position: Place }[];
  bridges?: { name: string; position: Place }[];
  links: {
    a: { node: string; ifname: string; addresses?: string[] };
    b: { node: string; ifname: string; addresses?: string[] };
  }[];
}

/** `prefix` and the index, zero-padded to the widest index: sc00…sc29, ov000…ov119. */
export const gridName = (prefix: string, count: number, i: number): string =>
  `${prefix}${String(i).padStart(String(count - 1).length, '0')}`;

/**
 * `count` namespaces on a grid of `columns` (as the layout places cards: 330 × 210 apart), paired
 * by veths (0–1, 2–3, …), each pair a /30 of 10.77.k.0: every card has lo and eth0.
 */
export function pairedGrid(prefix: string, count: number, columns: number): LabFile {
  const name = (i: number) => gridName(prefix, count, i);
  const at = (i: number) => ({
    x: (i % columns) * PAIRED_PITCH.x,
    y: Math.floor(i / columns) * PAIRED_PITCH.y,
  });
  return {
    schemaVersion: 1,
    namespaces: Array.from({ length: count }, (_, i) => ({ name: name(i), position: at(i) })),
    links: Array.from({ length: count / 2 }, (_, k) => ({
      a: { node: name(2 * k), ifname: 'eth0', addresses: [`10.77.${k}.1/30`] },
      b: { node: name(2 * k + 1), ifname: 'eth0', addresses: [`10.77.${k}.2/30`] },
    })),
  };
}

/** pairedGrid's distance between two cards' top-left corners. */
export const PAIRED_PITCH = { x: 330, y: 210 } as const;

/**
 * 30 namespaces ns00…ns29, six columns in five rows: the first 27 on three bridges (br0…br2, in
 * bands between some rows), each bridge's namespaces spread over the whole grid, so its lines must
 * go around other cards to reach them; the last three in a chain of veths.
 */
export function bridgedThirty(): LabFile {
  const count = 30;
  const bridges = 3;
  const bridged = count - 3;
  const rowY = [0, 340, 560, 900, 1120];
  const bands = [
    { x: 0, y: 200 },
    { x: 600, y: 760 },
    { x: 300, y: 1360 },
  ];
  const ns = (i: number) => gridName('ns', count, i);
  return {
    schemaVersion: 1,
    namespaces: Array.from({ length: count }, (_, i) => ({
      name: ns(i),
      position: { x: (i % 6) * 340, y: rowY[Math.floor(i / 6)]! },
    })),
    bridges: bands.map((position, b) => ({ name: `br${b}`, position })),
    links: [
      ...Array.from({ length: bridged }, (_, i) => ({
        a: { node: `br${i % bridges}`, ifname: `p${i}` },
        b: { node: ns(i), ifname: 'eth0', addresses: [`10.3${i % bridges}.0.${i + 1}/24`] },
      })),
      { a: { node: ns(27), ifname: 'eth0' }, b: { node: ns(28), ifname: 'eth0' } },
      { a: { node: ns(28), ifname: 'eth1' }, b: { node: ns(29), ifname: 'eth0' } },
    ],
  };
}

/**
 * Imports `lab` with the top bar's file button (the file made in memory) and waits for the page to
 * say it is done: the agent has built it in the kernel. Big labs on a loaded machine take minutes.
 * The notice saying so lasts 8 s from when it was made: a page busy for longer right after (a CI
 * rehearsal at load 15, 2026-12-02) showed it unseen, so the lab summary's count, which the page
 * shows once the agent's new version arrives, says it too.
 */
export async function importLab(page: Page, lab: LabFile, timeout = 240_000): Promise<void> {
  await page.getByLabel('topology file to import').setInputFiles({
    name: 'lab.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(lab)),
  });
  const counted = page.getByText(new RegExp(`^${lab.namespaces.length} namespaces · `));
  await expect(page.getByText('Imported the topology file.').or(counted).first()).toBeVisible({ timeout });
  await expect(page.getByText(/^Could not import/)).toHaveCount(0);
}
