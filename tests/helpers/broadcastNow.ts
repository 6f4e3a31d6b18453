import { ALL_COMMUNES } from "../../src/domain/staffScope.ts";
import type { Services } from "../../src/services.ts";

/** Creates a broadcast to the people of one commune and queues it to go out now, as an admin does in the console; returns its id. */
export async function broadcastNow(services: Services, textVi: string, communeId: number, by: string): Promise<number> {
  const created = await services.broadcasts.create({ textVi, audience: { communeIds: [communeId] }, createdBy: by, scope: ALL_COMMUNES });
  if (!created.ok) throw new Error(created.message);
  const queued = await services.broadcasts.sendNow({ id: created.broadcast.id, by, scope: ALL_COMMUNES });
  if (!queued.ok) throw new Error(queued.message);
  return created.broadcast.id;
}
