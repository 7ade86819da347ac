declare const bpe: {
  /** cl100k_base's encoder: text to token ids. */
  loadEncoder(): (text: string) => number[];
};
export = bpe;
