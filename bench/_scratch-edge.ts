import fs from "node:fs";
import { openDatabase } from "../src/db/database.ts";
import { importPaymentList } from "../src/domain/imports/importPaymentList.ts";
fs.rmSync("/tmp/imp-explore/e.db", { force: true });
const db = openDatabase("file:/tmp/imp-explore/e.db");
fs.writeFileSync("/tmp/imp-explore/fake.xlsx", "a,b,c\n1,2,3\n");
fs.writeFileSync("/tmp/imp-explore/empty.csv", "");
fs.writeFileSync("/tmp/imp-explore/header-only.csv", "\uFEFFMã đối tượng,Họ và tên,Ngày sinh,Số CCCD,Xã,Đối tượng,Kỳ,Số tiền,Ngày chi trả,Hình thức\n");
for (const f of ["fake.xlsx", "empty.csv", "header-only.csv"]) {
  try { const r = await importPaymentList(db, "/tmp/imp-explore/" + f, { secret: Buffer.alloc(32) }); console.log(f, "OK", r.rows, r.accepted); } catch (e) { console.log(f, (e as Error).name, (e as Error).message); }
}
await db.close();
