declare const seam: {
  /** The `yaml` package, evaluated on first use. */
  load(): typeof import('yaml');
};
export = seam;
