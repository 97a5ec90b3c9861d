// Inline code a program hands to a function: the text files of an AssetArchive of StringAssets (the
// classic provider's `code`, a layer's `code`) or a plain source string (aws-native `code.zipFile`).
//
// The engine sends an asset as an object marked with the asset signature and a `text`, `path` or `uri`
// field, an archive as one marked with the archive signature and `assets`, `path` or `uri`
// (@pulumi/pulumi runtime/rpc). @pulumi/policy turns them into the SDK's StringAsset and AssetArchive
// objects, which keep their content only as promises; a policy check runs synchronously, so the pack
// replaces the two classes the deserializer constructs (on the module object it calls them through)
// with subclasses that also keep their content, readable here. Files on disk (FileAsset, FileArchive)
// and remote ones are not the program's text and are not read.
import { patchFunction, sdkModule } from "./sdk-patch";
import { isRecord, proxyTarget } from "./values";
import { ARCHIVE_SIG, ASSET_SIG, SIG_KEY } from "./wire";

const CONTENT = Symbol.for("serverless-guard.asset-content");

type Ctor = new (content: unknown) => object;

/** Keeps the constructor's content on a subclass of an SDK asset class. */
function keepingContent(original: Ctor): Ctor {
    return class extends original {
        constructor(content: unknown) {
            super(content);
            Object.defineProperty(this, CONTENT, { value: content, enumerable: false });
        }
    };
}

const pulumiAssets = sdkModule("@pulumi/pulumi")?.asset as Record<string, unknown> | undefined;
for (const name of ["StringAsset", "AssetArchive"]) {
    patchFunction<Ctor & ((...args: unknown[]) => unknown)>(pulumiAssets, name, original => keepingContent(original) as never);
}

/** One inline file: its name inside the archive (or the property that holds it) and its text. */
export interface InlineFile {
    file: string;
    text: string;
}

const MAX_FILES = 1000;
const MAX_CHARS = 8_000_000;

/**
 * The inline text files of a code property: a plain string is one file named `name`; an archive's
 * StringAssets are files under their archive names (nested archives joined with "/"). Unknown
 * content is skipped, never guessed; at most MAX_FILES files and MAX_CHARS characters are returned.
 */
export function inlineFiles(value: unknown, name: string): InlineFile[] {
    const out: InlineFile[] = [];
    let chars = 0;
    const add = (file: string, text: string) => {
        if (out.length < MAX_FILES && chars + text.length <= MAX_CHARS) {
            out.push({ file, text });
            chars += text.length;
        }
    };
    const walk = (raw: unknown, file: string, depth: number) => {
        const v = proxyTarget(raw);
        if (depth > 16 || out.length >= MAX_FILES) {
            return;
        }
        if (typeof v === "string") {
            add(file, v);
            return;
        }
        if (!isRecord(v)) {
            return;
        }
        const rec = v as Record<string | symbol, unknown>;
        const kept = proxyTarget(rec[CONTENT]);
        let entries: unknown;
        if (typeof kept === "string") {
            add(file, kept);
            return;
        } else if (isRecord(kept) && rec.__pulumiArchive === true) {
            entries = kept;
        } else if (rec[SIG_KEY] === ASSET_SIG && typeof rec.text === "string") {
            add(file, rec.text);
            return;
        } else if (rec[SIG_KEY] === ARCHIVE_SIG && isRecord(rec.assets)) {
            entries = rec.assets;
        }
        if (isRecord(entries)) {
            for (const key of Object.keys(entries)) {
                walk((entries as Record<string, unknown>)[key], depth === 0 ? key : `${file}/${key}`, depth + 1);
            }
        }
    };
    walk(value, name, 0);
    return out;
}
