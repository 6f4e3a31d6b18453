const mk = (d: number) => ({ v: 1, flow: "six", node: `level${d}`, vars: { channel: "ussd", choice: Object.fromEntries(Array.from({ length: d - 1 }, (_, i) => [`level${i + 1}`, "a"])) }, history: Array.from({ length: d - 1 }, (_, i) => ({ flow: "six", node: `level${i + 1}` })), locale: "vi", ended: false });
for (const d of [1, 3, 6]) {
  const s = mk(d);
  for (let i = 0; i < 50000; i++) structuredClone(s);
  const t = performance.now();
  for (let i = 0; i < 200000; i++) structuredClone(s);
  const t2 = performance.now();
  for (let i = 0; i < 200000; i++) JSON.parse(JSON.stringify(s));
  console.log(d, "structuredClone", ((t2 - t) * 1000 / 200000).toFixed(2), "µs; JSON roundtrip", ((performance.now() - t2) * 1000 / 200000).toFixed(2), "µs");
}
