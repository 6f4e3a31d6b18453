import type { NextFunction, Request, Response } from "express";
import { DEFAULT_USSD_GATEWAY, USSD_GATEWAYS } from "../channels/ussd/gateways/index.ts";
import { log } from "../shared/log.ts";
import type { Services } from "../services.ts";

/** POST /ussd (Africa's Talking) and POST /ussd/:gateway for the other gateway formats. */
export function ussdRoute(services: Services) {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const gateway = req.params.gateway === undefined ? DEFAULT_USSD_GATEWAY : USSD_GATEWAYS[String(req.params.gateway)];
      if (!gateway) {
        res.status(404).type("text/plain").send(`Unknown USSD gateway; known: ${Object.keys(USSD_GATEWAYS).join(", ")}`);
        return;
      }
      const type = req.headers["content-type"] ?? "";
      if (!/application\/(x-www-form-urlencoded|json)/.test(type)) {
        log.warn("rejected USSD request", { gateway: gateway.name, reason: "unsupported content type" });
        res.status(415).type("text/plain").send("Bad request: send application/x-www-form-urlencoded or application/json");
        return;
      }
      const answer = await services.ussd.handleGatewayBody(gateway, req.body);
      if (answer.reason) log.warn("rejected USSD request", { gateway: gateway.name, reason: answer.reason });
      res.status(answer.status).type(answer.contentType).send(answer.body);
    } catch (error) {
      next(error);
    }
  };
}
