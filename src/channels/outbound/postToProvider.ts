import { PlatformError } from "../../domain/outbox/platformError.ts";

/** How long one call to an SMS or voice provider may take before it counts as a (transient) network failure. */
const PROVIDER_CALL_TIMEOUT_MS = 15_000;

/** What is POSTed: the headers (credentials, content type) and the body, form-encoded or JSON text. */
export interface ProviderRequest {
  headers: Record<string, string>;
  body: string | URLSearchParams;
}

/**
 * POSTs one request to an SMS or voice provider's REST API. A timeout or a dropped connection is
 * a PlatformError with status 0, a transient failure: the message or call is tried again. The
 * answer, an HTTP error included, is the caller's to read: each provider says in its own way
 * what went wrong and whether it is worth trying again.
 */
export async function postToProvider(channel: "sms" | "voice", method: string, url: string, request: ProviderRequest): Promise<Response> {
  try {
    return await fetch(url, { method: "POST", ...request, signal: AbortSignal.timeout(PROVIDER_CALL_TIMEOUT_MS) });
  } catch (error) {
    throw new PlatformError(channel, method, 0, error instanceof Error ? error.message : String(error));
  }
}
