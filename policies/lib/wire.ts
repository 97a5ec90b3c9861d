// The engine's markers inside property values (@pulumi/pulumi runtime/rpc): the key that marks an
// object as a special value, and the signatures under it for a secret, an asset and an archive.

/** The key under which a special value carries its signature: `{[SIG_KEY]: SECRET_SIG, value}`. */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
export const ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";
export const ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7";
