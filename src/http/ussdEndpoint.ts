import type { IncomingMessage, ServerResponse } from "node:http";
import contentType from "content-type";
import { DEFAULT_USSD_GATEWAY, USSD_GATEWAYS } from "../channels/ussd/gateways/index.ts";
import type { UssdGateway } from "../channels/ussd/gateways/gateway.ts";
import type { UssdChannel } from "../channels/ussd/ussdChannel.ts";
import { log } from "../shared/log.ts";
import { logRequestFailure } from "./logRequestFailure.ts";

const BODY_LIMIT_BYTES = 32 * 1024;
const MAX_FORM_FIELDS = 50;
/** Shown when a hop cannot be answered: plain ASCII (every handset shows it), Vietnamese then English. */
export const UNAVAILABLE_SCREEN = "Dich vu tam thoi gian doan, vui long goi lai sau. Service unavailable, please try again later.";
const USSD_PATH = /^\/ussd(?:\/([^/?#]+))?\/?(?:\?.*)?$/;

/**
 * POST /ussd (Africa's Talking) and POST /ussd/<gateway>, answered by Node's HTTP server directly.
 * This is the path every keypress of every caller takes, so it skips Express: its router, body
 * parsers and response helpers cost about as much as the conversation step (measured: see
 * docs/benchmarks.md). What they did for this route is done here, with the same answers: 413 for
 * a body over 32 KB, 415 for a type other than form or JSON (UTF-8), 400 for a body that does not
 * parse, 404 for an unknown gateway, 503 with an END screen (UNAVAILABLE_SCREEN) when the service fails.
 */
export function ussdEndpoint(ussd: UssdChannel) {
  return {
    /** True when this request is for the USSD endpoint (then `handle` must answer it). */
    matches(req: IncomingMessage): boolean {
      return req.method === "POST" && req.url !== undefined && USSD_PATH.test(req.url);
    },

    handle(req: IncomingMessage, res: ServerResponse): void {
      const name = USSD_PATH.exec(req.url ?? "")?.[1];
      const gateway = name === undefined ? DEFAULT_USSD_GATEWAY : gatewayNamed(name);
      if (!gateway) return reject(req, res, 404, `Unknown USSD gateway; known: ${Object.keys(USSD_GATEWAYS).join(", ")}`, "unknown gateway");
      const format = bodyFormat(req.headers["content-type"]);
      if (format === null) return reject(req, res, 415, "Bad request: send application/x-www-form-urlencoded or application/json (UTF-8)", "unsupported content type");
      const declared = Number(req.headers["content-length"] ?? 0);
      if (declared > BODY_LIMIT_BYTES) return reject(req, res, 413, "Bad request: body too large", "body too large");

      const chunks: Buffer[] = [];
      let size = 0;
      let refused = false;
      req.on("data", (chunk: Buffer) => {
        if (refused) return;
        size += chunk.length;
        if (size > BODY_LIMIT_BYTES) {
          refused = true;
          reject(req, res, 413, "Bad request: body too large", "body too large");
          return;
        }
        chunks.push(chunk);
      });
      req.on("error", () => {
        refused = true;
      });
      req.on("end", () => {
        if (refused) return;
        const parsed = parseBody(format, chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
        if (!parsed.ok) return reject(req, res, parsed.status, `Bad request: ${parsed.reason}`, parsed.reason);
        void answer(gateway, parsed.body, ussd, res);
      });
    },
  };
}

/** The gateway of a path segment, or undefined (also for a segment that is not valid percent-encoding, e.g. "%ff"). */
function gatewayNamed(segment: string): UssdGateway | undefined {
  let name: string;
  try {
    name = decodeURIComponent(segment).toLowerCase();
  } catch {
    return undefined;
  }
  return Object.hasOwn(USSD_GATEWAYS, name) ? USSD_GATEWAYS[name] : undefined;
}

async function answer(gateway: UssdGateway, body: unknown, ussd: UssdChannel, res: ServerResponse): Promise<void> {
  try {
    const answer = await ussd.handleGatewayBody(gateway, body);
    if (answer.reason) log.warn("rejected USSD request", { gateway: gateway.name, reason: answer.reason });
    send(res, answer.status, answer.contentType, answer.body);
  } catch (error) {
    // The database is locked or full, or a bug: nothing of this hop was stored (its writes are one
    // transaction). The gateway gets a 503 with an END screen in its own format, so a caller whose
    // gateway shows the body reads why the session closed, and may dial again.
    logRequestFailure("USSD request", error, { gateway: gateway.name });
    const screen = gateway.respond({ text: UNAVAILABLE_SCREEN, end: true });
    send(res, 503, screen.contentType, screen.body);
  }
}

type BodyFormat = "form" | "json";

function bodyFormat(header: string | undefined): BodyFormat | null {
  if (!header) return null;
  try {
    const { type, parameters } = contentType.parse(header);
    const charset = (parameters.charset ?? "utf-8").toLowerCase();
    if (charset !== "utf-8" && charset !== "utf8") return null;
    if (type === "application/x-www-form-urlencoded") return "form";
    if (type === "application/json" || type.endsWith("+json")) return "json";
    return null;
  } catch {
    return null;
  }
}

type ParsedBody = { ok: true; body: unknown } | { ok: false; status: number; reason: string };

function parseBody(format: BodyFormat, raw: Buffer): ParsedBody {
  const text = raw.toString("utf8");
  if (format === "json") {
    // Like express.json({ strict: true }): only an object or an array is a JSON body.
    if (!/^[\s]*[{[]/.test(text)) return { ok: false, status: 400, reason: "malformed JSON (an object is expected)" };
    try {
      return { ok: true, body: JSON.parse(text) };
    } catch {
      return { ok: false, status: 400, reason: "malformed JSON" };
    }
  }
  const fields: Record<string, string | string[]> = {};
  let count = 0;
  for (const [key, value] of new URLSearchParams(text)) {
    if (++count > MAX_FORM_FIELDS) return { ok: false, status: 413, reason: "too many form fields" };
    const earlier = fields[key];
    // A field sent twice is kept as a list, so the gateway's check refuses it rather than one copy winning silently.
    fields[key] = earlier === undefined ? value : Array.isArray(earlier) ? [...earlier, value] : [earlier, value];
  }
  return { ok: true, body: fields };
}

function reject(req: IncomingMessage, res: ServerResponse, status: number, message: string, reason: string): void {
  log.warn("rejected USSD request", { status, reason });
  // Stop reading what is left of a refused body; the connection closes after the answer.
  const unread = !req.complete;
  if (unread && !res.headersSent) res.setHeader("connection", "close");
  send(res, status, "text/plain; charset=utf-8", message);
  if (unread) req.resume();
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  if (res.headersSent) return;
  res.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(body), "cache-control": "no-store" });
  res.end(body);
}
