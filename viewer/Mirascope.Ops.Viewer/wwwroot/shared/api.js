// The viewer's API as the page calls it: JSON reads, and a 401 sends the page to sign in again.

// A 401 means the page's session ended (signed out, the viewer restarted with another key): sign in again, and come
// back to this view afterwards (the server's sign-in answer lands on "/", which cannot know the fragment).
const RETURN_AFTER_SIGN_IN = "mirascope.returnAfterSignIn";
export function signInAgainOn401(response) {
  if (response.status !== 401) return;
  try { sessionStorage.setItem(RETURN_AFTER_SIGN_IN, location.hash); } catch { /* storage off: land on the list */ }
  location.assign("/login");
}

export function returnAfterSignIn() {
  let hash = null;
  try {
    hash = sessionStorage.getItem(RETURN_AFTER_SIGN_IN);
    sessionStorage.removeItem(RETURN_AFTER_SIGN_IN);
  } catch { /* storage off */ }
  if (hash && hash.startsWith("#/") && !location.hash) history.replaceState(null, "", hash);
}

export async function getJson(url) {
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  signInAgainOn401(response);
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = new Error(body.message || `${response.status} ${response.statusText}`);
    error.status = response.status;
    throw error;
  }
  return body;
}
