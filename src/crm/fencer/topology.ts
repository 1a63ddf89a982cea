// Fencing topology (the CIB's <fencing-topology>): levels 1-9 per target, matched by name, pattern or node
// attribute; a target's levels are tried in order, all devices of a level must succeed. Pure.

import { parseXml, getAttr, type XEl } from '../xml-lite.js';

/** How a level names its target (fenced_target_by_name / _pattern / _attribute). */
export type LevelTarget =
  | { readonly by: 'name'; readonly name: string }
  | { readonly by: 'pattern'; readonly pattern: string }
  | { readonly by: 'attribute'; readonly attribute: string; readonly value: string };

/** One <fencing-level>. */
export interface Level {
  readonly id: string;
  readonly target: LevelTarget;
  /** 1..9 (ST_LEVEL_MAX is 10; index 0 is unused). */
  readonly index: number;
  readonly devices: readonly string[];
}

export interface Topology {
  readonly levels: readonly Level[];
}

/** Pacemaker's ST_LEVEL_MAX: levels are 1..9. */
export const LEVEL_MAX = 10;

/** A level's devices attribute: comma-separated ids (parse_device_list also accepts blanks around them). */
export function parseDeviceList(text: string): string[] {
  return text.split(',').map((s) => s.trim()).filter(Boolean);
}

function find(e: XEl, name: string): XEl | undefined {
  if (e.tagName === name) return e;
  for (const k of e.kids) { const f = find(k, name); if (f) return f; }
  return undefined;
}

/** Reads <fencing-topology> from a CIB; levels naming unknown devices are kept (they may be registered later). */
export function parseTopology(xml: string, known: ReadonlySet<string>): { levels: Level[]; problems: Array<{ id: string; text: string }> } {
  const levels: Level[] = [];
  const problems: Array<{ id: string; text: string }> = [];
  const doc = parseXml(xml);
  if (!doc.ok) return { levels, problems };
  const conf = doc.root.kids.find((k) => k.tagName === 'configuration');
  const topo = conf ? find(conf, 'fencing-topology') : undefined;
  if (!topo) return { levels, problems };
  for (const l of topo.kids.filter((k) => k.tagName === 'fencing-level')) {
    const id = getAttr(l, 'id') ?? '(no id)';
    const index = Number(getAttr(l, 'index'));
    if (!Number.isInteger(index) || index < 1 || index >= LEVEL_MAX) { problems.push({ id, text: `fencing level index "${getAttr(l, 'index') ?? ''}" is not 1-9: level ignored` }); continue; }
    const name = getAttr(l, 'target'), pattern = getAttr(l, 'target-pattern'), attribute = getAttr(l, 'target-attribute');
    let target: LevelTarget;
    if (name) target = { by: 'name', name };
    else if (pattern) {
      try { new RegExp(pattern); } catch { problems.push({ id, text: `bad target-pattern "${pattern}": level ignored` }); continue; }
      target = { by: 'pattern', pattern };
    } else if (attribute) target = { by: 'attribute', attribute, value: getAttr(l, 'target-value') ?? '' };
    else { problems.push({ id, text: 'fencing level has no target, target-pattern or target-attribute: level ignored' }); continue; }
    const devices = parseDeviceList(getAttr(l, 'devices') ?? '');
    if (devices.length === 0) { problems.push({ id, text: 'fencing level has no devices: level ignored' }); continue; }
    for (const d of devices) if (!known.has(d)) problems.push({ id, text: `fencing level ${index} names device "${d}", which is not a stonith resource` });
    levels.push({ id, target, index, devices });
  }
  return { levels, problems };
}

/** Node attributes a level may target (`target-attribute`); the fencer is given them from the CIB's nodes. */
export type NodeAttrs = (node: string, name: string) => string | undefined;

function matches(t: LevelTarget, node: string, attrs: NodeAttrs): boolean {
  switch (t.by) {
    case 'name': return t.name.toLowerCase() === node.toLowerCase();
    case 'pattern': return new RegExp(t.pattern).test(node);
    case 'attribute': return attrs(node, t.attribute) === t.value;
  }
}

/**
 * find_topology_for_host: the levels registered for this exact node name, else those of the first pattern or
 * attribute entry that matches; as index → devices, levels in increasing index. Empty: no topology.
 */
export function levelsFor(topo: Topology, node: string, attrs: NodeAttrs = () => undefined): Array<{ index: number; devices: readonly string[] }> {
  const byName = topo.levels.filter((l) => l.target.by === 'name' && matches(l.target, node, attrs));
  let chosen = byName;
  if (chosen.length === 0) {
    // Entries are keyed by their target text: all levels of the first matching key.
    const key = (t: LevelTarget) => (t.by === 'pattern' ? `pattern:${t.pattern}` : t.by === 'attribute' ? `attr:${t.attribute}=${t.value}` : `name:${t.name}`);
    const first = topo.levels.find((l) => l.target.by !== 'name' && matches(l.target, node, attrs));
    chosen = first ? topo.levels.filter((l) => key(l.target) === key(first.target)) : [];
  }
  // A later registration of the same index replaces the earlier one (fenced_register_level).
  const byIndex = new Map<number, readonly string[]>();
  for (const l of chosen) byIndex.set(l.index, l.devices);
  return [...byIndex.entries()].sort((a, b) => a[0] - b[0]).map(([index, devices]) => ({ index, devices }));
}
