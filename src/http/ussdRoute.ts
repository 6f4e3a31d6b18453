import type { NextFunction, Request, Response } from "express";
import { africasTalking } from "../channels/ussd/gateways/africasTalking.ts";
import { log } from "../shared/log.ts";
import type { Services } from "../services.ts";

/** POST /ussd in the Africa's Talking format (form-encoded or JSON). */
export function ussdRoute(services: Services) {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const type = req.headers["content-type"] ?? "";
      if (!/application\/(x-www-form-urlencoded|json)/.test(type)) {
        log.warn("rejected USSD request", { reason: "unsupported content type" });
        res.status(415).type("text/plain").send("Bad request: send application/x-www-form-urlencoded or application/json");
        return;
      }
      const answer = await services.ussd.handleGatewayBody(africasTalking, req.body);
      if (answer.reason) log.warn("rejected USSD request", { reason: answer.reason });
      res.status(answer.status).type(answer.contentType).send(answer.body);
    } catch (error) {
      next(error);
    }
  };
}
