import assert from "node:assert/strict";
import { parseConsoleMessages } from "../../lib/process/chromium.ts";

Deno.test("parseConsoleMessages picks Chromium's console lines only", () => {
  const log = [
    '[1:1:1122/115528.8:INFO:CONSOLE:1] "deliberate", source: file:///a.html (1)',
    '[1:1:1122/115528.9:INFO:CONSOLE(12)] "Uncaught ReferenceError: f is not defined", source: x (12)',
    "[1:1:1122/115529.0:WARNING:gpu_init.cc(1)] unrelated",
  ].join("\n");
  assert.equal(parseConsoleMessages(log).length, 2);
});
