// docsite watch mode: the one event stream that all tabs of the site share (see livereload.js).
"use strict";
const ports = new Set();
let buildError = null; // a tab that opens while the build is broken shows the error too
let lastReload = null; // and a tab that was loading when a reload went out checks it

const events = new EventSource("/__docsite/events");
for (const type of ["reload", "css", "builderror", "ok"]) {
  events.addEventListener(type, (e) => {
    buildError = type === "builderror" ? e.data : null;
    if (type === "reload") lastReload = e.data;
    for (const port of ports) port.postMessage({ type, data: e.data });
  });
}
// The server's last reload, sent when this stream opened: tabs newer than it ignore it.
events.addEventListener("lastreload", (e) => {
  lastReload = e.data;
  for (const port of ports) port.postMessage({ type: "reload", data: e.data });
});

onconnect = (e) => {
  const port = e.ports[0];
  ports.add(port);
  port.onmessage = (message) => { if (message.data === "bye") ports.delete(port); };
  if (lastReload !== null) port.postMessage({ type: "reload", data: lastReload });
  if (buildError !== null) port.postMessage({ type: "builderror", data: buildError });
  port.start();
};
