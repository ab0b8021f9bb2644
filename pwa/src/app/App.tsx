/**
 * The app shell: header (connection, install), navigation, and the screen for the path. Screens
 * other than the dashboard load on demand, so the first screen's JavaScript stays small.
 */
import { Suspense, useEffect } from "react";
import { useMachine } from "../connection/machine-store.ts";
import { Dashboard } from "../features/dashboard/Dashboard.tsx";
import { language, t } from "../i18n/i18n.ts";
import { usePreferences } from "../shared/preferences.ts";
import { BluetoothFallback } from "./BluetoothFallback.tsx";
import { ConnectionBadge } from "./ConnectionBadge.tsx";
import { HubAlerts } from "./HubAlerts.tsx";
import { InstallButton } from "./InstallButton.tsx";
import { Link, usePath } from "./router.tsx";
import { SecureContextNotice } from "./SecureContextNotice.tsx";
import {
  Beans,
  Brew,
  Display,
  History,
  Screen as Lazy,
  Pair,
  ProfileEditor,
  Profiles,
  preloadRest,
  Scale,
  Schedules,
  Settings,
  ShotDetail,
  SignInBridge,
  Statistics,
} from "./screens.tsx";
import { UpdatePrompt } from "./UpdatePrompt.tsx";

const NAV = () => [
  { href: "/", label: t("Machine") },
  { href: "/brew", label: t("Brew") },
  { href: "/history", label: t("History") },
  { href: "/profiles", label: t("Profiles") },
  { href: "/settings", label: t("Settings") },
];

function useTheme(): void {
  const theme = usePreferences((p) => p.theme);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
}

function Screen({ path }: { path: string }) {
  const pairing = useMachine((m) => m.pairing);
  // The relay's sign-in page for a machine's address: no machine needed.
  if (path === "/sign-in") return <Lazy of={SignInBridge} props={{}} />;
  // The machine does not know this app: pairing comes first (the link from its QR code lands on /pair).
  if (path === "/pair" || pairing === "needed") return <Lazy of={Pair} props={{}} />;
  if (path === "/") return <Dashboard />;
  if (path === "/brew") return <Lazy of={Brew} props={{}} />;
  if (path === "/history") return <Lazy of={History} props={{}} />;
  const shot = /^\/history\/([0-9a-f-]{36})$/.exec(path);
  if (shot) return <Lazy of={ShotDetail} props={{ id: shot[1] as string }} />;
  if (path === "/settings") return <Lazy of={Settings} props={{}} />;
  if (path === "/profiles") return <Lazy of={Profiles} props={{}} />;
  if (path === "/profiles/edit") return <Lazy of={ProfileEditor} props={{}} />;
  if (path === "/statistics") return <Lazy of={Statistics} props={{}} />;
  if (path === "/schedules") return <Lazy of={Schedules} props={{}} />;
  if (path === "/beans") return <Lazy of={Beans} props={{}} />;
  if (path === "/scale") return <Lazy of={Scale} props={{}} />;
  return (
    <section>
      <h1>{t("Not found")}</h1>
      <p>
        {t("Nothing lives at {path}.", { path })} <Link href="/">{t("Back to the machine")}</Link>.
      </p>
    </section>
  );
}

/** The page's language follows the owner's choice; the whole app re-renders in it when it changes. */
function useLanguageAttribute(): string {
  usePreferences((p) => p.language);
  const lang = language();
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  return lang;
}

export function App() {
  const path = usePath();
  useTheme();
  const lang = useLanguageAttribute();
  useEffect(preloadRest, []);
  if (path === "/display") {
    return (
      <Suspense fallback={null}>
        <Lazy of={Display} props={{}} />
      </Suspense>
    );
  }
  const top = path === "/" ? "/" : `/${path.split("/")[1]}`;
  const section =
    top === "/statistics" || top === "/schedules" ? "/settings" : top === "/beans" ? "/history" : top === "/scale" ? "/brew" : top;
  return (
    <div className="shell" key={lang}>
      <header className="top">
        <span className="brand">BrewOS</span>
        <ConnectionBadge />
        <InstallButton />
      </header>
      <SecureContextNotice />
      <BluetoothFallback />
      <HubAlerts />
      <UpdatePrompt />
      <main>
        <Suspense fallback={<p className="muted">{t("Loading…")}</p>}>
          <Screen path={path} />
        </Suspense>
      </main>
      <nav className="tabs" aria-label={t("Sections")}>
        {NAV().map((n) => (
          <Link key={n.href} href={n.href} aria-current={section === n.href ? "page" : undefined}>
            {n.label}
          </Link>
        ))}
      </nav>
    </div>
  );
}
