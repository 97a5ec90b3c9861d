/**
 * Wildcard match (`*` any run, `?` one character). Iterative with single-star backtracking: linear
 * for typical patterns and never exponential, whatever the input.
 */
export function globMatch(pattern: string, value: string, caseInsensitive = false): boolean {
    const p = caseInsensitive ? pattern.toLowerCase() : pattern;
    const v = caseInsensitive ? value.toLowerCase() : value;
    let pi = 0, vi = 0, star = -1, mark = 0;
    while (vi < v.length) {
        if (pi < p.length && (p[pi] === "?" || p[pi] === v[vi])) {
            pi++; vi++;
        } else if (pi < p.length && p[pi] === "*") {
            star = pi++; mark = vi;
        } else if (star !== -1) {
            pi = star + 1; vi = ++mark;
        } else {
            return false;
        }
    }
    while (pi < p.length && p[pi] === "*") { pi++; }
    return pi === p.length;
}
