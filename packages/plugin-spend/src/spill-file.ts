import { mkdirSync, readdirSync } from 'node:fs';
import { open, readFile, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { SpendRow } from './spend-row.ts';

const PREFIX = 'spend-spill-';
const SUFFIX = '.jsonl';

/** This process's spill file name: host and pid tell a live sibling's file from a dead process's. */
let sequence = 0;

export function spillFileName(): string {
  sequence++;
  return `${PREFIX}${hostname()}~${process.pid}~${Date.now()}~${sequence}${SUFFIX}`;
}

/** Appends rows as JSON lines and fsyncs before returning: a spilled row survives a crash. */
export async function appendSpill(path: string, rows: readonly SpendRow[]): Promise<void> {
  if (rows.length === 0) return;
  let text = '';
  for (const row of rows) text += `${JSON.stringify(row)}\n`;
  const handle = await open(path, 'a', 0o600);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export interface ParsedSpill {
  rows: SpendRow[];
  /** Lines that are not a row (a torn last line after a crash mid-write). */
  bad: string[];
}

export async function readSpill(path: string): Promise<ParsedSpill> {
  const text = await readFile(path, 'utf8');
  const rows: SpendRow[] = [];
  const bad: string[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const row = JSON.parse(line) as SpendRow;
      if (typeof row?.id === 'string' && typeof row.model === 'string') rows.push(row);
      else bad.push(line);
    } catch {
      bad.push(line);
    }
  }
  return { rows, bad };
}

export async function removeSpill(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (err) {
    // Another replica sharing the data dir may have replayed and removed it first.
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

function spillTime(name: string): number {
  const time = Number(name.slice(PREFIX.length, -SUFFIX.length).split('~')[2]);
  return Number.isFinite(time) ? time : 0;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Spill files left by earlier runs, oldest first. A file still owned by another live process on
 * this host is skipped: that process may be appending to it and replays it itself.
 * Runs once at start-up, so the synchronous directory read is fine.
 */
export function findSpills(dataDir: string): string[] {
  mkdirSync(dataDir, { recursive: true });
  const me = hostname();
  return readdirSync(dataDir)
    .filter((name) => name.startsWith(PREFIX) && name.endsWith(SUFFIX))
    .filter((name) => {
      const [host, pid] = name.slice(PREFIX.length, -SUFFIX.length).split('~');
      const owner = Number(pid);
      if (host !== me || !Number.isInteger(owner) || owner === process.pid) return true;
      return !alive(owner);
    })
    .sort((a, b) => spillTime(a) - spillTime(b) || (a < b ? -1 : 1))
    .map((name) => join(dataDir, name));
}
