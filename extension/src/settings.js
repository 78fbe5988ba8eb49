// What the options page saves (chrome.storage.sync) and everyone reads: the
// rule selection, in the CLI's terms, and the hosts the extension runs on.

/** @typedef {{select?: string[], ignore?: string[], "extend-select"?: string[]}} RuleOptions */

/**
 * @typedef {object} Settings
 * @property {RuleOptions} rules     passed to `new Engine(...)` as the `[tool.keyleak]` table
 * @property {Record<string, boolean>} hosts  host -> enabled; github.com is on unless switched off
 */

export const DEFAULT_HOST = "github.com";

/** @returns {Promise<Settings>} */
export async function loadSettings() {
  const stored = await chrome.storage.sync.get(["rules", "hosts"]);
  return normalise(stored);
}

/**
 * @param {{rules?: unknown, hosts?: unknown}} stored
 * @returns {Settings}
 */
export function normalise(stored) {
  /** @type {RuleOptions} */
  const rules = {};
  const raw = /** @type {Record<string, unknown>} */ (stored.rules ?? {});
  for (const key of /** @type {const} */ (["select", "ignore", "extend-select"])) {
    const value = raw[key];
    if (Array.isArray(value) && value.every((v) => typeof v === "string")) rules[key] = value;
  }
  /** @type {Record<string, boolean>} */
  const hosts = { [DEFAULT_HOST]: true };
  for (const [host, on] of Object.entries(/** @type {Record<string, unknown>} */ (stored.hosts ?? {}))) {
    if (typeof on === "boolean") hosts[host] = on;
  }
  return { rules, hosts };
}

/**
 * "KL2, KL402" -> ["KL2", "KL402"]: the CLI's `--select` syntax.
 * @param {string} text
 */
export function parseSelectors(text) {
  return text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * A GitHub Enterprise host as typed by a user: "https://ghe.example.com/" -> "ghe.example.com".
 * @param {string} text
 * @returns {string|null}
 */
export function parseHost(text) {
  const trimmed = text.trim();
  if (!trimmed) return null;
  try {
    const url = new URL(/^[a-z]+:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`);
    if (url.protocol !== "https:" || !url.hostname.includes(".")) return null;
    return url.host.toLowerCase();
  } catch {
    return null;
  }
}

/**
 * Origins to request for an Enterprise host: the host and its subdomains
 * (raw file URLs redirect to `raw.<host>` when subdomain isolation is on).
 * @param {string} host
 */
export const hostOrigins = (host) => [`https://${host}/*`, `https://*.${host}/*`];
