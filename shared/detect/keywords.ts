/**
 * One pass over the text finds every occurrence of every rule keyword:
 * an Aho-Corasick automaton compiled to a dense DFA over a small alphabet
 * (the characters keywords use; ASCII letters folded to lower case, every
 * other character one "elsewhere" class). The scan is a table lookup per
 * character, with no allocation, whatever the number of keywords.
 */
export class KeywordMatcher {
  /** Keyword list, index = keyword id. */
  readonly keywords: readonly string[];
  private readonly classOf = new Uint8Array(128);
  /** delta[row + cls] = next row, where row = state × classes. */
  private readonly delta: Int32Array;
  /** Keyword ids that end at each row (including those reached through failure links). */
  private readonly outputs: (readonly number[] | undefined)[];
  private readonly hasOutput: Uint8Array;
  private readonly classOf16: Uint8Array;

  constructor(keywords: readonly string[]) {
    this.keywords = keywords;
    // Alphabet: class 0 is "any other character".
    let next = 1;
    for (const kw of keywords) {
      if (kw.length === 0) throw new Error('empty keyword');
      for (const ch of kw) {
        const c = ch.charCodeAt(0);
        if (c >= 128 || ch !== ch.toLowerCase()) throw new Error(`keyword '${kw}' must be lower-case ASCII`);
        if (this.classOf[c] === 0) this.classOf[c] = next++;
      }
    }
    for (let c = 65; c <= 90; c++) this.classOf[c] = this.classOf[c + 32];
    const K = next;

    // Trie.
    const goto: Map<number, number>[] = [new Map()];
    const out: number[][] = [[]];
    keywords.forEach((kw, id) => {
      let s = 0;
      for (const ch of kw) {
        const cls = this.classOf[ch.charCodeAt(0)];
        let t = goto[s].get(cls);
        if (t === undefined) {
          t = goto.length;
          goto.push(new Map());
          out.push([]);
          goto[s].set(cls, t);
        }
        s = t;
      }
      out[s].push(id);
    });

    // BFS: failure links folded into a full transition table.
    const n = goto.length;
    const delta = new Int32Array(n * K);
    const fail = new Int32Array(n);
    const queue: number[] = [];
    for (let cls = 0; cls < K; cls++) {
      const t = goto[0].get(cls);
      if (t !== undefined) {
        delta[cls] = t;
        fail[t] = 0;
        queue.push(t);
      }
    }
    for (let qi = 0; qi < queue.length; qi++) {
      const s = queue[qi];
      if (out[fail[s]].length) out[s] = out[s].concat(out[fail[s]]);
      for (let cls = 0; cls < K; cls++) {
        const t = goto[s].get(cls);
        if (t !== undefined) {
          fail[t] = delta[fail[s] * K + cls];
          delta[s * K + cls] = t;
          queue.push(t);
        } else {
          delta[s * K + cls] = delta[fail[s] * K + cls];
        }
      }
    }
    // Rows pre-multiplied by K: the scan loop does one add and one load per character.
    for (let i = 0; i < delta.length; i++) delta[i] *= K;
    this.delta = delta;
    this.outputs = new Array(n * K);
    this.hasOutput = new Uint8Array(n * K);
    out.forEach((o, state) => {
      if (o.length) {
        this.outputs[state * K] = o;
        this.hasOutput[state * K] = 1;
      }
    });
    // Every UTF-16 code unit to its class (non-ASCII: "elsewhere"), so the loop has no branch.
    this.classOf16 = new Uint8Array(65536);
    this.classOf16.set(this.classOf);
  }

  /**
   * Calls `hit(keywordId, endOffset)` for every occurrence (end exclusive),
   * in text order, in `[from, to)`.
   */
  scan(text: string, hit: (keywordId: number, end: number) => void, from = 0, to = text.length): void {
    const { classOf16, delta, outputs, hasOutput } = this;
    let s = 0;
    for (let i = from; i < to; i++) {
      s = delta[s + classOf16[text.charCodeAt(i)]];
      if (hasOutput[s] !== 0) {
        const o = outputs[s]!;
        for (let j = 0; j < o.length; j++) hit(o[j], i + 1);
      }
    }
  }
}
