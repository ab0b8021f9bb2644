// Types of the script helpers that TypeScript tests import.
export function failedTests(out: string): string[];
