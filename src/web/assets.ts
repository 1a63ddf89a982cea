// The status page and its assets, served from memory by a fixed table (no file paths from requests, so no traversal;
// no CDN): the HTML shell, the stylesheet and the script that renders the event stream's views.
import { CLIENT_JS } from './client-script.js';

/** One asset: its Content-Type and its bytes. */
export interface Asset {
  readonly type: string;
  body(): string;
}

const HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Lifeline cluster</title>
<link rel="stylesheet" href="/assets/style.css">
<script src="/assets/app.js" defer></script>
</head>
<body>
<header>
  <h1>Lifeline <span id="node"></span></h1>
  <p id="summary"><span id="daemon" class="badge">connecting…</span> <span id="comm" class="badge"></span>
  <span id="dc" class="badge"></span> <span id="quorum" class="badge"></span> <span id="conn"></span></p>
</header>
<main>
  <section><h2>Nodes</h2>
    <table id="nodes"><thead><tr><th>node</th><th>status</th><th>links</th><th>late heartbeats</th></tr></thead><tbody></tbody></table>
  </section>
  <section><h2>Resources <small id="rscstatus"></small></h2>
    <table id="resources"><thead><tr><th>group / resource</th><th>haresources line / agent</th><th>preferred / state</th><th>runs on</th><th>fail count</th></tr></thead><tbody></tbody></table>
    <p id="actions" hidden>This node:
      <button type="button" data-action="standby">standby all</button>
      <button type="button" data-action="takeover">takeover all</button>
      <span id="action-result"></span></p>
  </section>
  <section><h2>Failover timeline <small>(UTC)</small></h2>
    <div id="timeline"></div>
    <ul id="failovers"></ul>
  </section>
  <section><h2>Recent warnings</h2><ul id="warnings"></ul></section>
  <section><h2>Counters</h2><table id="counters"><tbody></tbody></table></section>
</main>
<footer>Updates arrive by Server-Sent Events from <code>/api/v1/events/stream</code>; the JSON API is under <code>/api/v1/</code>, metrics at <a href="/metrics">/metrics</a>.</footer>
</body>
</html>
`;

const CSS = `body { font: 14px/1.4 system-ui, sans-serif; margin: 0 1.5em 2em; color: #1d1d1f; background: #fafafa; }
h1 { font-size: 1.4em; margin: .6em 0 .2em; } h2 { font-size: 1.1em; margin: 1.2em 0 .4em; }
table { border-collapse: collapse; min-width: 40em; background: #fff; }
th, td { text-align: left; padding: .25em .8em; border-bottom: 1px solid #ddd; }
.badge { display: inline-block; padding: .1em .6em; border-radius: .8em; background: #e5e5ea; }
.ok { background: #c8f0d0; } .bad { background: #ffd0cc; } .warn { background: #ffefc2; }
.st-active, .st-up { color: #137333; } .st-dead { color: #b3261e; font-weight: bold; }
#timeline svg { background: #fff; border: 1px solid #ddd; max-width: 100%; height: auto; }
.lane { fill: #f4f4f6; } .lane-label, .tick-label { font-size: 11px; fill: #555; }
.tick { stroke: #e0e0e0; } .detection { fill: #f6b26b; } .takeover { fill: #6aa84f; }
.failover-label { font-size: 11px; fill: #222; }
.ev { fill: #4a86e8; } .lvl-warn { fill: #e69138; } .lvl-error, .lvl-crit, .ev-node-dead { fill: #cc0000; }
ul { padding-left: 1.2em; } footer { margin-top: 2em; color: #666; font-size: .9em; }
`;

export const ASSETS: Readonly<Record<string, Asset>> = {
  '/index.html': { type: 'text/html; charset=utf-8', body: () => HTML },
  '/assets/style.css': { type: 'text/css; charset=utf-8', body: () => CSS },
  // Browsers ask for it on their own; a small mark rather than a 404 in every console.
  '/favicon.ico': { type: 'image/svg+xml', body: () => '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="8" cy="8" r="7" fill="#6aa84f"/></svg>' },
  '/assets/app.js': { type: 'text/javascript; charset=utf-8', body: () => CLIENT_JS },
};
