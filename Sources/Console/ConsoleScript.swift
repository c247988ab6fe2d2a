/// The console's script: plain JavaScript, no library. It talks to the JSON API with the CSRF
/// token in a header and builds every element with `textContent`, never from HTML text.
enum ConsoleScript {
    static let javascript = #"""
"use strict";
(function () {
  var csrf = null, user = null, triggers = [], types = [], editing = null, chosenFolder = null, channelsByName = {};
  // An edit hidden while signing in again comes back only for the person who was making it.
  var resumeEditing = false, draftOwner = null;
  // The security tags channels made here receive (console.browseSecurityTags), from the session.
  var channelTags = [];
  function $(id) { return document.getElementById(id); }
  function el(tag, text, cls) { var e = document.createElement(tag); if (text !== undefined) e.textContent = text; if (cls) e.className = cls; return e; }
  function say(text, bad) { var s = $("status"); s.textContent = text; s.className = bad ? "error" : "ok"; }
  // What went wrong, in words, even when the answer was not the relay's JSON (a proxy's error page).
  function why(r, fallback) {
    return (r.data && r.data.error) || (r.status ? fallback + " (the relay answered HTTP " + r.status + ")" : "the relay could not be reached");
  }

  function api(method, path, body, retried) {
    var headers = { "Accept": "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (method !== "GET" && csrf) headers["X-CSRF-Token"] = csrf;
    return fetch("/console/api/" + path, { method: method, headers: headers, credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body) })
      .then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (data) {
          if (r.status === 401 && path !== "session") {
            // The session ended (idle, or signed out elsewhere): say so, and keep an edit in progress.
            showSignIn("Your session has ended; sign in again to carry on." + (!$("editor").hidden ? " Your changes are kept." : ""));
          } else if (r.status === 403 && !retried && /X-CSRF-Token/.test(data.error || "")) {
            // Another tab signed in and this page holds the old session's token: the same person
            // takes the current session's token and asks once more; anyone else must not act
            // through this page.
            var ended = { error: "Your session has ended; sign in again to carry on." };
            return fetch("/console/api/session", { headers: { "Accept": "application/json" }, credentials: "same-origin" })
              .then(function (s) { return s.ok ? s.json() : null; })
              .then(function (session) {
                if (!session || !session.csrfToken) { showSignIn(ended.error); return { ok: false, status: 401, data: ended }; }
                if (!user || !session.user || session.user.username !== user.username) {
                  return { ok: false, status: 403, data: { error: "Someone else has signed in to the console in this browser; "
                    + "this page stops here. Reload it to carry on as them." } };
                }
                csrf = session.csrfToken;
                return api(method, path, body, true);
              })
              .catch(function () { return { ok: false, status: 0, data: { error: "the relay could not be reached" } }; });
          }
          return { ok: r.ok, status: r.status, data: data };
        });
      })
      .catch(function () {
        // A kept-alive connection the relay closed just then: a read is safe to ask again, once.
        if (method === "GET" && !retried) return new Promise(function (done) { setTimeout(done, 300); })
          .then(function () { return api(method, path, body, true); });
        return { ok: false, status: 0, data: { error: "the relay could not be reached" } };
      });
  }

  function showSignIn(message) {
    // An edit in progress is hidden, not cleared: it comes back after its maker signs in again.
    if (!$("editor").hidden && user) draftOwner = user.username;
    csrf = null; user = null;
    resumeEditing = resumeEditing || !$("editor").hidden;
    $("signin").hidden = false; $("main").hidden = true; $("editor").hidden = true; $("who").hidden = true;
    if (message) $("signin-error").textContent = message;
    ($("username").value ? $("password") : $("username")).focus();
  }

  function signedIn(data) {
    csrf = data.csrfToken; user = data.user;
    $("who-name").textContent = user.fullName + (user.isAdmin ? " (administrator)" : "");
    $("who").hidden = false; $("signin").hidden = true; $("signin-error").textContent = "";
    channelTags = data.channelSecurityTags || [];
    $("ch-tags-hint").textContent = "(comma-separated; empty: any of "
      + (channelTags.length ? channelTags.join(", ") : "the tags channels made here take") + ")";
    if (resumeEditing && draftOwner && draftOwner !== user.username) {
      // Someone else signed in at this browser: the other person's unsaved changes (a webhook URL
      // among them) are not theirs to see or save.
      discardDraft();
      $("main").hidden = false;
      say("Changes left unsaved by the person signed in before you were discarded.");
      loadChannels();
      return;
    }
    draftOwner = null;
    if (resumeEditing) {
      resumeEditing = false;
      $("editor").hidden = false;
      // The form's last message was the sign-in it asked for; it is answered now.
      var note = $("form-error"); note.className = "hint";
      note.textContent = "Signed in again: your changes are as you left them; save them when ready.";
      loadChannels();
      return;
    }
    $("main").hidden = false;
    loadChannels();
  }

  function triggerLabel(value) {
    for (var i = 0; i < triggers.length; i++) if (triggers[i].value === value) return triggers[i].label.toLowerCase();
    return value;
  }

  function loadChannels() {
    return api("GET", "channels").then(function (r) {
      if (!r.ok) { say(why(r, "could not load the channels"), true); return; }
      triggers = r.data.triggers; types = r.data.types;
      var problem = $("problem"); problem.hidden = !r.data.problem; problem.textContent = r.data.problem || "";
      var list = $("channel-list"); list.textContent = ""; channelsByName = {};
      r.data.channels.forEach(function (c) { channelsByName[c.name] = c; list.appendChild(channelItem(c)); });
      $("no-channels").hidden = r.data.channels.length > 0;
    });
  }

  // `label`, when given, names the button for screen readers where its text repeats ("Edit").
  function button(text, id, handler, secondary, label) {
    var b = el("button", text, secondary ? "secondary" : undefined); b.type = "button"; if (id) b.id = id;
    if (label) b.setAttribute("aria-label", label);
    b.addEventListener("click", handler); return b;
  }
  // A channel's elements are named "<part>:<channel>": a name cannot hold ":", so no two collide.
  function idFor(part, c) { return part + ":" + c.name; }

  // Whether the channel works, in a sentence: its last delivery, a failure since, cards waiting.
  function healthLine(c) {
    var h = c.health || {}, line = el("div", undefined, "hint"); line.id = idFor("health", c);
    // Failing now: the attempts since the last delivery failed (reset by a delivery, whatever the clock did).
    var failing = (h.failuresInARow || 0) > 0;
    var parts = [];
    if (h.lastSuccess) parts.push("Last card delivered " + h.lastSuccess.replace("T", " ").slice(0, 16) + " UTC.");
    else parts.push("No card delivered since the relay started.");
    if (h.gone) parts.push("The service says this channel's address no longer takes cards (" + (h.lastFailureReason || "?")
      + "). Make a new one there and give the channel its URL with Edit; its cards wait until then.");
    else if (failing) parts.push("Failing: " + (h.failuresInARow || 1) + " attempt(s) in a row; the service said: " + (h.lastFailureReason || "?") + ".");
    if (h.waiting) parts.push(h.waiting + " card(s) waiting to be sent.");
    line.textContent = parts.join(" ");
    if (failing) line.className = "error";
    return line;
  }

  function channelItem(c) {
    var li = el("li"); li.id = idFor("channel", c); li.setAttribute("data-name", c.name);
    var head = el("div"); head.appendChild(el("span", c.name, "channel-name"));
    head.appendChild(el("span", (types.filter(function (t) { return t.value === c.type; })[0] || { label: c.type }).label, "badge"));
    if (c.paused) head.appendChild(el("span", "paused", "badge paused"));
    if (c.readOnly) head.appendChild(el("span", "from the configuration file", "badge"));
    li.appendChild(head);
    if (c.shadowed) {
      // The file took its name: it gets no cards, and only deleting it is left.
      head.appendChild(el("span", "not in use", "badge paused"));
      li.appendChild(el("div", "The configuration file has a channel called " + c.name
        + ", so this one gets no cards. Delete it, or ask an administrator.", "error"));
      li.appendChild(button("Delete", idFor("delete", c), function () { removeChannel(c); }, true, "Delete " + c.name));
      return li;
    }
    li.appendChild(el("div", "Posts to " + c.urlHost, "hint"));
    li.appendChild(el("div", "When: " + (c.triggers.length ? c.triggers.map(triggerLabel).join(", ") : "any event")));
    if (!c.readOnly) {
      li.appendChild(el("div", "Where: " + (c.folder ? (c.folderTitle || c.folder) + " and below" : "any folder")));
      // Every console channel receives only the tags the console allows: say which, even when it names none.
      if (c.securityTags && c.securityTags.length) li.appendChild(el("div", "Security tags: " + c.securityTags.join(", ")));
      else if (channelTags.length) li.appendChild(el("div", "Security tags: any of " + channelTags.join(", ")));
      if (c.digest) li.appendChild(el("div", "Digest: bursts within " + c.digest.window + " become one card"));
      var kinds = c.entityTypes || ["IO"];
      if (kinds.length !== 1 || kinds[0] !== "IO") {
        var named = { IO: "assets", SO: "folders", CO: "content objects" };
        li.appendChild(el("div", "Takes events about: " + kinds.map(function (t) { return named[t] || t; }).join(", ")));
      }
      // Administrators see everyone's channels: whose each is, and who changed it last.
      if (user && user.isAdmin && c.owner) {
        li.appendChild(el("div", "Owner: " + c.owner + (c.updatedBy ? " · last changed by " + c.updatedBy
          + (c.updatedAt ? " on " + c.updatedAt.replace("T", " ").slice(0, 16) + " UTC" : "") : ""), "hint"));
      }
      li.appendChild(healthLine(c));
      var pick = el("div"); var assetLabel = el("label", "Asset for the test card and preview ");
      assetLabel.appendChild(el("span", "(reference; empty: the last asset listed in the folder)", "hint"));
      var asset = el("input"); asset.id = idFor("test-asset", c); asset.spellcheck = false; assetLabel.htmlFor = asset.id;
      pick.appendChild(assetLabel); pick.appendChild(asset); li.appendChild(pick);
      var actions = el("div");
      var result = el("p", "", "hint"); result.id = idFor("test-result", c); result.setAttribute("role", "status");
      var send = button("Send a test card", idFor("test", c), function () { testCard(c, asset, result, send); }, false, "Send a test card to " + c.name);
      actions.appendChild(send);
      actions.appendChild(button(c.paused ? "Resume" : "Pause", idFor("pause", c), function () { togglePause(c); }, true,
        (c.paused ? "Resume " : "Pause ") + c.name));
      var edit = button("Edit", idFor("edit", c), function () { openEditor(c, edit); }, true, "Edit " + c.name);
      actions.appendChild(edit);
      var preview = el("a", "Preview the card"); preview.href = "/console/api/channels/" + encodeURIComponent(c.name) + "/preview";
      preview.target = "_blank"; preview.rel = "noopener noreferrer"; preview.className = "secondary"; preview.id = idFor("preview", c);
      preview.setAttribute("aria-label", "Preview the card of " + c.name + " (opens a new tab)");
      asset.addEventListener("input", function () {
        var ref = asset.value.trim();
        preview.href = "/console/api/channels/" + encodeURIComponent(c.name) + "/preview" + (ref ? "?asset=" + encodeURIComponent(ref) : "");
      });
      var deliveries = button("Deliveries", idFor("deliveries", c), function () { showDeliveries(c, deliveries); }, true, "Deliveries of " + c.name);
      actions.appendChild(deliveries);
      actions.appendChild(button("Delete", idFor("delete", c), function () { removeChannel(c); }, true, "Delete " + c.name));
      actions.appendChild(document.createTextNode(" ")); actions.appendChild(preview);
      li.appendChild(actions);
      li.appendChild(result);
    }
    return li;
  }

  // One test card at a time: the button waits for the answer, so a double click sends one.
  function testCard(c, asset, out, send) {
    out.textContent = "Sending…"; out.className = "hint"; send.disabled = true;
    var ref = asset.value.trim();
    api("POST", "channels/" + encodeURIComponent(c.name) + "/test", ref ? { asset: ref } : {}).then(function (r) {
      send.disabled = false;
      out.textContent = r.ok ? r.data.message : why(r, "the test failed");
      out.className = r.ok && r.data.delivered && !r.data.note ? "ok" : "error";
    });
  }

  function togglePause(c) {
    api("PUT", "channels/" + encodeURIComponent(c.name), { version: c.version, paused: !c.paused }).then(function (r) {
      if (r.ok) { say(c.name + (r.data.paused ? " is paused: no new cards until you resume it." : " is running again.")); loadChannels(); }
      else say(why(r, "not changed"), true);
    });
  }

  function removeChannel(c) {
    if (!window.confirm("Delete the channel " + c.name + "? Cards already queued for it are not sent.")) return;
    api("DELETE", "channels/" + encodeURIComponent(c.name) + "?version=" + c.version).then(function (r) {
      if (r.ok) { say(c.name + " was deleted."); loadChannels(); } else say(why(r, "not deleted"), true);
    });
  }

  var deliveriesOpener = null;
  function showDeliveries(c, opener) {
    if (opener) deliveriesOpener = opener;
    api("GET", "channels/" + encodeURIComponent(c.name) + "/deliveries").then(function (r) {
      if (!r.ok) { say(why(r, "could not list the deliveries"), true); return; }
      var recent = $("recent-list"), dead = $("dead-list"); recent.textContent = ""; dead.textContent = "";
      $("deliveries-title").textContent = "Deliveries of " + c.name;
      r.data.recent.forEach(function (a) { recent.appendChild(el("li", a.time + " · " + a.outcome + " · " + a.detail)); });
      if (!r.data.recent.length) recent.appendChild(el("li", "Nothing sent since the relay started."));
      r.data.dead.forEach(function (d) {
        var li = el("li", (d.title || d.ref || d.id) + " · " + d.lastReply + " ");
        li.appendChild(button("Replay", "replay-" + d.file, function () {
          api("POST", "channels/" + encodeURIComponent(c.name) + "/dead/" + encodeURIComponent(d.file) + "/replay").then(function (x) {
            say(x.ok ? "Put back in the queue." : why(x, "not replayed"), !x.ok); showDeliveries(c);
          });
        }, true, "Replay " + (d.title || d.ref || d.id)));
        dead.appendChild(li);
      });
      if (!r.data.dead.length) dead.appendChild(el("li", "None."));
      $("deliveries").hidden = false; $("deliveries-title").focus();
    });
  }

  // The fields the person changed in the open form: an edit sends only these, so a save never
  // writes back, unchanged, what someone else changed meanwhile.
  var touched = {};
  var touchedBy = { "ch-type": "type", "ch-tags": "securityTags", "ch-digest": "digest", "ch-digest-window": "digest", "ch-paused": "paused" };
  function touch(event) {
    var id = event.target && event.target.id || "";
    var field = touchedBy[id] || (id.indexOf("trig-") === 0 ? "triggers" : null);
    if (field) touched[field] = true;
  }

  var editorOpener = null;
  function openEditor(c, opener) {
    editing = c || null; editorOpener = opener || null; touched = {};
    $("editor-title").textContent = c ? "Edit " + c.name : "Add a channel";
    var select = $("ch-type"); select.textContent = "";
    types.forEach(function (t) { var o = el("option", t.label); o.value = t.value; select.appendChild(o); });
    var box = $("ch-triggers"); while (box.children.length > 1) box.removeChild(box.lastChild);
    triggers.forEach(function (t) {
      var row = el("div", undefined, "check"); var input = el("input"); input.type = "checkbox"; input.id = "trig-" + t.alias;
      input.value = t.value;
      var label = el("label", t.label); label.htmlFor = input.id; row.appendChild(input); row.appendChild(label); box.appendChild(row);
    });
    $("ch-name").value = c ? c.name : ""; $("ch-name").disabled = !!c;
    $("ch-url").value = ""; $("ch-url").required = !c;
    fill(c);
    $("form-error").textContent = ""; $("form-error").className = "error"; $("folder-browser").hidden = true; markInvalid(null);
    $("editor").hidden = false; $("main").hidden = true;
    (c ? $("ch-url") : $("ch-name")).focus();
  }

  // Forgets an unsaved edit: the form (its webhook URL included) is emptied and hidden.
  function discardDraft() {
    resumeEditing = false; draftOwner = null; editing = null;
    $("channel-form").reset(); $("editor").hidden = true;
  }

  // Shows `c`'s values (a new channel's defaults when null) in every field the person has not changed.
  function fill(c) {
    $("ch-url-saved").textContent = c ? "Saved: " + c.urlMasked + " (leave empty to keep it)" : "";
    if (!touched.type) $("ch-type").value = c ? c.type : "teams";
    if (!touched.triggers) triggers.forEach(function (t) { $("trig-" + t.alias).checked = c ? c.triggers.indexOf(t.value) >= 0 : false; });
    if (!touched.folder) {
      chosenFolder = c && c.folder ? { ref: c.folder, title: c.folderTitle || c.folder } : null;
      $("ch-folder-title").textContent = chosenFolder ? chosenFolder.title : "Any folder";
    }
    if (!touched.securityTags) $("ch-tags").value = c && c.securityTags ? c.securityTags.join(", ") : "";
    if (!touched.digest) { $("ch-digest").checked = !!(c && c.digest); $("ch-digest-window").value = c && c.digest ? c.digest.window : "2m"; }
    if (!touched.paused) $("ch-paused").checked = !!(c && c.paused);
    $("teams-help").hidden = $("ch-type").value !== "teams";
  }

  // Focus goes back to where the person was: the channel's Edit button, else "Add a channel".
  function closeEditor() {
    $("editor").hidden = true; $("main").hidden = false; editing = null;
    var back = editorOpener && document.body.contains(editorOpener) ? editorOpener : $("add-channel");
    editorOpener = null; back.focus();
  }

  // The field an error names is marked and focused, so a keyboard or screen-reader user lands on it.
  var fieldInputs = { name: "ch-name", type: "ch-type", url: "ch-url", securityTags: "ch-tags", "digest.window": "ch-digest-window",
                      digest: "ch-digest", folder: "choose-folder" };
  function markInvalid(field) {
    Array.prototype.forEach.call(document.querySelectorAll("#channel-form [aria-invalid]"), function (e) { e.removeAttribute("aria-invalid"); });
    var id = field && (fieldInputs[field] || (field.indexOf("triggers") === 0 ? "ch-triggers" : null));
    var target = id && $(id);
    if (!target) return;
    if (target.id === "ch-triggers") target = target.querySelector("input") || target;
    target.setAttribute("aria-invalid", "true"); target.focus();
  }

  function saveChannel(event) {
    event.preventDefault();
    var all = {
      type: $("ch-type").value,
      triggers: Array.prototype.slice.call(document.querySelectorAll("#ch-triggers input:checked")).map(function (i) { return i.value; }),
      folder: chosenFolder ? chosenFolder.ref : null,
      securityTags: $("ch-tags").value.split(",").map(function (s) { return s.trim(); }).filter(function (s) { return s; }),
      digest: $("ch-digest").checked ? { window: $("ch-digest-window").value.trim() } : null,
      paused: $("ch-paused").checked
    };
    // A new channel takes every field; an edit only those the person changed.
    var body = {};
    Object.keys(all).forEach(function (k) { if (!editing || touched[k]) body[k] = all[k]; });
    if ("folder" in body) body.folderTitle = chosenFolder ? chosenFolder.title : null;
    var url = $("ch-url").value.trim(); if (url) body.url = url;
    var save = $("save-channel"); save.disabled = true;
    var request;
    if (editing) { body.version = editing.version; request = api("PUT", "channels/" + encodeURIComponent(editing.name), body); }
    else { body.name = $("ch-name").value.trim(); request = api("POST", "channels", body); }
    request.then(function (r) {
      save.disabled = false;
      if (r.status === 409 && editing && r.data && r.data.field === "version") {
        // Someone saved the channel since the form was opened: the form takes the new version and
        // shows its values in the fields this person did not change; saving again applies only theirs.
        var name = editing.name, said = r.data.error;
        loadChannels().then(function () {
          if (channelsByName[name]) { editing = channelsByName[name]; fill(editing); }
          $("form-error").className = "error";
          $("form-error").textContent = said + " The form now shows their version with your changes on top: "
            + "save again to apply yours, or cancel.";
        });
        return;
      }
      if (!r.ok) {
        $("form-error").className = "error"; $("form-error").textContent = why(r, "not saved");
        if (r.status !== 401) markInvalid(r.data && r.data.field);
        return;
      }
      $("ch-url").value = "";
      say(r.data.name + " was saved and is in effect now.");
      closeEditor();
      loadChannels().then(function () { var again = $("edit:" + r.data.name); if (again) again.focus(); });
    });
  }

  function browse(parent) {
    $("folder-browser").hidden = false; $("folder-status").textContent = "Loading folders…";
    api("GET", "folders" + (parent ? "?parent=" + encodeURIComponent(parent) : "")).then(function (r) {
      if (!r.ok) { $("folder-status").textContent = why(r, "could not list the folders"); return; }
      var crumbs = $("folder-path"); crumbs.textContent = "";
      var top = el("li"); top.appendChild(button("All folders", "crumb-root", function () { browse(null); }, true)); crumbs.appendChild(top);
      r.data.path.forEach(function (f) {
        var li = el("li"); li.appendChild(button(f.title, "crumb-" + f.ref, function () { browse(f.ref); }, true)); crumbs.appendChild(li);
      });
      var list = $("folder-list"); list.textContent = "";
      if (r.data.path.length) {
        var here = r.data.path[r.data.path.length - 1];
        var li0 = el("li"); li0.appendChild(button("Choose “" + here.title + "”", "choose-current", function () { choose(here); })); list.appendChild(li0);
      }
      r.data.folders.forEach(function (f) {
        var li = el("li", undefined, "folder-item"); li.setAttribute("data-ref", f.ref);
        li.appendChild(el("span", f.title + " "));
        li.appendChild(button("Open", "open-" + f.ref, function () { browse(f.ref); }, true, "Open " + f.title));
        li.appendChild(button("Choose", "choose-" + f.ref, function () { choose(f); }, false, "Choose " + f.title));
        list.appendChild(li);
      });
      $("folder-status").textContent = r.data.folders.length ? r.data.folders.length + " folder(s)" : "No folders inside.";
    });
  }

  function choose(f) {
    chosenFolder = { ref: f.ref, title: f.title }; touched.folder = true;
    $("ch-folder-title").textContent = f.title; $("folder-browser").hidden = true; $("choose-folder").focus();
  }

  document.addEventListener("DOMContentLoaded", function () {
    $("signin-form").addEventListener("submit", function (event) {
      event.preventDefault(); $("signin-error").textContent = "";
      var button = $("signin-button"); button.disabled = true;
      api("POST", "session", { username: $("username").value, password: $("password").value, tenant: $("tenant").value })
        .then(function (r) {
          button.disabled = false; $("password").value = "";
          if (r.ok) signedIn(r.data); else $("signin-error").textContent = why(r, "sign-in failed");
        });
    });
    // The button stays disabled, and the notice shown, until this handler is attached (see the page).
    $("signin-button").disabled = false;
    $("needs-script").hidden = true;
    $("signout").addEventListener("click", function () {
      api("DELETE", "session").then(function () {
        // Nothing of an unsaved edit (a webhook URL among it) stays in the page for whoever comes next.
        say(""); discardDraft();
        showSignIn("You are signed out.");
      });
    });
    $("add-channel").addEventListener("click", function () { openEditor(null); });
    $("cancel-edit").addEventListener("click", closeEditor);
    $("channel-form").addEventListener("submit", saveChannel);
    $("choose-folder").addEventListener("click", function () { browse(null); });
    $("clear-folder").addEventListener("click", function () { chosenFolder = null; touched.folder = true; $("ch-folder-title").textContent = "Any folder"; });
    $("channel-form").addEventListener("input", touch);
    $("channel-form").addEventListener("change", touch);
    $("ch-type").addEventListener("change", function () { $("teams-help").hidden = $("ch-type").value !== "teams"; });
    $("close-deliveries").addEventListener("click", function () {
      $("deliveries").hidden = true;
      if (deliveriesOpener && document.body.contains(deliveriesOpener)) deliveriesOpener.focus();
    });
    $("deliveries-title").tabIndex = -1;
    api("GET", "session").then(function (r) { if (r.ok) signedIn(r.data); else showSignIn(); });
  });
})();
"""#
}
