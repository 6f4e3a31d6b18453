import { PlatformError } from "../../domain/outbox/platformError.ts";
import { postToProvider, type ProviderRequest } from "../outbound/postToProvider.ts";

/**
 * One POST to an SMS provider, answered as parsed JSON. A timeout or a dropped connection is
 * a PlatformError with status 0 (transient), an HTTP error one with its status, so ChannelSender
 * retries 5xx and network failures and gives up on other 4xx.
 */
// Each provider reads its own answer's fields (and checks them): the JSON is the provider's, not ours.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function callSmsProvider(method: string, url: string, request: ProviderRequest): Promise<any> {
  const response = await postToProvider("sms", method, url, request);
  const body = await response.text();
  if (!response.ok) {
    const retryAfter = Number(response.headers.get("retry-after"));
    throw new PlatformError("sms", method, response.status, body.slice(0, 200) || response.statusText, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined);
  }
  try {
    return JSON.parse(body);
  } catch {
    // A proxy's HTML error page with a 200: not an answer we understand, try again later.
    throw new PlatformError("sms", method, 502, "answer is not JSON");
  }
}
