import { createServices, type ServiceOptions, type Services } from "../services.ts";

/** Starts the services on DATABASE_URL (as `serve` does, without listening), runs a command's work with them, and closes them however it ends. */
export async function withServices(run: (services: Services) => Promise<void>, options?: ServiceOptions): Promise<void> {
  const services = await createServices(options);
  try {
    await run(services);
  } finally {
    await services.close();
  }
}
