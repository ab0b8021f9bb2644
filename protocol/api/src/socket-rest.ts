/**
 * @module REST over the live socket (docs/api/websocket.md): where the app cannot make HTTP requests
 * to the hub — away from home, through the relay's end-to-end channel — it sends the same request
 * as a message and gets the same answer back. The hub runs it as the socket's paired app, exactly
 * as if it had come over the LAN with that app's session.
 */

export const SOCKET_REST_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type SocketRestMethod = (typeof SOCKET_REST_METHODS)[number];

/** Longest path (with its query) and body the hub takes this way. */
export const SOCKET_REST_MAX_PATH = 2048;
export const SOCKET_REST_MAX_BODY_BYTES = 1024 * 1024;

/** App → hub. `path` is an /api/… path with its query. */
export interface SocketRestRequest {
  type: "http";
  id: string;
  method: SocketRestMethod;
  path: string;
  /** The JSON body of a POST, PUT or PATCH, as text. */
  body?: string;
}

/** Hub → app: the answer as REST would give it. Text bodies as text, anything else in base64. */
export interface SocketRestResponse {
  type: "http_result";
  id: string;
  status: number;
  content_type: string | null;
  content_disposition: string | null;
  body?: string;
  body_base64?: string;
}

/** Whether a content type is carried as text (JSON, CSV, plain text). */
export const isTextType = (contentType: string | null): boolean =>
  contentType === null || /^(text\/|application\/(json|csv)|[^;]*\+json)/i.test(contentType);
