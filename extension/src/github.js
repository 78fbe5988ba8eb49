// GitHub URLs: which page is a pull request's diff, where a file's text at a
// commit lives, and which changed files keyleak reads. No DOM here (the DOM
// knowledge is in content/github-dom.js), so Node tests import it as is.

/**
 * @typedef {object} PullPage
 * @property {string} host      github.com, or a GitHub Enterprise host
 * @property {string} owner
 * @property {string} repo
 * @property {number} number
 * @property {string} tab       "conversation", "files" (classic), "changes" (React), "commits", ...
 * @property {string|null} head the head commit named by the URL (`/files/<a>..<b>`, `/changes/<sha>`), else null
 * @property {string} key       identifies the diff being shown: host/owner/repo#number@range
 */

const PULL_PATH = /^\/([^/]+)\/([^/]+)\/pull\/(\d+)(?:\/([a-z-]+)(?:\/([^?#]*?))?)?\/?$/;
const RANGE = /^([0-9a-f]{7,40})(?:\.\.\.?([0-9a-f]{7,40}))?$/i;

/**
 * The pull request a URL shows, or null when it is not a pull-request page.
 * @param {string} href
 * @returns {PullPage|null}
 */
export function parsePullUrl(href) {
  let url;
  try {
    url = new URL(href);
  } catch {
    return null;
  }
  const m = PULL_PATH.exec(url.pathname);
  if (!m) return null;
  const [, owner, repo, number, tab = "conversation", rest = ""] = m;
  let head = null;
  const range = RANGE.exec(rest);
  if (range && (tab === "files" || tab === "changes" || tab === "commits")) head = (range[2] ?? range[1]).toLowerCase();
  return {
    host: url.host,
    owner,
    repo,
    number: Number(number),
    tab,
    head,
    key: `${url.host}/${owner}/${repo}#${number}@${rest}`,
  };
}

/** The classic ("Files changed", `/files`) and React (`/changes`) diff tabs. */
export const isDiffTab = (/** @type {PullPage} */ page) => page.tab === "files" || page.tab === "changes";

/**
 * The URL of a file's text at `ref` (a commit, or `refs/pull/N/head`). On
 * github.com it answers with a redirect to raw.githubusercontent.com (with a
 * short-lived token for private repositories); fetched from the page with the
 * user's own session cookie.
 * @param {{host: string, owner: string, repo: string}} repo
 * @param {string} ref
 * @param {string} path
 */
export function rawFileUrl({ host, owner, repo }, ref, path) {
  const encoded = path.split("/").map(encodeURIComponent).join("/");
  return `https://${host}/${owner}/${repo}/raw/${ref}/${encoded}`;
}

/** The head of the pull request when the page names no commit. */
export const pullHeadRef = (/** @type {number} */ number) => `refs/pull/${number}/head`;

// Config files in the rule catalogue (KL102, KL301): the engine decides what
// to report in them; lock files are generated, large and never hand-edited.
const CONFIG_FILE = /(^|\/)(\.env(\.[^/]*)?|\.flaskenv|[^/]+\.(ya?ml|toml|ini|cfg|json))$/i;
const GENERATED = /(^|\/)(package-lock\.json|npm-shrinkwrap\.json|composer\.lock|[^/]+\.lock|[^/]+\.min\.json)$/i;

/**
 * Whether keyleak reads this changed file: Python sources and config files.
 * @param {string} path
 */
export function isAnalysable(path) {
  if (/\.pyw?$/i.test(path)) return true;
  return CONFIG_FILE.test(path) && !GENERATED.test(path);
}

/** Files larger than this are not fetched (a diff that large is not reviewed line by line). */
export const MAX_FILE_BYTES = 1_000_000;
