// The refresh decisions come from the core (core/include/latchkey/
// session_refresh.h); this wraps the JSON call. State and event go in as JSON
// text and come back as a new object: nothing refers into wasm memory.
import { ready, unwrap } from './core.js';

export const initialRefreshState = () => ({ has_session: false });

/** -> {state, decision: {action, at_ms, code, token_expired}} */
export function decideRefresh(state, event, nowMs, policy = {}) {
  const result = unwrap(ready().decideRefresh(JSON.stringify(state), JSON.stringify(event), nowMs, JSON.stringify(policy)));
  return { state: result.state, decision: result.decision };
}
