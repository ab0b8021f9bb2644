/** Entry: connect to the hub that served this page (or the one chosen last) and render the app. */
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app/App.tsx";
import { screenFor } from "./app/screens.tsx";
import { connectTo } from "./connection/connect.ts";
import { currentHubUrl } from "./connection/hub-address.ts";
import "./app/styles.css";

const queries = new QueryClient({ defaultOptions: { queries: { retry: 1, staleTime: 5000, networkMode: "always" } } });
connectTo(currentHubUrl());
// The opening screen's code first, so the first render shows it rather than a loading fallback.
await screenFor(location.pathname)
  ?.preload()
  .catch(() => {});

createRoot(document.getElementById("root") as HTMLElement).render(
  <StrictMode>
    <QueryClientProvider client={queries}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
