/**
 * The relay's sign-in page for a machine's own address (docs/remote.md, "Accounts"). Issuers like
 * Google return a sign-in only to an exact, registered address — the relay's, never each machine's
 * LAN address — so the app there opens this page in a window; after the owner agrees for which
 * address, it signs in here (the relay's origin) and hands the ID token to that page alone
 * (postMessage to the named origin), then closes.
 */
import { useEffect, useState } from "react";
import { beginSignIn, finishSignIn, SIGN_IN_MESSAGE } from "../../connection/account.ts";
import { t } from "../../i18n/i18n.ts";
import { ErrorLine } from "../../shared/ErrorLine.tsx";

const FOR = "brewos.sign-in.for";

/** The address asking, from ?for= on the way in (kept while the issuer has the page). */
function askingOrigin(): string | null {
  const asked = new URLSearchParams(location.search).get("for");
  if (asked) {
    try {
      const origin = new URL(asked).origin;
      sessionStorage.setItem(FOR, origin);
      return origin;
    } catch {
      return null;
    }
  }
  return sessionStorage.getItem(FOR);
}

export default function SignInBridge() {
  const [origin] = useState(askingOrigin);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);

  useEffect(() => {
    try {
      const s = finishSignIn();
      if (!s || !origin) return;
      sessionStorage.removeItem(FOR);
      const opener = window.opener as Window | null;
      if (!opener) throw new Error(t("The page that asked is gone; start the sign-in there again."));
      opener.postMessage({ type: SIGN_IN_MESSAGE, id_token: s.idToken }, origin);
      setDone(true);
      window.close();
    } catch (e) {
      setError((e as Error).message);
    }
  }, [origin]);

  if (!origin) return <p className="error">{t("No address asked to sign in.")}</p>;
  return (
    <section className="card" aria-labelledby="bridge-title">
      <h1 id="bridge-title">{t("Sign in for your machine")}</h1>
      {done ? (
        <p role="status">{t("Signed in. You can close this window.")}</p>
      ) : (
        <>
          <p>
            {t("The BrewOS app at {origin} asks to sign in to your account. Continue only if that is your machine's address.", { origin })}
          </p>
          <button
            type="button"
            className="primary"
            onClick={() => void beginSignIn(location.origin, `${location.origin}/sign-in`).catch((e: Error) => setError(e.message))}
          >
            {t("Continue")}
          </button>
        </>
      )}
      <ErrorLine text={error} />
    </section>
  );
}
