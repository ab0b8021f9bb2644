/** @module The bundled and own profiles from the hub, kept on this phone for when it is offline. */
import { useCachedQuery } from "../../shared/cached-query.ts";
import { hubApi } from "../../shared/hub-api.ts";

export const useProfiles = () => useCachedQuery("profiles", hubApi.profiles);
