// Lifeline's opt-in monitor file beside ha.cf (/etc/ha.d/monitors; heartbeat ignores unknown files there): per
// haresources resource, how often to run its agent's monitor/status and how many in-place restarts before hand-over.
import { diag, type Diagnostic } from '../errors.js';
import { parseDuration } from './duration.js';
import type { ResourceGroup } from './haresources-model.js';

/** One monitored resource. */
export interface MonitorSpec {
  /** The resource as written in haresources (`httpd`, `IPaddr::10.0.0.5/24`, `10.0.0.5`). */
  readonly resource: string;
  /** Index of its group in haresources. */
  readonly group: number;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  /** Restarts in place before the group is handed to the peer as hb_standby does; 0: hand over at once. */
  readonly restarts: number;
  readonly line: number;
}

export const MONITOR_DEFAULTS = { intervalMs: 10_000, timeoutMs: 20_000, restarts: 3 } as const;

/** `RESOURCE [interval=TIME] [timeout=TIME] [restarts=N]` per line; `#` comments; times in ha.cf's syntax. */
export function parseMonitors(text: string, file: string, groups: readonly ResourceGroup[]): { value: MonitorSpec[]; diagnostics: Diagnostic[] } {
  const value: MonitorSpec[] = [];
  const diagnostics: Diagnostic[] = [];
  const seen = new Map<string, number>();
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    const words = raw.replace(/#.*/, '').trim().split(/\s+/).filter(Boolean);
    if (!words.length) return;
    const at = { location: { file, line }, found: raw.trim() };
    const resource = words[0]!;
    const group = groups.findIndex((g) => g.resources.some((r) => r.text === resource));
    if (group < 0) { diagnostics.push(diag('LL_MONITORS_UNKNOWN_RESOURCE', { resource }, at)); return; }
    if (seen.has(resource)) { diagnostics.push(diag('LL_MONITORS_DUPLICATE', { resource, first: seen.get(resource)! }, at)); return; }
    let { intervalMs, timeoutMs, restarts } = MONITOR_DEFAULTS as { intervalMs: number; timeoutMs: number; restarts: number };
    let ok = true;
    for (const w of words.slice(1)) {
      const [option, v] = w.split('=', 2) as [string, string | undefined];
      if (option === 'interval' || option === 'timeout') {
        const d = v === undefined ? undefined : parseDuration(v);
        if (!d || d.ms <= 0) { diagnostics.push(diag('LL_MONITORS_BAD_VALUE', { option, value: v ?? '', expected: 'a time such as 10, 500ms, 2s' }, at)); ok = false; continue; }
        if (option === 'interval') intervalMs = d.ms; else timeoutMs = d.ms;
      } else if (option === 'restarts') {
        const n = Number(v);
        if (v === undefined || !/^\d+$/.test(v) || n > 100) { diagnostics.push(diag('LL_MONITORS_BAD_VALUE', { option, value: v ?? '', expected: 'a whole number 0-100' }, at)); ok = false; continue; }
        restarts = n;
      } else { diagnostics.push(diag('LL_MONITORS_BAD_OPTION', { option }, at)); ok = false; }
    }
    if (!ok) return;
    seen.set(resource, line);
    value.push({ resource, group, intervalMs, timeoutMs, restarts, line });
  });
  return { value, diagnostics };
}
