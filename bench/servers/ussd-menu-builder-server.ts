/**
 * Baseline server: Express + ussd-menu-builder serving the six-level menu, no database.
 * Started by bench/ussd-http.ts as a child process (PORT from the environment).
 */
import express from "express";
import { buildSixLevelMenu, type SessionMap } from "../lib/sixLevelMenu.ts";

const sessions: SessionMap = new Map();
// One menu for all requests, as the library's README does. Safe here because every state and
// session hook completes within microtasks, so one request's run finishes before the next starts.
const menu = buildSixLevelMenu(sessions);
menu.on("error", (error: Error) => process.stderr.write(`menu error: ${error.message}\n`));

const app = express();
app.disable("x-powered-by");
app.set("etag", false);
app.use(express.urlencoded({ extended: false, limit: "32kb" }));
app.get("/healthz", (_req, res) => {
  res.json({ status: "ok" });
});
app.post("/ussd", async (req, res) => {
  const { sessionId, serviceCode, phoneNumber, text } = req.body as Record<string, string>;
  const answer = await menu.run({ sessionId, serviceCode, phoneNumber, text });
  res.type("text/plain").send(answer);
});
app.listen(Number(process.env.PORT ?? 3000), "127.0.0.1");
