// docsite watch mode: the one event stream that all tabs of the site share (see livereload.js).
"use strict";
const ports = new Set();
let buildError = null; // a tab that opens while the build is broken shows the error too

const events = new EventSource("/__docsite/events");
for (const type of ["reload", "css", "builderror", "ok"]) {
  events.addEventListener(type, (e) => {
    buildError = type === "builderror" ? e.data : null;
    for (const port of ports) port.postMessage({ type, data: e.data });
  });
}

onconnect = (e) => {
  const port = e.ports[0];
  ports.add(port);
  port.onmessage = (message) => { if (message.data === "bye") ports.delete(port); };
  if (buildError !== null) port.postMessage({ type: "builderror", data: buildError });
  port.start();
};
