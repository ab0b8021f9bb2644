/**
 * Screens load on demand (the first screen's JavaScript stays small), but never behind a spinner
 * when they are already here: `main.tsx` loads the screen for the opening path before the first
 * render, and the rest load while the app is idle. A screen that is loaded renders at once, so
 * React never shows (and then throttles away) a Suspense fallback for it.
 */
import { type ComponentType, use } from "react";

export interface LazyScreen<P> {
  preload(): Promise<void>;
  /** The component once loaded, else null. */
  loaded(): ComponentType<P> | null;
}

export function lazyScreen<P extends object>(load: () => Promise<{ default: ComponentType<P> }>): LazyScreen<P> {
  let component: ComponentType<P> | null = null;
  let pending: Promise<void> | null = null;
  return {
    preload() {
      pending ??= load().then((m) => {
        component = m.default;
      });
      return pending;
    },
    loaded: () => component,
  };
}

/** Renders a lazy screen: at once when loaded, else suspends until it is. */
export function Screen<P extends object>({ of, props }: { of: LazyScreen<P>; props: P }) {
  let C = of.loaded();
  if (!C) {
    use(of.preload());
    C = of.loaded() as ComponentType<P>;
  }
  return <C {...props} />;
}

export const Brew = lazyScreen(() => import("../features/brew/Brew.tsx"));
export const History = lazyScreen(() => import("../features/history/History.tsx"));
export const ShotDetail = lazyScreen(() => import("../features/history/ShotDetail.tsx"));
export const Settings = lazyScreen(() => import("../features/settings/Settings.tsx"));
export const Profiles = lazyScreen(() => import("../features/profiles/Profiles.tsx"));
export const ProfileEditor = lazyScreen(() => import("../features/profiles/ProfileEditor.tsx"));
export const Display = lazyScreen(() => import("../features/display/Display.tsx"));
export const Statistics = lazyScreen(() => import("../features/statistics/Statistics.tsx"));
export const Schedules = lazyScreen(() => import("../features/schedules/Schedules.tsx"));
export const Pair = lazyScreen(() => import("../features/pairing/Pair.tsx"));
export const Beans = lazyScreen(() => import("../features/beans/Beans.tsx"));
export const Scale = lazyScreen(() => import("../features/scale/Scale.tsx"));
export const SignInBridge = lazyScreen(() => import("../features/settings/SignInBridge.tsx"));

const ALL = [
  Brew,
  History,
  ShotDetail,
  Settings,
  Profiles,
  ProfileEditor,
  Display,
  Statistics,
  Schedules,
  Pair,
  Beans,
  Scale,
  SignInBridge,
];

/** The screen a path opens (null: the dashboard, which is in the first bundle). */
export function screenFor(path: string): LazyScreen<never> | null {
  if (path === "/brew") return Brew as LazyScreen<never>;
  if (path === "/history") return History as LazyScreen<never>;
  if (path.startsWith("/history/")) return ShotDetail as LazyScreen<never>;
  if (path === "/settings") return Settings as LazyScreen<never>;
  if (path === "/profiles") return Profiles as LazyScreen<never>;
  if (path === "/profiles/edit") return ProfileEditor as LazyScreen<never>;
  if (path === "/display") return Display as LazyScreen<never>;
  if (path === "/statistics") return Statistics as LazyScreen<never>;
  if (path === "/schedules") return Schedules as LazyScreen<never>;
  if (path === "/pair") return Pair as LazyScreen<never>;
  if (path === "/beans") return Beans as LazyScreen<never>;
  if (path === "/scale") return Scale as LazyScreen<never>;
  if (path === "/sign-in") return SignInBridge as LazyScreen<never>;
  return null;
}

/** Load every other screen once the app is idle, so navigating never waits. */
export function preloadRest(): void {
  const go = () => {
    for (const s of ALL) void s.preload().catch(() => {});
  };
  if ("requestIdleCallback" in window) requestIdleCallback(go, { timeout: 3000 });
  else setTimeout(go, 1000);
}
