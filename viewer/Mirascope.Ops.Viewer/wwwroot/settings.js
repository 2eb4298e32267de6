// The team settings of accounts mode, one module of its own: a project/environment switcher and a sign-out button in
// the header, and a Settings dialog (environments, keys shown once, members, projects). In single-developer mode
// /api/account answers {"accounts": false} and this module adds nothing. The selection is the
// mirascope_viewer_environment cookie, which every request of the page (fetch and the event stream) carries; the viewer
// checks the person's role in it on each request (ViewerAccess), so a forged cookie reaches nothing more.

import { el } from "./shared/dom.js";

const ENVIRONMENT_COOKIE = "mirascope_viewer_environment";
const ROLES = ["VIEWER", "ANNOTATOR", "DEVELOPER", "ADMIN"];

async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: body ? { "Content-Type": "application/json" } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { /* not JSON: the status says enough */ }
  if (!response.ok) throw new Error((json && json.message) || ("the viewer answered " + response.status));
  return json;
}

function select(environmentId) {
  document.cookie = ENVIRONMENT_COOKIE + "=" + encodeURIComponent(environmentId) + "; path=/; SameSite=Strict";
  location.reload();
}

function switcher(account) {
  const choice = el("select", { id: "environment-switcher", "aria-label": "Project and environment", onchange: (event) => select(event.target.value) });
  for (const project of account.projects) {
    const group = el("optgroup", { label: project.name + " (" + project.role + ")" });
    for (const environment of project.environments) {
      group.append(el("option", { value: environment.id, selected: environment.id === account.environmentId, text: project.name + " / " + environment.name }));
    }
    choice.append(group);
  }
  return choice;
}

/** A small form: labelled inputs, a button, and a status line that says what happened. */
function form(id, legend, fields, submit, act) {
  const status = el("p", { class: "muted", role: "status", id: id + "-status" });
  const node = el("form", { id, class: "settings-form" },
    el("fieldset", {}, el("legend", { text: legend }), ...fields, el("button", { type: "submit", text: submit })), status);
  node.addEventListener("submit", async (event) => {
    event.preventDefault();
    status.textContent = "…";
    try {
      status.replaceChildren(await act(new FormData(node)));
      node.reset();
    } catch (error) {
      status.textContent = "Not done: " + error.message;
    }
  });
  return node;
}

function field(name, label, attributes) {
  return el("label", {}, label + " ", el("input", { name, required: true, ...(attributes || {}) }));
}

async function keysTable(project, body) {
  const { keys } = await api("GET", "/api/admin/projects/" + encodeURIComponent(project.id) + "/keys");
  const environmentName = (id) => (project.environments.find((e) => e.id === id) || { name: id }).name;
  body.replaceChildren(...keys.map((key) => el("tr", {},
    el("td", { class: "mono", text: key.prefix }),
    el("td", { text: key.name }),
    el("td", { text: environmentName(key.environmentId) }),
    el("td", {}, key.revokedAt ? "revoked" : el("button", {
      type: "button", class: "link", text: "Revoke",
      onclick: async () => { await api("DELETE", "/api/admin/keys/" + encodeURIComponent(key.id)); await keysTable(project, body); },
    })))));
}

const MB = 1024 * 1024;

function describeRetention(r) {
  const age = r.maxAgeDays === null ? "no age limit" : "traces older than " + r.maxAgeDays + " days are deleted";
  const size = r.maxBytes === null ? "no size limit" : "the oldest are deleted beyond " + Math.round(r.maxBytes / MB) + " MB";
  return (r.defaults ? "The viewer's defaults: " : "This project's own limits: ") + age + "; " + size
    + ". Stored now: " + r.traces + " traces, " + (r.bytes / MB).toFixed(1) + " MB.";
}

/** Retention of the selected project: what applies, and for its ADMINs a form to set its own limits (empty = no limit). */
async function retentionSection(project) {
  const summary = el("p", { id: "retention-summary", class: "muted" });
  const show = (r) => { summary.textContent = describeRetention(r); };
  const current = await api("GET", "/api/retention");
  show(current);
  const nodes = [el("h3", { text: "Retention" }), summary];
  if (project.role === "ADMIN") {
    const number = (name, label, value) => el("label", {}, label + " ",
      el("input", { name, type: "number", min: name === "days" ? "0.001" : "1", step: "any", value: value === null ? "" : String(value), placeholder: "no limit" }));
    nodes.push(form("retention-form", "Limits of this project", [
      number("days", "Keep traces for (days)", current.maxAgeDays),
      number("megabytes", "Keep at most (MB)", current.maxBytes === null ? null : Math.round(current.maxBytes / MB)),
    ], "Save limits", async (data) => {
      const days = data.get("days"), megabytes = data.get("megabytes");
      const saved = await api("PUT", "/api/retention", {
        maxAgeDays: days === "" ? null : Number(days),
        maxBytes: megabytes === "" ? null : Math.round(Number(megabytes) * MB),
      });
      show(saved);
      // The form is reset after a save: its inputs start from what was saved.
      for (const [name, value] of [["days", days], ["megabytes", megabytes]]) document.querySelector("#retention-form input[name=" + name + "]").defaultValue = value;
      return "Saved: retention applies them on its next run.";
    }));
  }
  return nodes;
}

async function openSettings(account, dialog) {
  const project = account.projects.find((p) => p.id === account.projectId);
  const sections = [el("h2", { text: "Settings" + (project ? ": " + project.name : "") })];
  if (project && project.role === "ADMIN") {
    const keyRows = el("tbody", { id: "key-rows" });
    sections.push(
      el("h3", { text: "Keys" }),
      el("table", { class: "settings-table" }, el("thead", {}, el("tr", {}, el("th", { text: "prefix" }), el("th", { text: "name" }), el("th", { text: "environment" }), el("th", {}))), keyRows),
      form("new-key-form", "New key", [
        field("name", "Name"),
        el("label", {}, "Environment ", el("select", { name: "environment" }, ...project.environments.map((e) => el("option", { value: e.id, text: e.name, selected: e.id === account.environmentId })))),
      ], "Create key", async (data) => {
        const created = await api("POST", "/api/admin/environments/" + encodeURIComponent(data.get("environment")) + "/keys", { name: data.get("name") });
        await keysTable(project, keyRows);
        // Shown this once: the viewer keeps only its hash.
        return el("span", {}, "Copy it now, it is not shown again: ", el("output", { id: "new-key", class: "mono", text: created.key }));
      }),
      form("new-environment-form", "New environment", [field("name", "Name")], "Create environment", async (data) => {
        const created = await api("POST", "/api/admin/projects/" + encodeURIComponent(project.id) + "/environments", { name: data.get("name") });
        return "Created " + created.name + " (reload to select it).";
      }),
      form("member-form", "Member", [
        field("email", "Email", { type: "email" }),
        el("label", {}, "Role ", el("select", { name: "role" }, ...ROLES.map((r) => el("option", { value: r, text: r })))),
        el("label", {}, "Password for a new account ", el("input", { name: "password", type: "password", autocomplete: "new-password" })),
      ], "Give role", async (data) => {
        const body = { email: data.get("email"), role: data.get("role") };
        if (data.get("password")) body.password = data.get("password");
        const member = await api("PUT", "/api/admin/projects/" + encodeURIComponent(project.id) + "/members", body);
        return member.email + " is " + member.role + ".";
      }));
    await keysTable(project, keyRows);
    sections.push(...await retentionSection(project));
  } else if (project) {
    sections.push(...await retentionSection(project));
    sections.push(el("p", { class: "muted", text: "Your role in this project is " + project.role + "; keys and members are for its ADMINs." }));
  }

  if (account.organizationOwner) {
    sections.push(form("new-project-form", "New project", [field("name", "Name")], "Create project", async (data) => {
      const created = await api("POST", "/api/admin/projects", { name: data.get("name") });
      return "Created " + created.name + " with environment " + created.environments[0].name + " (reload to select it).";
    }));
  }

  sections.push(el("button", { type: "button", text: "Close", onclick: () => dialog.close() }));
  dialog.replaceChildren(...sections);
  dialog.showModal();
}

async function start() {
  let account;
  try {
    account = await api("GET", "/api/account");
  } catch {
    return;   // signed out: the page's own requests go to the sign-in form
  }
  if (!account || !account.accounts) return;

  const dialog = el("dialog", { id: "settings", "aria-label": "Settings" });
  document.body.append(dialog);
  const signOut = el("form", { method: "post", action: "/logout", class: "sign-out" }, el("button", { type: "submit", class: "link", text: "Sign out" }));
  const settings = el("button", { type: "button", id: "settings-button", class: "link", text: "Settings", onclick: () => openSettings(account, dialog) });
  const header = document.querySelector("header.top");
  header.insertBefore(el("span", { class: "team" }, switcher(account), settings, signOut), document.getElementById("help-button"));
}

start();
