// The engine's markers inside property values (@pulumi/pulumi runtime/rpc): the key that marks an
// object as a special value, the signatures under it for a secret, an asset and an archive, and the
// sentinel strings that stand for values unknown during preview.

/** The key under which a special value carries its signature: `{[SIG_KEY]: SECRET_SIG, value}`. */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
export const ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";
export const ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7";

/** The sentinel the engine sends for a value unknown during preview (almost always this one). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** Every sentinel the engine or SDK uses for a value unknown during preview. */
export const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set([
    UNKNOWN, "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", "030794c1-ac77-496b-92df-f27374a8bd58", "e48ece36-62e2-4504-bad9-02848725956a",
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
]);
