// The service worker: the only place the WebAssembly engine runs (a page's
// CSP blocks wasm in content scripts). It does no networking at all: the
// content script fetches files from GitHub with the user's session and
// sends their text here. Messages:
//   {type: "analyse", request: AnalyseRequest} -> {result: FileResult} | {error}
//   {type: "rules"}                            -> {version, rules, error?}
//   {type: "validate", rules: RuleOptions}     -> {error: string|null}
//   {type: "hosts-changed"}                    -> {}  (re-register Enterprise content scripts)
// Source text is never logged.

import init, { Engine, redact } from "../../crate/pkg/keyleak.js";
import { analyseFile } from "./analysis.js";
import { DEFAULT_HOST, hostOrigins, loadSettings } from "./settings.js";

const ready = init({ module_or_path: chrome.runtime.getURL("keyleak_bg.wasm") });

/** @type {Engine|null} */
let engine = null;
let engineKey = "";

/** @type {Promise<import("./settings.js").Settings>|null} */
let settings = null;
chrome.storage.onChanged.addListener((_changes, area) => {
  if (area === "sync") settings = null;
});

/** The engine for the saved rule selection (rebuilt when it changes). */
async function currentEngine() {
  await ready;
  settings ??= loadSettings();
  const { rules } = await settings;
  const key = JSON.stringify(rules);
  if (!engine || key !== engineKey) {
    const next = new Engine(rules); // throws on an unknown rule code: reported to the page
    engine?.free();
    engine = next;
    engineKey = key;
  }
  return engine;
}

/**
 * @param {any} msg
 * @returns {Promise<object>}
 */
async function handle(msg) {
  switch (msg?.type) {
    case "analyse": {
      const eng = await currentEngine();
      return { result: analyseFile(eng, redact, msg.request) };
    }
    case "rules": {
      await ready;
      const all = new Engine({});
      try {
        return { version: Engine.version(), rules: all.rules() };
      } finally {
        all.free();
      }
    }
    case "validate": {
      await ready;
      try {
        new Engine(msg.rules).free();
        return { error: null };
      } catch (e) {
        return { error: errorText(e) };
      }
    }
    case "hosts-changed":
      await registerEnterpriseHosts();
      return {};
    default:
      return { error: `unknown message ${String(msg?.type)}` };
  }
}

/** @param {unknown} e */
function errorText(e) {
  return e instanceof Error ? e.message : String(e);
}

chrome.runtime.onMessage.addListener((msg, _sender, sendResponse) => {
  handle(msg).then(sendResponse, (e) => sendResponse({ error: errorText(e) }));
  return true; // the answer comes asynchronously
});

// GitHub Enterprise: hosts the user added on the options page (and granted
// at run time) get the same content script as github.com.
const ENTERPRISE_SCRIPT = "keyleak-enterprise";

async function registerEnterpriseHosts() {
  if (!chrome.scripting) return; // the optional "scripting" permission is not granted
  const { hosts } = await loadSettings();
  const wanted = Object.keys(hosts).filter((h) => h !== DEFAULT_HOST && hosts[h]);
  const granted = [];
  for (const host of wanted) {
    if (await chrome.permissions.contains({ origins: hostOrigins(host) })) granted.push(host);
  }
  const existing = await chrome.scripting.getRegisteredContentScripts({ ids: [ENTERPRISE_SCRIPT] });
  if (existing.length) await chrome.scripting.unregisterContentScripts({ ids: [ENTERPRISE_SCRIPT] });
  if (!granted.length) return;
  await chrome.scripting.registerContentScripts([
    {
      id: ENTERPRISE_SCRIPT,
      matches: granted.map((h) => `https://${h}/*`),
      js: ["content.js"],
      css: ["content.css"],
      runAt: "document_end",
      persistAcrossSessions: true,
    },
  ]);
}

chrome.runtime.onInstalled.addListener(() => void registerEnterpriseHosts());
chrome.permissions.onRemoved.addListener(() => void registerEnterpriseHosts());
