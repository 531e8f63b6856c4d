// What the page knows about the signed-in person, kept current from the
// client's events: the views and the navigation read it from here.
let session = null;
const listeners = new Set();

export const currentSession = () => session;
export const currentUser = () => session?.user ?? null;
export const isAdmin = () => session?.user?.role === 'admin';

export function setSession(next) {
  session = next;
  for (const listener of listeners) listener(session);
}

export function watchSession(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** A fresher copy of the user (from GET /auth/me): the role may have changed. */
export function updateUser(user) {
  if (session && user) setSession({ ...session, user });
}
