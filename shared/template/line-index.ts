/**
 * 1-based line and column of an offset, by binary search over line starts. liquidjs's `getPosition()`
 * rescans the source from its start on every call, which makes one call per variable quadratic: on a
 * 2,000-line template that alone took ~450 ms.
 */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly input: string) {
    for (let i = input.indexOf('\n'); i !== -1; i = input.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  at(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (this.starts[lo] as number) + 1 };
  }
}
