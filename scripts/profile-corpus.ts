// `npm run corpus`: the conformance corpus table (protocol/profile/corpus), as JSON on stdout.
import { join } from "node:path";
import { checkCorpus, corpusTable } from "../protocol/profile/corpus/conformance.ts";

const root = join(import.meta.dir, "..");
const verdicts = checkCorpus(join(root, "build", "host", "brewos-sim"), join(root, "protocol", "profile", "corpus"));
console.log(JSON.stringify({ corpus: corpusTable(verdicts), files: verdicts }, null, 1));
