// Parses /etc/ha.d/haresources: one resource group a line (`\` continues it), preferred node first, resources in start order.
// Pure: text, file name and the ha.cf node names in; ResourceGroups and every diagnostic (with its line) out.

import { diag, type Code, type Diagnostic } from '../errors.js';
import { nodeName, type NodeName } from '../types.js';
import type { ResourceGroup, ResourceSpec } from './haresources-model.js';
import { inSubnet, ipv4ToNumber, isIPv4 } from './address.js';

export { inSubnet, isIPv4 } from './address.js';

export type { ResourceGroup, ResourceSpec } from './haresources-model.js';

/** What parseHaresources returns: the groups when there is no error, and every diagnostic in line order. */
export interface HaresourcesParse {
  readonly value?: readonly ResourceGroup[];
  readonly diagnostics: readonly Diagnostic[];
}

/** An IPaddr argument `ADDR[/PREFIX[/IFACE[/BROADCAST]]]`, decoded. */
export interface AddressSpec {
  readonly ip: string;
  readonly prefix?: number;
  readonly iface?: string;
  readonly broadcast?: string;
}

/** A word that is an address, so heartbeat's ResourceManager reads it as `IPaddr::word`. */
const LOOKS_LIKE_ADDRESS = /^\d+\.\d+\.\d+\.\d+(\/|$)/;
/** Resource types whose first argument is an address specification. */
const ADDRESS_TYPES = new Set(['IPaddr', 'IPaddr2', 'IPsrcaddr']);

type Problem = { code: Code; vars: Record<string, string>; found: string; expected: string };

/**
 * Decodes `10.0.0.5`, `10.0.0.5/24`, `10.0.0.5/24/eth1`, `10.0.0.5/24/eth1/10.0.0.255`, and (as heartbeat's
 * IPaddr wrappers do) `10.0.0.5/24/10.0.0.255`, where a third part starting with a digit is the broadcast address.
 * A dotted netmask (`/255.255.255.0`) is accepted as IPaddr accepts it; empty parts mean "find it at start time".
 * The one parser of this syntax: `lifeline check` and the IPaddr agents both read addresses through it.
 */
export function parseAddressSpec(text: string, resource: string): { spec?: AddressSpec; problems: Problem[] } {
  const [ip = '', prefixText, third, fourth, ...extra] = text.split('/');
  const problems: Problem[] = [];
  if (!isIPv4(ip)) problems.push({ code: 'LL_HARES_BAD_ADDRESS', vars: { value: ip, resource }, found: ip, expected: 'a dotted IPv4 address such as 192.168.1.5' });
  let prefix: number | undefined;
  if (prefixText !== undefined && prefixText !== '') {
    if (/^\d{1,2}$/.test(prefixText) && Number(prefixText) >= 1 && Number(prefixText) <= 32) prefix = Number(prefixText);
    else if (isIPv4(prefixText)) {
      const n = ipv4ToNumber(prefixText);
      const bits = n.toString(2).padStart(32, '0');
      if (/^1+0*$/.test(bits)) prefix = bits.indexOf('0') === -1 ? 32 : bits.indexOf('0');
    }
    if (prefix === undefined) problems.push({ code: 'LL_HARES_BAD_PREFIX', vars: { value: prefixText, resource }, found: prefixText, expected: 'a prefix length 1-32 (e.g. 24) or a netmask such as 255.255.255.0' });
  }
  let iface: string | undefined;
  let broadcast: string | undefined;
  if (third !== undefined && third !== '') {
    if (/^[0-9]/.test(third)) broadcast = third;
    else iface = third;
  }
  if (fourth !== undefined && fourth !== '') broadcast = fourth;
  // An interface name, optionally with an IPaddr label (`eth0:1`); the kernel's IFNAMSIZ limit is 15 characters.
  if (iface !== undefined && !/^[A-Za-z0-9_.@-]{1,15}(:[A-Za-z0-9_.-]+)?$/.test(iface)) {
    problems.push({ code: 'LL_HARES_BAD_RESOURCE', vars: { resource, reason: `[${iface}] is not an interface name` }, found: iface, expected: 'an interface name such as eth0 or bond0' });
  }
  if (broadcast !== undefined && !isIPv4(broadcast)) problems.push({ code: 'LL_HARES_BAD_BROADCAST', vars: { value: broadcast, resource }, found: broadcast, expected: 'a dotted IPv4 broadcast address' });
  if (extra.length > 0) problems.push({ code: 'LL_HARES_BAD_RESOURCE', vars: { resource, reason: 'too many "/" parts' }, found: text, expected: 'ADDRESS[/PREFIX[/IFACE[/BROADCAST]]]' });
  if (problems.length > 0) return { problems };
  return { spec: { ip, ...(prefix !== undefined ? { prefix } : {}), ...(iface ? { iface } : {}), ...(broadcast ? { broadcast } : {}) }, problems };
}

/** Reads one resource word: a bare address is IPaddr, `Type::a::b` passes arguments, anything else is a script name. */
function parseResource(word: string): { spec?: ResourceSpec; problems: Problem[] } {
  if (LOOKS_LIKE_ADDRESS.test(word)) {
    const { problems } = parseAddressSpec(word, word);
    return problems.length ? { problems } : { spec: { type: 'IPaddr', args: [word], text: word }, problems };
  }
  const [type = '', ...args] = word.split('::');
  if (type === '' || !/^[A-Za-z0-9_.+:-]+$/.test(type)) {
    return { problems: [{ code: 'LL_HARES_BAD_RESOURCE', vars: { resource: word, reason: 'no resource type before "::"' }, found: word, expected: 'Type or Type::arg1::arg2, e.g. IPaddr::10.0.0.5/24' }] };
  }
  if (args.some((a) => a === '')) {
    return { problems: [{ code: 'LL_HARES_BAD_RESOURCE', vars: { resource: word, reason: 'an empty argument between "::"' }, found: word, expected: 'Type::arg1::arg2 with no empty argument' }] };
  }
  if (ADDRESS_TYPES.has(type)) {
    if (args[0] === undefined) {
      return { problems: [{ code: 'LL_HARES_BAD_RESOURCE', vars: { resource: word, reason: `${type} needs an address` }, found: word, expected: `${type}::ADDRESS[/PREFIX[/IFACE]]` }] };
    }
    const { problems } = parseAddressSpec(args[0], word);
    if (problems.length) return { problems };
  }
  return { spec: { type, args, text: word }, problems: [] };
}

/**
 * Parses haresources. `nodes` are the ha.cf node names; a group's first word must be one of them (compared without
 * case, as heartbeat lower-cases names). Comments run from a `#` at the start of a word to the end of the line.
 */
export function parseHaresources(text: string, file: string, nodes: readonly string[]): HaresourcesParse {
  const diagnostics: Diagnostic[] = [];
  const groups: ResourceGroup[] = [];
  const known = new Set(nodes.map((n) => n.toLowerCase()));
  const firstSeen = new Map<string, number>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const startLine = i + 1;
    let logical = '';
    let raw = stripComment(lines[i]!);
    // `\` at the end joins the next physical line; the group keeps the line where it started.
    while (/\\\s*$/.test(raw)) {
      logical += raw.replace(/\\\s*$/, ' ');
      if (i + 1 >= lines.length) {
        diagnostics.push(diag('LL_HARES_CONTINUATION_AT_EOF', {}, { severity: 'warning', location: { file, line: startLine }, found: '\\', expected: 'another line after a continuation' }));
        raw = '';
        break;
      }
      raw = stripComment(lines[++i]!);
    }
    logical += raw;
    const words = logical.trim().split(/\s+/).filter((w) => w !== '');
    if (words.length === 0) continue;
    const [node, ...rest] = words as [string, ...string[]];
    const location = { file, line: startLine };
    if (!known.has(node.toLowerCase())) {
      diagnostics.push(diag('LL_HARES_BAD_NODENAME', { file, node }, { location, found: node, expected: `a node named in ha.cf (${nodes.join(', ') || 'none declared'})` }));
      continue;
    }
    if (rest.length === 0) {
      diagnostics.push(diag('LL_HARES_NO_RESOURCES', { node }, { severity: 'warning', location, found: logical.trim(), expected: `${node} RESOURCE...` }));
    }
    const resources: ResourceSpec[] = [];
    for (const w of rest) {
      const { spec, problems } = parseResource(w);
      for (const p of problems) diagnostics.push(diag(p.code, p.vars, { location, found: p.found, expected: p.expected }));
      if (!spec) continue;
      const key = resourceKey(spec);
      const first = firstSeen.get(key);
      if (first !== undefined) {
        diagnostics.push(diag('LL_HARES_DUPLICATE_RESOURCE', { resource: w, first }, { severity: 'warning', location, found: w, expected: 'each resource in one group only' }));
      } else firstSeen.set(key, startLine);
      resources.push(Object.freeze({ ...spec, args: Object.freeze([...spec.args]) }));
    }
    groups.push(Object.freeze({ preferredNode: nodeName(node.toLowerCase()) as NodeName, resources: Object.freeze(resources), line: startLine }));
  }
  const failed = diagnostics.some((d) => d.severity === 'error');
  return failed ? { diagnostics } : { value: Object.freeze(groups), diagnostics };
}

function stripComment(line: string): string {
  return line.replace(/\r$/, '').replace(/(^|\s)#.*$/, '$1');
}

/** Two resources are the same when they manage the same thing: the same address, or the same script and arguments. */
function resourceKey(r: ResourceSpec): string {
  if (ADDRESS_TYPES.has(r.type) && r.args[0]) return `ip:${r.args[0].split('/')[0]}`;
  return `${r.type}::${r.args.join('::')}`;
}

/** The address specs of a group list (bare addresses and IPaddr/IPaddr2 arguments), with the line of their group. */
export function serviceAddresses(groups: readonly ResourceGroup[]): Array<AddressSpec & { line: number; text: string }> {
  const out: Array<AddressSpec & { line: number; text: string }> = [];
  for (const g of groups) {
    for (const r of g.resources) {
      if (!ADDRESS_TYPES.has(r.type) || r.args[0] === undefined) continue;
      const { spec } = parseAddressSpec(r.args[0], r.text);
      if (spec) out.push({ ...spec, line: g.line, text: r.text });
    }
  }
  return out;
}
