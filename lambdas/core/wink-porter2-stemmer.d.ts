// Type declaration for wink-porter2-stemmer, which ships none.
declare module 'wink-porter2-stemmer' {
  /** The Porter2 (English) stem of one lowercase word. */
  function stem(word: string): string;
  export = stem;
}
