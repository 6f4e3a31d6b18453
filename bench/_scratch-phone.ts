import { normalizeVietnamPhone } from "../src/shared/phone.ts";
const P = ["032","033","034","035","036","037","038","039","086","096","097","098","081","082","083","084","085","088","091","094","070","076","077","078","079","089","090","093","052","056","058","092","059","099"];
for (const p of P) { let bad = 0; for (let i = 0; i < 2000; i++) { const n = p + String(Math.floor(Math.random()*1e7)).padStart(7,"0"); if (!normalizeVietnamPhone(n).ok) bad++; } if (bad) console.log(p, bad); }
let t = performance.now(); for (let i = 0; i < 20000; i++) normalizeVietnamPhone("09" + String(12345678 + i)); console.log("µs/phone", (performance.now() - t) / 20000 * 1000);
