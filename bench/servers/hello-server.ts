/**
 * The load generator's ceiling: an Express server that answers every POST /ussd with a fixed
 * screen and does nothing else. What the bench reaches against it is the most the client side
 * can drive on this machine while sharing its cores.
 */
import express from "express";

const app = express();
app.disable("x-powered-by");
app.set("etag", false);
app.get("/healthz", (_req, res) => {
  res.json({ status: "ok" });
});
app.post("/ussd", (_req, res) => {
  res.type("text/plain").send("CON Hello");
});
app.listen(Number(process.env.PORT ?? 3000), "127.0.0.1");
