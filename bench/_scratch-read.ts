import ExcelJS from "exceljs";
const file = "/tmp/imp-explore/big.xlsx";
let t0 = Date.now();
const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, { worksheets: "emit", sharedStrings: "cache", styles: "cache", hyperlinks: "ignore", entries: "ignore" });
let n = 0; let sample: unknown;
for await (const ws of reader) { for await (const row of ws) { n++; if (n === 5) sample = row.values; } break; }
console.log("stream", n, Date.now() - t0, sample, process.memoryUsage().rss / 1e6);
t0 = Date.now();
const wb = new ExcelJS.Workbook(); await wb.xlsx.readFile(file);
let m = 0; wb.worksheets[0].eachRow(() => m++);
console.log("full", m, Date.now() - t0, process.memoryUsage().rss / 1e6);
