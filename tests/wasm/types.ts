// Compiled with `tsc --noEmit`: the package's declarations must describe
// the API precisely enough for hosts to use it without casts.
import { Engine, mask, redact, type Diagnostic, type FileEdit, type Fix, type Note, type Options, type Report, type Rule } from "../../crate/pkg/keyleak.js";

const options: Options = { ignore: ["KL301"], "extend-select": [], severity: { KL201: "high" } };
const engine = new Engine(options);
const report: Report = engine.check("import os\n", "app.py");
const first: Diagnostic | undefined = report.diagnostics[0];
const line: number | undefined = first?.range.start.line;
const fix: Fix | undefined = first?.fixes.find((f) => f.applicability === "safe");
const text: string | undefined = fix?.edits[0]?.newText;
const rules: Rule[] = engine.rules();
const enabled: boolean = rules.every((r) => typeof r.defaultEnabled === "boolean");
const doc = engine.open("x = 1\n", "app.py");
doc.edit(0, 0, 0, 1, "y");
const again: Report = doc.check();
const version: string = Engine.version();
const moved: Fix | undefined = doc.moveToEnv(0, 0, undefined, ".env\n");
const envEdits: FileEdit[] | undefined = moved?.fileEdits;
const notes: Note[] = again.notes;
const relatedFile: string | undefined = first?.related[0]?.path;
const masked: string = mask("sk_live_x") + redact("x = 1\n");
export { line, text, enabled, again, version, envEdits, notes, relatedFile, masked };

// These must be errors: they prove the declarations are precise, not `any`.
// @ts-expect-error a report has no such field
void report.findings;
// @ts-expect-error option values are typed
void new Engine({ ignore: 5 });
// @ts-expect-error severities are a closed set
const wrong: Diagnostic["severity"] = "severe";
// @ts-expect-error the rule documentation comes from rules(), not with each finding
void first?.docs;
export { wrong };
