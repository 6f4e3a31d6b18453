import Database from "better-sqlite3";
const db = new Database(":memory:");
db.exec("create table t (a, b)");
const s = db.prepare("insert into t (a,b) values (@a, @b)");
try { s.run({ a: 1, b: 2, c: 3 }); console.log("extra ok"); } catch (e) { console.log("extra err", (e as Error).message); }
try { s.run({ a: 1 }); console.log("missing ok"); } catch (e) { console.log("missing err", (e as Error).message); }
try { s.run({ a: 1, b: undefined }); console.log("undef ok"); } catch (e) { console.log("undef err", (e as Error).message); }
try { s.run({ a: true, b: 2 }); console.log("bool ok"); } catch (e) { console.log("bool err", (e as Error).message); }
