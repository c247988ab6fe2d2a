/// The console's one page. Everything dynamic is filled in by `console.js` with `textContent`,
/// so nothing from Preservica or a channel is ever parsed as markup.
enum ConsolePage {
    static let html = #"""
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Notifications console · preservica-relay</title>
<link rel="stylesheet" href="/console/console.css">
<script src="/console/console.js" defer></script>
</head>
<body>
<header>
  <h1>Notifications console</h1>
  <div id="who" hidden><span id="who-name"></span> <button type="button" id="signout">Sign out</button></div>
</header>
<main>
<section id="signin" aria-labelledby="signin-title">
  <h2 id="signin-title">Sign in with your Preservica account</h2>
  <!-- Shown until console.js hides it: also when JavaScript is on but the script did not load. -->
  <p id="needs-script" class="error">This console needs JavaScript. If this message stays, switch JavaScript on for this site, or ask your administrator whether a proxy blocks /console/console.js.</p>
  <!-- Disabled until console.js takes over the form, and a POST even then: without the script a
       native submission must never put the password in the address, history or access logs. -->
  <form id="signin-form" method="post" action="/console/" novalidate>
    <label for="username">User name</label>
    <input id="username" name="username" autocomplete="username" required>
    <label for="password">Password</label>
    <input id="password" name="password" type="password" autocomplete="current-password" required>
    <label for="tenant">Tenant <span class="hint">(leave empty for the usual one)</span></label>
    <input id="tenant" name="tenant" autocomplete="organization">
    <button type="submit" id="signin-button" disabled>Sign in</button>
    <p id="signin-error" class="error" role="alert"></p>
  </form>
  <p class="hint">Your password goes to Preservica to check who you are. The relay does not keep it.</p>
</section>

<section id="main" hidden aria-labelledby="channels-title">
  <div class="bar">
    <h2 id="channels-title">Your channels</h2>
    <button type="button" id="add-channel">Add a channel</button>
  </div>
  <p id="status" role="status" aria-live="polite"></p>
  <p id="problem" class="error" role="alert" hidden></p>
  <ul id="channel-list" class="channels"></ul>
  <p id="no-channels" class="hint" hidden>No channels yet. Add one to get a card in your team's chat when something happens in Preservica.</p>

  <section id="deliveries" hidden aria-labelledby="deliveries-title">
    <h2 id="deliveries-title">Deliveries</h2>
    <h3>Recent</h3>
    <ul id="recent-list" class="plain"></ul>
    <h3>Dead letters</h3>
    <ul id="dead-list" class="plain"></ul>
    <button type="button" id="close-deliveries">Close</button>
  </section>
</section>

<section id="editor" hidden aria-labelledby="editor-title">
  <h2 id="editor-title">Add a channel</h2>
  <form id="channel-form" novalidate>
    <label for="ch-name">Name <span class="hint">(letters, digits, . - _)</span></label>
    <input id="ch-name" name="name" required maxlength="64" pattern="[A-Za-z0-9._-]+">

    <label for="ch-type">Chat service</label>
    <select id="ch-type" name="type"></select>
    <details id="teams-help" open>
      <summary>How to get the Teams Workflows URL</summary>
      <ol>
        <li>In Teams, open the channel that should get the cards.</li>
        <li>Choose <b>…</b> (More options) next to the channel name, then <b>Workflows</b>.</li>
        <li>Pick <b>Post to a channel when a webhook request is received</b>.</li>
        <li>Give it a name, check the team and channel, and choose <b>Add workflow</b>.</li>
        <li>Copy the URL Teams shows and paste it below. Treat it like a password: anyone with it can post to the channel.</li>
      </ol>
    </details>

    <label for="ch-url">Webhook URL</label>
    <input id="ch-url" name="url" type="url" autocomplete="off" spellcheck="false" aria-describedby="ch-url-saved">
    <p id="ch-url-saved" class="hint"></p>

    <fieldset id="ch-triggers">
      <legend>Send a card when</legend>
    </fieldset>

    <fieldset>
      <legend>Only for this folder and everything in it</legend>
      <p><span id="ch-folder-title">Any folder</span></p>
      <button type="button" id="choose-folder">Choose a folder…</button>
      <button type="button" id="clear-folder">Any folder</button>
      <div id="folder-browser" hidden>
        <nav aria-label="Folder path"><ol id="folder-path" class="crumbs"></ol></nav>
        <ul id="folder-list" class="plain"></ul>
        <p id="folder-status" role="status" aria-live="polite"></p>
      </div>
    </fieldset>

    <label for="ch-tags">Only assets with these security tags <span class="hint" id="ch-tags-hint">(comma-separated; empty: any)</span></label>
    <input id="ch-tags" name="securityTags">

    <div class="check"><input type="checkbox" id="ch-digest"><label for="ch-digest">Gather bursts into one digest card</label></div>
    <label for="ch-digest-window">Digest window <span class="hint">(e.g. 2m)</span></label>
    <input id="ch-digest-window" value="2m">

    <div class="check"><input type="checkbox" id="ch-paused"><label for="ch-paused">Paused (no new cards)</label></div>

    <p id="form-error" class="error" role="alert"></p>
    <div class="bar">
      <button type="submit" id="save-channel">Save</button>
      <button type="button" id="cancel-edit">Cancel</button>
    </div>
  </form>
</section>
</main>
</body>
</html>
"""#
}
