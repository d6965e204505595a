import { createContext, useContext } from "react";
import type { SessionInfo } from "../../core/ui-api-types";

/** Who is signed in and what the collector offers (links, resubmit), for every page. */
export const SessionContext = createContext<SessionInfo>({ auth: "none", principal: null, links: { airflow: null, kfp: null }, resubmitKinds: [] });

export function useSession(): SessionInfo {
  return useContext(SessionContext);
}

/** Whether the signed-in role may resubmit (with auth off, anyone may). */
export function mayResubmit(session: SessionInfo): boolean {
  return session.auth === "none" || session.principal?.role === "operator" || session.principal?.role === "admin";
}
