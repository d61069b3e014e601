import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP } from 'node:net';
import { AppError } from '../../errors.ts';

/**
 * Where gridgov may send requests on its own (webhooks, Open311 outbound). A URL an administrator types could
 * otherwise reach the server's own loopback, the cloud's metadata service or the town's intranet, and the
 * answers would come back through the delivery log. Private, loopback and link-local addresses are refused
 * unless GRIDGOV_OUTBOUND_ALLOW names the host or a range holding the address; a name is checked by the
 * addresses it resolves to, when the URL is saved and again on every connection (DNS can change in between).
 */

/** Ranges no outgoing request reaches unless allowed: RFC 1918, loopback, link-local, CGNAT, ULA and more. */
const PRIVATE_RANGES: readonly [string, number, 'ipv4' | 'ipv6'][] = [
  ['0.0.0.0', 8, 'ipv4'],
  ['10.0.0.0', 8, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'],
  ['127.0.0.0', 8, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'],
  ['172.16.0.0', 12, 'ipv4'],
  ['192.0.0.0', 24, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['198.18.0.0', 15, 'ipv4'],
  ['224.0.0.0', 3, 'ipv4'],
  ['::', 128, 'ipv6'],
  ['::1', 128, 'ipv6'],
  ['fc00::', 7, 'ipv6'],
  ['fe80::', 10, 'ipv6'],
  ['ff00::', 8, 'ipv6'],
];

const BLOCKED = new BlockList();
for (const [network, prefix, family] of PRIVATE_RANGES) BLOCKED.addSubnet(network, prefix, family);

export interface OutboundAnswer {
  status: number;
  /** The answer's body, cut at `maxBytes`. */
  body: string;
}

export interface OutboundRequest {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
  /** Bytes of the answer kept; the rest is not read. */
  maxBytes: number;
}

export type OutboundGuard = ReturnType<typeof createOutboundGuard>;

/** A host name, address or CIDR range an administrator allows (GRIDGOV_OUTBOUND_ALLOW). */
export function parseAllowEntry(entry: string): { host: string } | { network: string; prefix: number } {
  const [address, bits] = entry.split('/');
  const family = isIP(address ?? '');
  if (family === 0) {
    if (bits !== undefined || !/^[a-z0-9.-]+$/i.test(entry)) {
      throw new Error(
        `GRIDGOV_OUTBOUND_ALLOW: "${entry}" is neither a host name nor an address or CIDR range`,
      );
    }
    return { host: entry.toLowerCase().replace(/\.$/, '') };
  }
  const max = family === 4 ? 32 : 128;
  const prefix = bits === undefined ? max : Number(bits);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) {
    throw new Error(`GRIDGOV_OUTBOUND_ALLOW: "${entry}" has an invalid prefix length`);
  }
  return { network: address as string, prefix };
}

/**
 * The guard for one server's configuration. `allow` lists hosts, addresses and CIDR ranges an administrator
 * lets outgoing requests reach although they are private (a receiver on the same machine, the intranet).
 */
export function createOutboundGuard(allow: readonly string[] = []) {
  const allowedHosts = new Set<string>();
  const allowedRanges = new BlockList();
  for (const entry of allow) {
    const parsed = parseAllowEntry(entry.trim());
    if ('host' in parsed) allowedHosts.add(parsed.host);
    else allowedRanges.addSubnet(parsed.network, parsed.prefix, isIP(parsed.network) === 6 ? 'ipv6' : 'ipv4');
  }

  /** Why an address may not be reached, or null when it may. */
  function refusalOf(address: string): string | null {
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (!BLOCKED.check(address, family) || allowedRanges.check(address, family)) return null;
    return `${address} is a private, loopback or link-local address (allow it with GRIDGOV_OUTBOUND_ALLOW)`;
  }

  function hostOf(url: URL): string {
    return url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  }

  /** The URL parsed, when its scheme is http(s); a literal address is checked at once. */
  function checkSyntax(value: string): { url: URL; host: string } | { problem: string } {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return { problem: 'not a URL' };
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return { problem: 'not an http(s) URL' };
    const host = hostOf(url);
    if (allowedHosts.has(host)) return { url, host };
    if (isIP(host)) {
      const refusal = refusalOf(host);
      if (refusal) return { problem: refusal };
    }
    return { url, host };
  }

  function resolveAll(host: string): Promise<LookupAddress[]> {
    return new Promise((resolve, reject) =>
      dnsLookup(host, { all: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))),
    );
  }

  /**
   * Refuses, as a 400 naming `field`, a URL an outgoing request may not be sent to: not http(s), a private
   * address, or a name resolving to one. A name that does not resolve now is let through: it is checked
   * again on every connection.
   */
  async function assertAllowedUrl(value: string, field: string): Promise<void> {
    const checked = checkSyntax(value);
    let problem = 'problem' in checked ? checked.problem : null;
    if (!problem && 'host' in checked && !allowedHosts.has(checked.host) && !isIP(checked.host)) {
      const addresses = await resolveAll(checked.host).catch(() => []);
      problem = addresses.map((a) => refusalOf(a.address)).find((r) => r !== null) ?? null;
      if (problem) problem = `${checked.host} → ${problem}`;
    }
    if (problem) {
      const message = `${field}: ${problem}`;
      throw new AppError('VALIDATION_FAILED', { summary: message }, { issues: [{ path: field, message }] });
    }
  }

  /**
   * One request to an allowed URL, connecting only to addresses checked at connection time, following no
   * redirect, and keeping at most `maxBytes` of the answer. Rejects with what went wrong; a timeout rejects
   * with the signal's TimeoutError.
   */
  function send(value: string, options: OutboundRequest): Promise<OutboundAnswer> {
    const checked = checkSyntax(value);
    if ('problem' in checked) return Promise.reject(new Error(checked.problem));
    const { url, host } = checked;
    const trusted = allowedHosts.has(host);
    const signal = AbortSignal.timeout(options.timeoutMs);
    const lookup = (
      hostname: string,
      lookupOptions: { all?: boolean },
      callback: (error: Error | null, address: string | LookupAddress[], family?: number) => void,
    ) => {
      dnsLookup(hostname, { ...lookupOptions, all: true }, (error, addresses) => {
        if (error) return callback(error, '');
        const refusal = trusted ? null : addresses.map((a) => refusalOf(a.address)).find((r) => r !== null);
        if (refusal) return callback(new Error(`${hostname} → ${refusal}`), '');
        if (lookupOptions.all) return callback(null, addresses);
        const first = addresses[0];
        if (!first) return callback(new Error(`${hostname} has no address`), '');
        return callback(null, first.address, first.family);
      });
    };
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const fail = (error: unknown) => reject(signal.aborted ? signal.reason : error);
      const outgoing = request(
        url,
        {
          method: options.method ?? 'GET',
          headers: {
            ...options.headers,
            ...(options.body !== undefined
              ? { 'Content-Length': String(Buffer.byteLength(options.body)) }
              : {}),
          },
          lookup: lookup as never,
          signal,
        },
        (response: IncomingMessage) => {
          const chunks: Buffer[] = [];
          let kept = 0;
          response.on('data', (chunk: Buffer) => {
            if (kept >= options.maxBytes) return;
            chunks.push(chunk.subarray(0, options.maxBytes - kept));
            kept += chunk.length;
            // Enough of the answer is kept: the rest is neither read nor held.
            if (kept >= options.maxBytes) response.destroy();
          });
          const done = () =>
            resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
          response.on('end', done);
          response.on('close', done);
          response.on('error', (error) => (kept >= options.maxBytes ? done() : fail(error)));
        },
      );
      outgoing.on('error', fail);
      outgoing.end(options.body);
    });
  }

  return { assertAllowedUrl, send };
}
