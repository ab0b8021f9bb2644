/**
 * Build of the installable app: React, a Workbox service worker that precaches the shell and
 * falls back to it for every route (never for /api or /ws), and the web manifest. Static assets
 * (icons) come from the repository's public/ folder. Updates are offered, never applied silently
 * (registerType "prompt").
 */
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";
import { VitePWA } from "vite-plugin-pwa";

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  publicDir: fileURLToPath(new URL("../public", import.meta.url)),
  build: { outDir: "dist", emptyOutDir: true, target: "es2022", sourcemap: false, reportCompressedSize: false },
  server: { proxy: { "/api": "http://127.0.0.1:8080", "/ws": { target: "ws://127.0.0.1:8080", ws: true } } },
  plugins: [
    react(),
    VitePWA({
      registerType: "prompt",
      injectRegister: false,
      manifest: {
        id: "/",
        name: "BrewOS",
        short_name: "BrewOS",
        description: "Your espresso machine: live temperatures, brewing, and every shot you pulled.",
        start_url: "/",
        scope: "/",
        display: "standalone",
        orientation: "any",
        theme_color: "#2b1d16",
        background_color: "#f7f2ec",
        icons: [
          { src: "/icons/icon-192.png", sizes: "192x192", type: "image/png" },
          { src: "/icons/icon-512.png", sizes: "512x512", type: "image/png" },
          { src: "/icons/icon-maskable-512.png", sizes: "512x512", type: "image/png", purpose: "maskable" },
        ],
      },
      workbox: {
        globPatterns: ["**/*.{js,css,html,svg,png,webmanifest}"],
        navigateFallback: "/index.html",
        navigateFallbackDenylist: [/^\/api\//, /^\/ws/],
        cleanupOutdatedCaches: true,
      },
    }),
  ],
});
