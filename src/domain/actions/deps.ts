import type { Config } from "../../config.ts";
import type { IdentificationGuard } from "../store/identificationGuard.ts";
import type { PaymentStore } from "../store/paymentStore.ts";
import type { PeopleStore } from "../store/peopleStore.ts";

/** What the domain actions read from: the stores, the clock and the configuration. */
export interface ActionDeps {
  people: PeopleStore;
  payments: PaymentStore;
  /** Identification failures across every chat (the global brute-force limit). */
  identificationGuard: IdentificationGuard;
  clock: () => Date;
  config: Config;
}
