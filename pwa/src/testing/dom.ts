/** Component tests: a DOM (happy-dom) in Bun, before any test module loads React. */
import { GlobalRegistrator } from "@happy-dom/global-registrator";

GlobalRegistrator.register({ url: "http://127.0.0.1:8080/" });
