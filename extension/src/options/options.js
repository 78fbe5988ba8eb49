// The options page: the rule selection (checked by the engine before it is
// saved) and the hosts keyleak runs on.

import { DEFAULT_HOST, hostOrigins, loadSettings, parseHost, parseSelectors } from "../settings.js";

/** @typedef {import("../settings.js").RuleOptions} RuleOptions */
/** @typedef {import("../../../crate/pkg/keyleak.js").Rule} Rule */

const FIELDS = /** @type {const} */ (["select", "extend-select", "ignore"]);

/** @param {string} id */
const byId = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
const input = (/** @type {string} */ id) => /** @type {HTMLInputElement} */ (byId(id));

/**
 * @param {HTMLElement} node
 * @param {string} text
 * @param {"ok"|"error"|""} tone
 */
function status(node, text, tone) {
  node.textContent = text;
  node.className = tone;
}

/** @param {any} msg */
const ask = (msg) => /** @type {Promise<any>} */ (chrome.runtime.sendMessage(msg));

async function showRules() {
  const { rules } = await loadSettings();
  for (const field of FIELDS) input(field).value = (rules[field] ?? []).join(", ");
  const answer = await ask({ type: "rules" });
  if (answer?.version) byId("version").textContent = `Engine ${answer.version}.`;
  const body = /** @type {HTMLTableSectionElement} */ (byId("rules").querySelector("tbody"));
  body.replaceChildren(
    ...(/** @type {Rule[]} */ (answer?.rules ?? [])).map((rule) => {
      const row = document.createElement("tr");
      for (const text of [rule.code, rule.name, rule.summary, rule.defaultEnabled ? "on" : "opt-in"]) {
        const cell = document.createElement("td");
        cell.textContent = text;
        row.append(cell);
      }
      return row;
    }),
  );
}

byId("rules-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  /** @type {RuleOptions} */
  const rules = {};
  for (const field of FIELDS) {
    const values = parseSelectors(input(field).value);
    if (values.length) rules[field] = values;
  }
  const { error } = await ask({ type: "validate", rules });
  if (error) return status(byId("rules-status"), error, "error");
  await chrome.storage.sync.set({ rules });
  status(byId("rules-status"), "Saved. Open pull requests re-check with these rules.", "ok");
});

async function showHosts() {
  const { hosts } = await loadSettings();
  const list = byId("hosts");
  list.replaceChildren(
    ...Object.entries(hosts).map(([host, on]) => {
      const item = document.createElement("li");
      const box = document.createElement("input");
      box.type = "checkbox";
      box.checked = on;
      box.id = `host-${host}`;
      box.setAttribute("aria-label", `Run keyleak on ${host}`);
      box.style.width = "auto";
      box.addEventListener("change", () => void saveHost(host, box.checked));
      const name = document.createElement("label");
      name.className = "host";
      name.htmlFor = box.id;
      name.textContent = host;
      item.append(box, name);
      if (host !== DEFAULT_HOST) {
        const remove = document.createElement("button");
        remove.type = "button";
        remove.textContent = "Remove";
        remove.addEventListener("click", () => void removeHost(host));
        item.append(remove);
      }
      return item;
    }),
  );
}

/**
 * @param {string} host
 * @param {boolean} on
 */
async function saveHost(host, on) {
  const { hosts } = await loadSettings();
  hosts[host] = on;
  await chrome.storage.sync.set({ hosts });
  await ask({ type: "hosts-changed" });
  await showHosts();
}

/** @param {string} host */
async function removeHost(host) {
  const { hosts } = await loadSettings();
  delete hosts[host];
  await chrome.storage.sync.set({ hosts });
  await chrome.permissions.remove({ origins: hostOrigins(host) }).catch(() => false);
  await ask({ type: "hosts-changed" });
  await showHosts();
}

byId("host-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const out = byId("host-status");
  const host = parseHost(input("host").value);
  if (!host) return status(out, "Enter a host name such as github.example.com (https only).", "error");
  if (host === DEFAULT_HOST) return status(out, "github.com is always listed.", "error");
  // asked for here, from the click, as Chrome requires
  const granted = await chrome.permissions.request({ origins: hostOrigins(host), permissions: ["scripting"] });
  if (!granted) return status(out, `Access to ${host} was not granted.`, "error");
  await saveHost(host, true);
  input("host").value = "";
  status(out, `keyleak now runs on ${host}. Reload its pull requests.`, "ok");
});

void showRules();
void showHosts();
