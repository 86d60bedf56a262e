// Preloaded into every function process the benchmarks start. The Functions Framework
// listens on all interfaces and has no host flag; a listen() given only a port is bound to
// 127.0.0.1 here, so a benchmark never opens a port beyond the loopback interface.
const net = require("node:net");
const originalListen = net.Server.prototype.listen;
net.Server.prototype.listen = function listenOnLoopback(...args) {
  const portOnly =
    typeof args[0] === "number" || (typeof args[0] === "string" && /^\d+$/.test(args[0]));
  if (portOnly && typeof args[1] !== "string") args.splice(1, 0, "127.0.0.1");
  return originalListen.apply(this, args);
};
